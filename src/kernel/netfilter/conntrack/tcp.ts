/**
 * A reduced TCP state machine after `tcp_conntracks[][]` in net/netfilter/nf_conntrack_proto_tcp.c:
 * enough to print the states `conntrack -L` shows for a handshake, a close and a reset, and to
 * tell which first packets are INVALID. Window tracking (`tcp_in_window`) is not modelled.
 */
import type { TcpFlag } from '../../../packet/packet.js';
import { assertNever } from '../../../diag/diagnostic.js';
import type { TcpCtState } from './entry.js';

/** The flag classes of the kernel's table (`get_conntrack_index`). */
type FlagClass = 'syn' | 'synack' | 'fin' | 'ack' | 'rst' | 'none';

function flagClass(flags: readonly TcpFlag[]): FlagClass {
  const has = (f: TcpFlag) => flags.includes(f);
  if (has('RST')) return 'rst';
  if (has('SYN')) return has('ACK') ? 'synack' : 'syn';
  if (has('FIN')) return 'fin';
  if (has('ACK')) return 'ack';
  return 'none';
}

/**
 * The state of a new connection for its first packet, or undefined when the packet is INVALID:
 * a SYN opens SYN_SENT; a bare ACK is picked up mid-stream as ESTABLISHED
 * (`nf_conntrack_tcp_loose` = 1, the default); anything else has no connection to belong to.
 */
export function tcpNewState(flags: readonly TcpFlag[]): TcpCtState | undefined {
  switch (flagClass(flags)) {
    case 'syn':
      return 'SYN_SENT';
    case 'ack':
      return 'ESTABLISHED';
    default:
      return undefined;
  }
}

/** The state after a packet of an existing connection (`reply` = the packet goes in the reply direction). */
export function tcpNextState(state: TcpCtState, flags: readonly TcpFlag[], reply: boolean): TcpCtState {
  const cls = flagClass(flags);
  if (cls === 'rst') return 'CLOSE';
  switch (state) {
    case 'SYN_SENT':
      return reply && cls === 'synack' ? 'SYN_RECV' : state;
    case 'SYN_RECV':
      return !reply && cls === 'ack' ? 'ESTABLISHED' : state;
    case 'ESTABLISHED':
      return cls === 'fin' ? 'FIN_WAIT' : state;
    case 'FIN_WAIT':
      if (cls === 'fin') return 'LAST_ACK';
      return cls === 'ack' ? 'CLOSE_WAIT' : state;
    case 'CLOSE_WAIT':
      return cls === 'fin' ? 'LAST_ACK' : state;
    case 'LAST_ACK':
      return cls === 'ack' ? 'TIME_WAIT' : state;
    case 'TIME_WAIT':
      return cls === 'syn' && !reply ? 'SYN_SENT' : state;
    case 'CLOSE':
      return cls === 'syn' && !reply ? 'SYN_SENT' : state;
    default:
      return assertNever(state, 'TCP conntrack state');
  }
}
