/**
 * Whether BIRD on one machine can open its TCP session to a peer address: the underlay as the
 * kernel model holds it before any BGP route exists (connected networks, the routers' static
 * routes, the nodes' default routes), walked hop by hop as the SYN would go: a route lookup in
 * each namespace, the next hop found on the L2 segment behind the outgoing device, forwarding
 * on in the routers between.
 *
 * This is a reachability question about the underlay, not a packet trace: it answers in the
 * words BIRD logs (`Active Socket: Network is unreachable`), and it is cheap, because a 500-node
 * mesh asks it 250,000 times. Failures: a dead machine (`node-2`) answers nothing, a dead link
 * (`node-2/eth0`) carries nothing.
 */
import type { Ip } from '../../addr/ip.js';
import { formatIp } from '../../addr/ip.js';
import type { Reachability } from '../../bgp/types.js';
import type { Netns } from '../../kernel/netns.js';
import { lookupTable } from '../../kernel/route/table.js';
import { TABLE_MAIN } from '../../kernel/route/types.js';
import { SEGMENT_BRIDGE } from '../../kernel/segment.js';
import type { World } from '../../kernel/world.js';

/** The socket errors BIRD reports for a session it cannot open. */
export const SOCKET_ERRORS = {
  noRoute: 'Network is unreachable',
  noHost: 'Host is unreachable',
} as const;

/** Most namespaces a SYN crosses before the walk gives up (a routing loop). */
const MAX_HOPS = 32;

interface Attachment {
  readonly ns: string;
  readonly dev: string;
}

/** The underlay's reachability over `world` as it is now (call it before BGP writes routes). */
export function underlayReachability(world: World): Reachability {
  const owners = addressOwners(world);
  const segments = segmentOf(world);
  return (from, to, _src, down) => walk(world, owners, segments, from, to, down);
}

function walk(world: World, owners: Map<string, Attachment[]>, segments: Map<string, string>, from: string, to: Ip, down: ReadonlySet<string>): true | string {
  const key = formatIp(to);
  let cur = from;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const ns = world.netns[cur];
    if (ns === undefined || down.has(cur)) return SOCKET_ERRORS.noHost;
    if ((owners.get(key) ?? []).some((o) => o.ns === cur)) return true;
    if (hop > 0 && !forwards(ns, to.family)) return SOCKET_ERRORS.noHost;
    const r = lookupTable(ns, TABLE_MAIN, to, (x) => x.proto !== 'bird');
    if (r === undefined || r.type !== 'unicast' || r.dev === undefined) return SOCKET_ERRORS.noRoute;
    if (down.has(`${cur}/${r.dev}`) || ns.links[r.dev]?.up !== true) return SOCKET_ERRORS.noRoute;
    const seg = segments.get(`${cur}/${r.dev}`);
    const nh = formatIp(r.via ?? to);
    const next = seg === undefined ? undefined : (owners.get(nh) ?? []).find((o) => segments.get(`${o.ns}/${o.dev}`) === seg);
    if (next === undefined || down.has(next.ns) || down.has(`${next.ns}/${next.dev}`)) return SOCKET_ERRORS.noHost;
    cur = next.ns;
  }
  return SOCKET_ERRORS.noHost;
}

function forwards(ns: Netns, family: 4 | 6): boolean {
  const key = family === 4 ? 'net.ipv4.ip_forward' : 'net.ipv6.conf.all.forwarding';
  return ns.sysctl[key] === '1';
}

/** Every global address of a visible namespace, to the devices holding it. */
function addressOwners(world: World): Map<string, Attachment[]> {
  const out = new Map<string, Attachment[]>();
  for (const ns of Object.values(world.netns)) {
    if (ns.hidden) continue;
    for (const a of ns.addrs) {
      if (a.scope !== 'global') continue;
      const k = formatIp(a.cidr.addr);
      const list = out.get(k) ?? [];
      list.push({ ns: ns.name, dev: a.dev });
      out.set(k, list);
    }
  }
  return out;
}

/** `ns/dev` → the segment (hidden namespace with the `seg` bridge) the device is plugged into. */
function segmentOf(world: World): Map<string, string> {
  const out = new Map<string, string>();
  for (const ns of Object.values(world.netns)) {
    if (ns.hidden) continue;
    for (const link of Object.values(ns.links)) {
      if (link.kind !== 'veth') continue;
      const peerNs = world.netns[link.peer.ns];
      const port = peerNs?.links[link.peer.dev];
      if (peerNs?.hidden === true && port?.master === SEGMENT_BRIDGE) out.set(`${ns.name}/${link.name}`, peerNs.name);
    }
  }
  return out;
}
