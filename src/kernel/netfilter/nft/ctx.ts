/**
 * What an nft base chain sees while it runs (`struct nft_pktinfo` and the registers' sources):
 * the packet's header fields, the skb's mark, the conntrack view, and what statements decided
 * (NAT request, notrack). Short-lived and mutable, owned by one chain traversal.
 */
import type { Packet } from '../../../packet/packet.js';
import type { Hook } from '../../events.js';
import type { HookEnv } from '../api.js';
import type { CtView, NatRequest, PacketView } from '../eval/ctx.js';
import type { NetfilterState } from '../state.js';
import type { NftTable } from './model.js';

/** See the file header. */
export interface NftCtx {
  readonly hook: Hook;
  readonly v: 4 | 6;
  readonly env: HookEnv;
  readonly state: NetfilterState;
  readonly pkt: PacketView;
  /** The packet itself (for the trace's `packet:` line). */
  readonly packet: Packet;
  readonly table: NftTable;
  mark: number;
  ct: CtView;
  notrack: boolean;
  nat: NatRequest | undefined;
  /** The chain and 1-based rule position being evaluated (labels of random choices). */
  chain: string;
  position: number;
}
