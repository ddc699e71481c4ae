/**
 * `netsim show NODE bgp`: what an operator types on a Calico node to see BGP, in order,
 * each under a `# <command>` heading: `calicoctl node status`, then `birdcl show protocols`
 * and `birdcl show route` against calico-node's IPv4 daemon, then the same against bird6 when
 * the speaker has IPv6 sessions or routes. An underlay router runs a plain BIRD: `birdc` and
 * `birdc6`, no calicoctl.
 */
import type { Family } from '../addr/ip.js';
import { type BirdSpeaker, birdShowProtocols, birdSocket } from './birdc.js';
import { type NextHopResolver, birdShowRoute } from './birdc-route.js';
import { calicoctlNodeStatus } from './bgp-status.js';

/** The client command line a section mirrors. */
function client(s: BirdSpeaker, family: Family): string {
  if (s.view.kind === 'node') return `birdcl -s ${birdSocket(family)}`;
  return family === 4 ? 'birdc' : 'birdc6';
}

/** Whether the speaker has anything of this family to show. */
function hasFamily(s: BirdSpeaker, family: Family): boolean {
  return s.view.sessions.some((x) => x.peerIp.family === family) || s.view.routes.some((r) => r.prefix.addr.family === family);
}

/** The whole `show NODE bgp` text; `resolve` says which interface a BGP next hop leaves by. */
export function bgpShowText(s: BirdSpeaker, resolve: NextHopResolver): string {
  const sections: [string, string][] = [];
  if (s.view.kind === 'node') sections.push(['calicoctl node status', calicoctlNodeStatus(s)]);
  const families = ([4, 6] as const).filter((f) => f === 4 || hasFamily(s, f));
  for (const family of families) {
    sections.push([`${client(s, family)} show protocols`, birdShowProtocols(s, family)]);
    sections.push([`${client(s, family)} show route`, birdShowRoute(s, { family, resolve })]);
  }
  return sections.map(([cmd, text]) => `# ${cmd}\n${text}`).join('\n');
}
