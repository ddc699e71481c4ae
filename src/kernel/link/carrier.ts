/**
 * Carrier (`LOWER_UP`) and what follows from gaining it. A device has carrier when it is up and
 * its lower side is: a veth when its peer is up, a bridge when one of its ports has carrier —
 * or always, until a first port joins or its address is set ({@link carrierFollowsPorts}) —
 * everything else when it is up. IPv6 autoconfiguration waits for carrier (addrconf_notify on
 * NETDEV_CHANGE): only then does a device get its EUI-64 link-local address, `fe80::/64` and
 * `multicast ff00::/8` routes — which a new bridge gets even without ports (Linux 6.18).
 */
import { assertNever } from '../../diag/diagnostic.js';
import { type Ip } from '../../addr/ip.js';
import type { Mac } from '../../addr/mac.js';
import { installLinkLocalRoutes, kernelRoute } from '../addr.js';
import { type Netns, nextSeq, pushAddr } from '../netns.js';
import { familyIndex, getTable } from '../route/table.js';
import { indexInsert, rememberWords, wordsOf } from '../route/prefix-index.js';
import { TABLE_LOCAL } from '../route/types.js';
import type { Bridge, Link } from './types.js';
import { peekDeferred } from '../deferred-netns.js';
import { awaitingLinkLocal } from './link-index.js';

/** The namespaces a carrier computation can see (a World, without importing it). */
export type NetnsMap = Readonly<Record<string, Netns>>;

/** Whether `link` in `ns` has carrier (IFF_LOWER_UP). */
export function hasCarrier(all: NetnsMap, ns: Netns, link: Link): boolean {
  if (!link.up) return false;
  // A device read from a node dump: the kernel said whether it had carrier (its peer may be elsewhere).
  if (link.dump !== undefined) return link.dump.flags.includes('LOWER_UP');
  switch (link.kind) {
    case 'veth':
      // A peek: deferred setup (deferred-netns.ts) adds devices, never changes an existing one's state.
      return peekDeferred(all, link.peer.ns)?.ns.links[link.peer.dev]?.up === true;
    case 'bridge':
      if (!carrierFollowsPorts(link)) return true;
      // One pass without a list of the devices (ARP asks on every bridge a broadcast crosses).
      for (const name in ns.links) {
        const p = ns.links[name] as Link;
        if (p.master === link.name && p.kind !== 'bridge' && hasCarrier(all, ns, p)) return true;
      }
      return false;
    case 'loopback':
    case 'dummy':
    case 'vxlan':
    case 'ipip':
      return true;
    default:
      return assertNever(link, 'link');
  }
}

/**
 * Whether br_port_state_selection has set the bridge's carrier: a port has joined, or its address
 * was given (br_stp_change_bridge_id). Before that the bridge has the carrier of a new device.
 */
export function carrierFollowsPorts(bridge: Bridge): boolean {
  return bridge.hadPort === true || bridge.macPinned === true;
}

/** The modified EUI-64 link-local address of a MAC (RFC 4291 appendix A). */
export function linkLocalOf(mac: Mac): Ip {
  return linkLocalWords(mac, LL_WORDS);
}

/**
 * {@link linkLocalOf}, the address's 32-bit words (prefix-index.ts `wordsOf`) written to `words`:
 * read from the MAC's bytes along with it, they spare the route index six bigint operations.
 */
export function linkLocalWords(mac: Mac, words: number[]): Ip {
  // A canonical MAC (every verb stores one): its hex digits, the universal/local bit flipped,
  // ff:fe in the middle, read as one number (two pods' worth of bigint shifts otherwise).
  if (mac.length === 17) {
    // The top 24 bits of the identifier (MAC bytes 0-2, the universal/local bit flipped, then ff)
    // and the bottom 40 (fe, then MAC bytes 3-5), as two numbers: three bigints, no strings (the
    // digits read by character code, checked as they are read: a pod's ADD asks twice).
    const b0 = macByte(mac, 0);
    const b1 = macByte(mac, 3);
    const b2 = macByte(mac, 6);
    const b3 = macByte(mac, 9);
    const b4 = macByte(mac, 12);
    const b5 = macByte(mac, 15);
    if ((b0 | b1 | b2 | b3 | b4 | b5) >= 0 && mac.charCodeAt(2) === COLON && mac.charCodeAt(5) === COLON && mac.charCodeAt(8) === COLON && mac.charCodeAt(11) === COLON && mac.charCodeAt(14) === COLON) {
      const hi = ((b0 ^ 0x02) << 16) | (b1 << 8) | b2;
      const lo = (b3 << 16) | (b4 << 8) | b5;
      const w2 = hi * 0x100 + 0xff;
      const w3 = 0xfe000000 + lo;
      words[0] = LINK_LOCAL_WORD0;
      words[1] = 0;
      words[2] = w2;
      words[3] = w3;
      return { family: 6, value: LINK_LOCAL_PREFIX | (BigInt(w2) << 32n) | BigInt(w3) };
    }
  }
  const b = mac.split(':').map((h) => Number.parseInt(h, 16));
  const bytes = [(b[0] ?? 0) ^ 0x02, b[1] ?? 0, b[2] ?? 0, 0xff, 0xfe, b[3] ?? 0, b[4] ?? 0, b[5] ?? 0];
  let iid = 0n;
  for (const x of bytes) iid = (iid << 8n) | BigInt(x);
  const addr: Ip = { family: 6, value: (0xfe80n << 112n) | iid };
  const w = wordsOf(addr);
  for (let i = 0; i < 4; i++) words[i] = w[i] as number;
  return addr;
}

const LINK_LOCAL_PREFIX = 0xfe80n << 112n;
/** The first word of every EUI-64 link-local address (fe80:0000), the second being 0. */
const LINK_LOCAL_WORD0 = 0xfe800000;
/** The words of the address {@link addrconf} last worked out (read before the next). */
const LL_WORDS = [0, 0, 0, 0];
/** `ff00::/8`, the prefix of addrconf's `multicast` route (a value: routes never change their `dst`). */
const MULTICAST_V6 = { addr: rememberWords({ family: 6, value: 0xffn << 120n } as const), prefix: 8 } as const;
/** The `multicast` route's table, type, scope and metric (`multicast ff00::/8 dev X table local proto kernel metric 256`). */
const MULTICAST_ROUTE = { table: TABLE_LOCAL, type: 'multicast', scope: 'link', metric: 256 } as const;
const COLON = 0x3a;

/** The byte of the two lower-case hex digits at `i` of a MAC, or -1 when they are not two such digits. */
function macByte(mac: string, i: number): number {
  const hi = hexDigit(mac.charCodeAt(i));
  const lo = hexDigit(mac.charCodeAt(i + 1));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

/** The value of a lower-case hex digit's character code (what a canonical MAC holds), else -1. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Adds the link-local address and the per-device IPv6 routes, as addrconf does on carrier
 * (addrconf_notify, NETDEV_CHANGE). Exported for pod-ports.ts, which knows when a device gains it.
 */
export function addrconf(ns: Netns, link: Link): void {
  const addr = linkLocalWords(link.mac, LL_WORDS);
  const a = { dev: link.name, cidr: { addr, prefix: 64 }, scope: 'link' as const, secondary: false, nodad: false, seq: nextSeq(ns) };
  pushAddr(ns, a);
  const mcast = kernelRoute(ns, MULTICAST_ROUTE, MULTICAST_V6, link.name);
  installLinkLocalRoutes(ns, a, LL_WORDS);
  indexInsert(familyIndex(getTable(ns, TABLE_LOCAL), 6), mcast);
}

/** The namespaces a change to `dev` of `ns` can affect: its own and its veth peer's. */
export function affected(all: NetnsMap, ns: string, dev: string): string[] {
  const link = all[ns]?.links[dev];
  return link?.kind === 'veth' ? [ns, link.peer.ns] : [ns];
}

/**
 * Brings autoconfiguration up to date after a link change: devices that have carrier and no
 * link-local address get one. Bridges are visited after their ports, as carrier reaches a bridge
 * through its ports. `only` limits the work to the namespaces a change can affect (the link's and
 * its veth peer's), which keeps building a large cluster linear.
 */
export function syncCarrier(all: NetnsMap, only?: readonly string[]): void {
  const names = only ?? Object.keys(all);
  // A verb names one or two namespaces (its own, its veth peer's): no Set for those.
  const unique = names.length <= 4 ? names : [...new Set(names)];
  for (let i = 0; i < unique.length; i++) {
    const name = unique[i] as string;
    if (unique !== names || names.indexOf(name) === i) syncNetns(all, name);
  }
}

function syncNetns(all: NetnsMap, name: string): void {
  const ns = all[name];
  if (ns === undefined) return;
  // Only devices still without a link-local address can change; they alone are put in ifindex
  // order. A node network's segment has a port and an address per node: scanning them all on
  // each port added made building N nodes quadratic (link-index.ts keeps the devices waiting).
  const links = awaitingLinkLocal(ns);
  if (links.length === 0) return;
  if (links.length === 1) {
    const only = links[0] as Link;
    if (hasCarrier(all, ns, only)) addrconf(ns, only);
    return;
  }
  links.sort((a, b) => a.ifindex - b.ifindex);
  const ordered = [...links.filter((l) => l.kind !== 'bridge'), ...links.filter((l) => l.kind === 'bridge')];
  for (const link of ordered) {
    if (!hasCarrier(all, ns, link)) continue;
    addrconf(ns, link);
  }
}
