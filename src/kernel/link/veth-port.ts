/**
 * A veth pair whose far end is a bridge port, as one verb: what
 *
 *     ip -n NS link add NAME type veth peer name PEER netns PEER_NS
 *     ip -n PEER_NS link set PEER up
 *     ip -n PEER_NS link set PEER master BRIDGE
 *     bridge link set dev PEER hairpin on|off
 *
 * leave, for the CNI bridge plugin's setupVeth (one per pod: a node's first read makes thirty).
 * The four verbs copy the host end's record three times and bring carrier up to date twice; here
 * the end is made once, as the last verb leaves it, and carrier is brought up to date where the
 * verbs would find something to do (see {@link addVethPort}). veth-port.property.test.ts
 * compares it with the four verbs on random namespaces.
 */
import { devAddrs } from '../addr.js';
import { syncCarrier } from './carrier.js';
import { putLink } from './link-index.js';
import { type Namespaces, isFreeName, vethEnd, vethPortEnd } from './link.js';
import { joinedBridge } from './port.js';
import type { Mac } from '../../addr/mac.js';

/** The pair and the port: `ns`/`name` is the end that stays down (a pod's), `peerNs`/`peer` the port of `master`. */
export interface VethPortSpec {
  readonly ns: string;
  readonly name: string;
  readonly peer: string;
  readonly peerNs: string;
  readonly mtu?: number | undefined;
  readonly mac?: Mac | undefined;
  readonly master: string;
  readonly hairpin: boolean;
}

/**
 * The four verbs above as one, or false, changing nothing, when one of them would fail (a name
 * taken or too long, a namespace or the bridge missing) or when the pair would stay in one
 * namespace: the caller then runs them one by one, for their errors.
 *
 * Carrier: the verbs bring the two namespaces up to date after `up` and the port's after
 * `master`. After `up` nothing new has carrier (the new end's peer is down, and the bridge has not
 * got the port yet), so that first pass does what it would have done before the pair was made,
 * which is where it runs here (usually nothing: cheap). `hairpin` changes no carrier, and nothing
 * in NS changes after `up`, so the second pass is the port's namespace's, at the end.
 */
export function addVethPort(world: Namespaces, spec: VethPortSpec): boolean {
  const ns = world.netns[spec.ns];
  const peerNs = world.netns[spec.peerNs];
  if (ns === undefined || peerNs === undefined || ns === peerNs) return false;
  const br = peerNs.links[spec.master];
  if (br?.kind !== 'bridge' || !isFreeName(ns, spec.name) || !isFreeName(peerNs, spec.peer)) return false;
  // `ip link set up` installs the routes of the device's addresses: a new device has none.
  if (devAddrs(peerNs, spec.peer).length > 0) return false;
  syncCarrier(world.netns, [spec.peerNs, spec.ns]);
  putLink(ns, vethEnd(ns, spec.name, { ns: spec.peerNs, dev: spec.peer }, spec.mtu, spec.mac));
  putLink(peerNs, vethPortEnd(peerNs, spec.peer, { ns: spec.ns, dev: spec.name }, spec.mtu, spec.master, spec.hairpin));
  joinedBridge(peerNs, br);
  syncCarrier(world.netns, [spec.peerNs]);
  return true;
}
