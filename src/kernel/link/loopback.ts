/**
 * The loopback device every namespace has. It comes up without addresses; `ip link set lo up`
 * gives it 127.0.0.1/8 and ::1/128 (inet_init / addrconf add them on NETDEV_UP), which is why a
 * fresh `ip netns add` shows `lo` DOWN and bare.
 */
import type { Mac } from '../../addr/mac.js';
import type { Netns } from '../netns.js';
import { putLink } from './link-index.js';

/** The all-zero address `lo` prints. */
export const LOOPBACK_MAC = '00:00:00:00:00:00' as Mac;

/** Creates `lo` (ifindex 1, MTU 65536, down). */
export function addLoopback(ns: Netns): void {
  putLink(ns, { kind: 'loopback', name: 'lo', ifindex: ns.counters.ifindex++, mtu: 65536, mac: LOOPBACK_MAC, up: false });
}
