/**
 * One conntrack entry (`struct nf_conn`): the original and reply tuples, the status bits that
 * matter to iptables, the TCP state, the connmark and the NAT bindings. Plain data: the engine
 * replaces an entry rather than mutating it, so an entry held by an skb before confirm is a value.
 */
import type { Tuple } from './tuple.js';

/** TCP conntrack states (`enum tcp_conntrack`) as `conntrack -L` prints them. */
export type TcpCtState = 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE' | 'SYN_SENT2';

/** Which NAT target made a binding (for the `nat` events of later packets). */
export type NatBy = 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT' | 'null';

/** A conntrack entry. */
export interface ConntrackEntry {
  readonly id: number;
  /** `tuplehash[IP_CT_DIR_ORIGINAL]`: the first packet as it arrived. */
  readonly orig: Tuple;
  /** `tuplehash[IP_CT_DIR_REPLY]`: the answer expected, rewritten when NAT is set up. */
  readonly reply: Tuple;
  readonly confirmed: boolean;
  /** IPS_SEEN_REPLY: a packet went the other way. */
  readonly seenReply: boolean;
  /** IPS_ASSURED: printed as `[ASSURED]`. */
  readonly assured: boolean;
  readonly tcpState?: TcpCtState;
  /** ct->mark (`-m connmark`, `-j CONNMARK`). */
  readonly mark: number;
  /**
   * NAT bindings per manip type: absent = not yet initialized (the nat table is still consulted
   * for a NEW packet), present = decided (`null` binding when no rule matched).
   */
  readonly natSrc?: NatBy;
  readonly natDst?: NatBy;
  /** Simulated seconds: creation, and the absolute time the entry expires. */
  readonly created: number;
  readonly expires: number;
}

/** Timeouts in seconds (net.netfilter.nf_conntrack_*_timeout* defaults). */
export const TCP_TIMEOUT: Readonly<Record<TcpCtState, number>> = {
  SYN_SENT: 120,
  SYN_RECV: 60,
  ESTABLISHED: 432000,
  FIN_WAIT: 120,
  CLOSE_WAIT: 60,
  LAST_ACK: 30,
  TIME_WAIT: 120,
  CLOSE: 10,
  SYN_SENT2: 120,
};
export const UDP_TIMEOUT = 30;
export const UDP_STREAM_TIMEOUT = 120;
export const ICMP_TIMEOUT = 30;
export const GENERIC_TIMEOUT = 600;

/** True when the binding of that manip type rewrites (not absent, not a null binding). */
export function natActive(by: NatBy | undefined): by is Exclude<NatBy, 'null'> {
  return by !== undefined && by !== 'null';
}
