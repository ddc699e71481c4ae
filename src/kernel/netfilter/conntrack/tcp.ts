/**
 * The TCP conntrack state machine: `tcp_conntracks[dir][flags][state]` of
 * net/netfilter/nf_conntrack_proto_tcp.c as a data table. Window tracking (`tcp_in_window`)
 * is not modelled (netsim packets have no sequence numbers), so an out-of-window RST that the
 * kernel would call INVALID closes the connection here.
 *
 * Checked in namespaces on Linux 6.18 (liberal window mode): both close orders, simultaneous
 * FINs, simultaneous open (SYN_SENT2), SYN/ACK from the originator (INVALID), a reply ACK or a
 * SYN while established (ignored), a duplicate SYN/ACK (ignored).
 */
import type { TcpFlag } from '../../../packet/packet.js';
import type { TcpCtState } from './entry.js';

/** The flag classes of the kernel's table (`get_conntrack_index`). */
type FlagClass = 'syn' | 'synack' | 'fin' | 'ack' | 'rst' | 'none';

/** `sIV`: the packet is INVALID. `sIG`: ignored, the state stays. */
export type TcpNext = TcpCtState | 'INVALID' | 'IGNORE';

/** A TCP packet's flag class. */
export function flagClass(flags: readonly TcpFlag[]): FlagClass {
  const has = (f: TcpFlag) => flags.includes(f);
  if (has('RST')) return 'rst';
  if (has('SYN')) return has('ACK') ? 'synack' : 'syn';
  if (has('FIN')) return 'fin';
  if (has('ACK')) return 'ack';
  return 'none';
}

type Row = readonly [TcpNext, TcpNext, TcpNext, TcpNext, TcpNext, TcpNext, TcpNext, TcpNext, TcpNext, TcpNext];
const COLUMNS: readonly ('NONE' | TcpCtState)[] = ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'];

const IV = 'INVALID';
const IG = 'IGNORE';
const SS = 'SYN_SENT';
const SR = 'SYN_RECV';
const ES = 'ESTABLISHED';
const FW = 'FIN_WAIT';
const CW = 'CLOSE_WAIT';
const LA = 'LAST_ACK';
const TW = 'TIME_WAIT';
const CL = 'CLOSE';
const S2 = 'SYN_SENT2';
const ALL_IV: Row = [IV, IV, IV, IV, IV, IV, IV, IV, IV, IV];

/*                                    sNO sSS sSR sES sFW sCW sLA sTW sCL sS2 */
const ORIGINAL: Readonly<Record<FlagClass, Row>> = {
  syn: /*                          */ [SS, SS, IG, IG, IG, IG, IG, SS, SS, S2],
  synack: /*                       */ [IV, IV, SR, IV, IV, IV, IV, IV, IV, SR],
  fin: /*                          */ [IV, IV, FW, FW, LA, LA, LA, TW, CL, IV],
  ack: /*                          */ [ES, IV, ES, ES, CW, CW, TW, TW, CL, IV],
  rst: /*                          */ [IV, CL, CL, CL, CL, CL, CL, CL, CL, CL],
  none: ALL_IV,
};
const REPLY: Readonly<Record<FlagClass, Row>> = {
  syn: /*                          */ [IV, S2, IV, IV, IV, IV, IV, SS, IV, S2],
  synack: /*                       */ [IV, SR, IG, IG, IG, IG, IG, IG, IG, SR],
  fin: /*                          */ [IV, IV, FW, FW, LA, LA, LA, TW, CL, IV],
  ack: /*                          */ [IV, IG, SR, ES, CW, CW, TW, TW, CL, IG],
  rst: /*                          */ [IV, CL, CL, CL, CL, CL, CL, CL, CL, CL],
  none: ALL_IV,
};

/** The transition for a packet of class `flags` in direction `reply` from `state` (`NONE` for a new connection). */
export function tcpTransition(state: TcpCtState | 'NONE', flags: readonly TcpFlag[], reply: boolean): TcpNext {
  const row = (reply ? REPLY : ORIGINAL)[flagClass(flags)];
  return row[COLUMNS.indexOf(state)] ?? IV;
}

/**
 * The state of a new connection for its first packet, or undefined when the packet is INVALID:
 * a SYN opens SYN_SENT; a bare ACK is picked up mid-stream as ESTABLISHED
 * (`nf_conntrack_tcp_loose` = 1, the default); anything else has no connection to belong to.
 */
export function tcpNewState(flags: readonly TcpFlag[]): TcpCtState | undefined {
  const next = tcpTransition('NONE', flags, false);
  return next === 'INVALID' || next === 'IGNORE' ? undefined : next;
}
