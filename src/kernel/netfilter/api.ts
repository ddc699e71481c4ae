/**
 * The contract between the netfilter engine (this folder) and the rest of the kernel model
 * (`../stack.ts`, which decides *when* a hook runs). The stack calls {@link HookRunner} at each
 * hook point with the packet and its per-packet netfilter state; the engine runs every table
 * registered on that hook in priority order (raw -300, conntrack -200, mangle -150, nat dst -100,
 * filter 0, security 50, nat src 100, conntrack confirm INT_MAX), emits events, and returns the
 * verdict with the packet as it leaves the hook (after DNAT/SNAT/mangling).
 */
import type { Ip } from '../../addr/ip.js';
import type { Packet } from '../../packet/packet.js';
import type { SimContext } from '../../sim/context.js';
import type { Emit, Hook } from '../events.js';
import type { ConntrackEntry } from './conntrack/entry.js';

/** The address types of `-m addrtype` (RTN_* names as iptables prints them). */
export type AddrType = 'UNSPEC' | 'UNICAST' | 'LOCAL' | 'BROADCAST' | 'ANYCAST' | 'MULTICAST' | 'BLACKHOLE' | 'UNREACHABLE' | 'PROHIBIT';

/**
 * Per-packet netfilter state carried with the skb while it is inside one namespace: the nfmark
 * and the conntrack reference. Crossing into another namespace (veth) resets it, as
 * `skb_scrub_packet()` does. `ct` is opaque to the stack.
 */
export interface NfSkb {
  readonly mark: number;
  readonly ct?: { readonly id: number; readonly dir: 'original' | 'reply' } | 'untracked';
  /**
   * The entry of a connection's first packet until it is confirmed (at the end of INPUT or
   * POSTROUTING): in Linux the unconfirmed `nf_conn` hangs off the skb and is not in the hash
   * table, so a packet dropped on the way leaves no entry behind. `ct.id` names it meanwhile.
   */
  readonly unconfirmed?: ConntrackEntry;
}

/** A fresh skb state (mark 0, no conntrack). */
export const FRESH_SKB: NfSkb = { mark: 0 };

/** What a hook sees besides the packet. */
export interface HookEnv {
  readonly ns: string;
  /** Input device (`-i`), for PREROUTING, INPUT, FORWARD. */
  readonly inDev?: string | undefined;
  /** Output device (`-o`), for FORWARD, OUTPUT, POSTROUTING. */
  readonly outDev?: string | undefined;
  /** Bridge ports (`-m physdev`) when the packet is bridged and br_netfilter calls iptables. */
  readonly physInDev?: string | undefined;
  readonly physOutDev?: string | undefined;
  readonly bridged?: boolean | undefined;
  /**
   * The address type of an address in this namespace (`-m addrtype`), as routing's local table
   * says; with `dev`, as seen from that device (`--limit-iface-in/out`).
   */
  readonly addrType: (addr: Ip, dev?: string) => AddrType;
  /**
   * The primary address of `dev` for the family: MASQUERADE's new source on the output device
   * (the kernel takes what `inet_select_addr()` picks for the next hop) and REDIRECT's new
   * destination on the input device. Undefined when the device has none: the packet is dropped.
   */
  readonly masqueradeAddress?: (dev: string, family: 4 | 6) => Ip | undefined;
  /**
   * The route a reply to the packet would take (`-m rpfilter`): a FIB lookup of `dst` from
   * `src` with `mark`, as fib_lookup() answers it; undefined when nothing routes it.
   */
  readonly reverseRoute?: (key: { readonly dst: Ip; readonly src: Ip; readonly mark: number }) => { readonly type: string; readonly dev?: string } | undefined;
  /**
   * The sending socket's owner (`-m owner`) for a locally generated packet in OUTPUT and
   * POSTROUTING; absent for forwarded packets and kernel-made ones (RSTs, ICMP errors).
   */
  readonly socket?: { readonly uid: number; readonly gid: number };
  readonly ctx: SimContext;
  readonly emit: Emit;
}

/** The outcome of one hook. */
export interface HookResult {
  readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  /** For REJECT: the `--reject-with` type (`icmp-port-unreachable` by default). */
  readonly rejectWith?: string;
  /** The packet as it leaves the hook (NAT and mangling applied). */
  readonly packet: Packet;
  readonly skb: NfSkb;
  /** Where the verdict was decided, for DROP/REJECT: `table/chain#position` or `table/chain:policy`. */
  readonly decidedBy?: string;
}

/** Runs one hook over a namespace's netfilter state. */
export type HookRunner = (hook: Hook, packet: Packet, skb: NfSkb, env: HookEnv) => HookResult;
