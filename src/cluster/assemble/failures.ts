/**
 * What-if failures (`netsim trace … --fail node-2`, `--fail-link node-2/eth0`), and the moment
 * at which the cluster is looked at afterwards.
 *
 * A failure happens {@link FAILURE_DELAY} seconds after BGP converged. Two moments follow:
 * `held`, one second later, when every BGP session to the dead machine is still up (its peers
 * have not missed enough keepalives) so traffic is still routed into it; and `withdrawn`, when the
 * simulation has nothing left to do (the hold timers expired, the routes were withdrawn).
 *
 * In the kernel model a dead machine is one whose every interface is down (`ip link set … down`):
 * frames sent to it are lost on the wire, as they are when a server loses power. A dead link is
 * that one interface down. At the `held` moment its neighbours still have its MAC in their caches
 * (STALE: BGP's keepalives kept them fresh until it died) and the switch still has its MAC on
 * its port, so they send into the void; by the
 * `withdrawn` moment those entries have failed, and resolving the address fails.
 */
import { fdbLearn, getBridge } from '../../kernel/link/fdb.js';
import { setLinkDown } from '../../kernel/link/link.js';
import { addNeigh, findNeigh } from '../../kernel/neigh.js';
import type { World } from '../../kernel/world.js';

/** Seconds between BGP's convergence and the failure. */
export const FAILURE_DELAY = 10;

/** Seconds after the failure at which the `held` moment is taken. */
export const HELD_AFTER = 1;

/** A machine (node or router) that dies, or one interface of it that goes down. */
export type FailureRequest = { readonly kind: 'machine'; readonly target: string } | { readonly kind: 'link'; readonly target: string; readonly dev: string };

/** When the cluster is looked at, relative to the failures. */
export type Moment = 'held' | 'withdrawn';

/** The failures of a build, and when they happened (simulated seconds). */
export interface AppliedFailures {
  readonly requests: readonly FailureRequest[];
  readonly moment: Moment;
  /** When the failures happened. */
  readonly at: number;
  /** The simulated time the cluster shows. */
  readonly now: number;
}

/** The `down` set BGP's reachability understands: `node-2`, `node-2/eth0`. */
export function downSet(requests: readonly FailureRequest[]): ReadonlySet<string> {
  return new Set(requests.map((r) => (r.kind === 'machine' ? r.target : `${r.target}/${r.dev}`)));
}

/** `ip link set DEV down` for every interface of a dead machine, or for the dead link (after remembering its neighbours, at `held`). */
export function applyFailures(world: World, requests: readonly FailureRequest[], moment: Moment): void {
  for (const r of requests) {
    const ns = world.netns[r.target];
    if (ns === undefined) continue;
    const devs = (r.kind === 'machine' ? Object.keys(ns.links) : [r.dev]).filter((d) => ns.links[d] !== undefined);
    if (moment === 'held') for (const dev of devs) rememberInNeighbours(world, r.target, dev);
    for (const dev of devs) setLinkDown(world, r.target, dev);
  }
}

/** A STALE entry for `ns/dev`'s addresses in every namespace on the same L2 segment. */
function rememberInNeighbours(world: World, nsName: string, dev: string): void {
  const ns = world.netns[nsName];
  const link = ns?.links[dev];
  if (ns === undefined || link?.kind !== 'veth') return;
  const seg = world.netns[link.peer.ns];
  if (seg?.hidden !== true) return;
  const addrs = ns.addrs.filter((a) => a.dev === dev && a.scope === 'global');
  // The segment's switch learned the machine's MAC on its port from that same traffic.
  const port = seg.links[link.peer.dev];
  if (port?.master !== undefined) fdbLearn(seg, getBridge(seg, port.master), port.name, link.mac);
  for (const p of Object.values(seg.links)) {
    if (p.kind !== 'veth' || p.name === link.peer.dev) continue;
    const other = world.netns[p.peer.ns];
    if (other === undefined || other.hidden) continue;
    for (const a of addrs) {
      if (findNeigh(other, p.peer.dev, a.cidr.addr) === undefined) addNeigh(other, { dev: p.peer.dev, ip: a.cidr.addr, mac: link.mac, state: 'STALE' });
    }
  }
}

/** How a failure is written on the command line (`node-2`, `node-2/eth0`). */
export function failureLabel(r: FailureRequest): string {
  return r.kind === 'machine' ? r.target : `${r.target}/${r.dev}`;
}
