/**
 * A new bridge, up, as one verb: what
 *
 *     ip link add NAME type bridge [mtu N]
 *     sysctl -w net.ipv6.conf.NAME.accept_ra=0
 *     ip link set NAME up
 *
 * leave, for the CNI bridge plugin's `ensureBridge` on a node's first pod (cni/bridge-node-batch.ts;
 * the plugin makes the bridge in the first ADD and finds it in every other). The verbs copy the
 * bridge's record twice and bring carrier up to date by looking for devices that await an IPv6
 * link-local address; here what they find is known: when none of the host's did before, the new
 * bridge alone, which has carrier (no port has joined it, carrier.ts carrierFollowsPorts) and so
 * gets its link-local address (addrconf) as `up` gives it. bridge-up.property.test.ts compares it
 * with the verbs.
 */
import { macFromParts } from '../../addr/mac.js';
import { devAddrs } from '../addr.js';
import { setSysctl } from '../sysctl.js';
import { addrconf } from './carrier.js';
import { awaitingLinkLocal, putLink } from './link-index.js';
import { type Namespaces, isFreeName } from './link.js';
import type { Bridge } from './types.js';

/**
 * The three verbs above in the namespace `host`, or false, changing nothing, when one of them
 * would fail (no such namespace, the name taken, too long, empty or dotted: the sysctl would not
 * exist) or would find more to do than the new bridge: an address left on the name (`up` would
 * route it), or a device of the host awaiting its link-local address. The caller then runs the
 * verbs one by one.
 */
export function addBridgeUp(world: Namespaces, host: string, name: string, mtu: number | undefined): boolean {
  const ns = world.netns[host];
  if (ns === undefined || name === '' || name.includes('.') || !isFreeName(ns, name)) return false;
  if (devAddrs(ns, name).length > 0 || awaitingLinkLocal(ns).length > 0) return false;
  // The record as `link add` makes it and `link set up` leaves it (`up` in place, then `everUp`).
  const bridge: Bridge = { kind: 'bridge', name, ifindex: ns.counters.ifindex++, mtu: mtu ?? 1500, mac: macFromParts(ns.name, name), up: true, everUp: true };
  putLink(ns, bridge);
  setSysctl(ns, `net.ipv6.conf.${name}.accept_ra`, '0');
  addrconf(ns, bridge);
  return true;
}
