/** The packet as it moves through one hook: mutable, local to one `runHook` call. */
import { type Packet, withOuterTos } from '../../../packet/packet.js';
import type { HookEnv } from '../api.js';
import { replaceEntry } from '../conntrack/table.js';
import type { NetfilterState } from '../state.js';
import type { Hook, TableName } from '../../events.js';
import type { CtView, EvalCtx } from './ctx.js';
import { viewOf } from './ctx.js';

/** The packet, its nfmark and its conntrack view while a hook runs. */
export interface Flight {
  packet: Packet;
  mark: number;
  ct: CtView;
}

/** Writes a changed entry back where it lives: the table once confirmed, the skb before. */
export function persist(state: NetfilterState, f: Flight): void {
  if (f.ct.kind === 'tracked' && f.ct.entry.confirmed) replaceEntry(state.conntrack, f.ct.entry);
}

/** A fresh evaluation context for one table at one hook. */
export function evalCtx(state: NetfilterState, hook: Hook, table: TableName, f: Flight, env: HookEnv): EvalCtx {
  const pkt = viewOf(f.packet);
  return { hook, table, family: pkt.family, env, state, pkt, mark: f.mark, tos: pkt.tos, ct: f.ct, notrack: false, nat: undefined, chain: hook, position: 0 };
}

/** Takes back what a table changed (nfmark, connmark, the TOS byte). */
export function absorb(state: NetfilterState, f: Flight, c: EvalCtx): void {
  f.mark = c.mark;
  if (c.tos !== c.pkt.tos) f.packet = withOuterTos(f.packet, c.tos);
  f.ct = c.ct;
  persist(state, f);
}
