/**
 * What netsim says the BIRD lab should show: runBgp over the topology's speakers (before and
 * after the failure), and the `proto bird` routes programBgpRoutes writes into a kernel model
 * of each speaker's namespace (eth0 with the node address and its default route; the router's
 * br1/br2).
 */
import { cidr, formatCidr, formatIp, ip } from '../../../src/addr/index.js';
import { programBgpRoutes } from '../../../src/bgp/kernel.js';
import { runBgp } from '../../../src/bgp/sim.js';
import type { BgpFailure, BgpResult, BgpSpeakerConfig } from '../../../src/bgp/types.js';
import { addAddress } from '../../../src/kernel/addr.js';
import { addDummy, addIpip, setLinkUp } from '../../../src/kernel/link/link.js';
import { addRoute } from '../../../src/kernel/route/table.js';
import { renderIpRoute } from '../../../src/kernel/text/route.js';
import { addNetns, createWorld } from '../../../src/kernel/world.js';
import { owners, reachableUnlessDown } from '../../helpers/bgp.js';
import { RACKS, type BirdTopology, rackOf } from './topologies.js';

/** A speaker's best routes as BIRD's `show route` gives them: prefix → protocol and BGP next hop. */
export type BestRoutes = Record<string, { readonly protocol: string; readonly nextHop?: string }>;

/** What netsim expects of every speaker. */
export interface Expected {
  readonly result: BgpResult;
  /** Lines of `ip route` with `proto bird`, sorted, by speaker. */
  readonly kernel: Record<string, string[]>;
  readonly best: Record<string, BestRoutes>;
}

/** runBgp, then the kernel model; `failure` = the link of `topo.failLink` goes down once converged. */
export function expected(topo: BirdTopology, failure: boolean): Expected {
  const reachable = reachableUnlessDown(owners(topo.speakers));
  const first = runBgp({ speakers: topo.speakers, reachable, recordEvents: false });
  const failures: BgpFailure[] = failure ? [{ at: first.convergedAt + 10, kind: 'link', speaker: topo.failLink, dev: 'eth0' }] : [];
  const result = failure ? runBgp({ speakers: topo.speakers, reachable, failures, recordEvents: false }) : first;
  const kernel: Record<string, string[]> = {};
  const best: Record<string, BestRoutes> = {};
  for (const s of topo.speakers) {
    const view = result.speakers[s.name];
    if (view === undefined) continue;
    kernel[s.name] = modelRoutes(topo, s, result);
    best[s.name] = Object.fromEntries(
      view.routes.filter((r) => r.best).map((r) => [formatCidr(r.prefix), { protocol: r.protocol, ...(r.nextHop === undefined ? {} : { nextHop: formatIp(r.nextHop) }) }]),
    );
  }
  return { result, kernel, best };
}

/** The speaker's namespace in the kernel model, BIRD's routes written into it, `proto bird` lines. */
function modelRoutes(topo: BirdTopology, s: BgpSpeakerConfig, result: BgpResult): string[] {
  const world = createWorld();
  const ns = addNetns(world, s.name);
  if (s.kind === 'router') {
    for (const r of RACKS) {
      addDummy(ns, r.bridge);
      addAddress(ns, { dev: r.bridge, cidr: cidr(`${r.router}/24`) });
      setLinkUp(world, s.name, r.bridge);
    }
  } else {
    const node = topo.nodes.find((n) => n.name === s.name);
    if (node === undefined) throw new Error(`no node ${s.name}`);
    addDummy(ns, 'eth0');
    addAddress(ns, { dev: 'eth0', cidr: cidr(node.address) });
    setLinkUp(world, s.name, 'eth0');
    addRoute(ns, { dst: cidr('0.0.0.0/0'), via: ip(rackOf(node.address).router), dev: 'eth0' });
    if (topo.tunnel) {
      addIpip(ns, 'tunl0');
      setLinkUp(world, s.name, 'tunl0');
    }
  }
  const view = result.speakers[s.name];
  if (view !== undefined) programBgpRoutes(ns, s, view);
  return renderIpRoute(ns, { family: 4 })
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /\bproto bird\b/.test(l))
    .sort();
}
