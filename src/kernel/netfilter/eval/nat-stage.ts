/**
 * The NAT hook functions (`nf_nat_inet_fn`, DNAT at -100 in PREROUTING/OUTPUT, SNAT at 100 in
 * INPUT/POSTROUTING): consult the nat table for a connection still without a binding of this
 * manip type, record the binding (a null one when no rule decided), then rewrite the packet
 * from the conntrack entry. Untracked and invalid packets are never translated.
 */
import { InternalError } from '../../../diag/diagnostic.js';
import type { Hook } from '../../events.js';
import type { HookEnv } from '../api.js';
import type { ConntrackEntry } from '../conntrack/entry.js';
import { rewrite } from '../conntrack/manip.js';
import { appliedBinding, type ManipType, manipTarget, nullBinding, setupNat } from '../conntrack/nat.js';
import { findTable, type NetfilterState } from '../state.js';
import { check, type TableVerdict } from './check.js';
import type { CtView } from './ctx.js';
import { absorb, evalCtx, type Flight, persist } from './flight.js';

type Tracked = Extract<CtView, { kind: 'tracked' }>;

function initialized(e: ConntrackEntry, m: ManipType): boolean {
  return (m === 'src' ? e.natSrc : e.natDst) !== undefined;
}

function isTracked(f: Flight): f is Flight & { ct: Tracked } {
  return f.ct.kind === 'tracked';
}

/** Runs the nat table for a new connection and records the binding it decides. */
function decide(state: NetfilterState, hook: Hook, m: ManipType, f: Flight & { ct: Tracked }, env: HookEnv): TableVerdict | undefined {
  const ct = f.ct;
  const table = findTable(state, ct.entry.orig.family, 'nat');
  let v: TableVerdict | undefined;
  let entry = ct.entry;
  const now = env.ctx.now();
  if (table !== undefined) {
    const c = evalCtx(state, hook, 'nat', f, env);
    v = check(table, c);
    absorb(state, f, c);
    if (v.verdict !== 'ACCEPT') return v;
    if (f.ct.kind === 'tracked') entry = f.ct.entry;
    if (c.nat !== undefined) {
      if (c.nat.manip !== m) throw new InternalError(`${c.nat.by} in nat ${hook}: wrong hook for this target`);
      entry = setupNat(state.conntrack, entry, m, c.nat.range, c.nat.by, now);
    }
  }
  if (!initialized(entry, m)) entry = nullBinding(state.conntrack, entry, m, now);
  f.ct = { ...ct, entry };
  persist(state, f);
  return v;
}

/** The NAT stage of a hook. */
export function natStage(state: NetfilterState, hook: Hook, m: ManipType, f: Flight, env: HookEnv): TableVerdict | undefined {
  if (!isTracked(f)) return undefined;
  let v: TableVerdict | undefined;
  const first = f.ct.info !== 'ESTABLISHED' && !initialized(f.ct.entry, m);
  if (first) {
    v = decide(state, hook, m, f, env);
    if (v !== undefined && v.verdict !== 'ACCEPT') return v;
  }
  const ct = f.ct; // decide() replaced it with the entry that carries the binding
  const by = appliedBinding(ct.entry, ct.dir, m);
  if (by === undefined) return v;
  const target = manipTarget(ct.entry, ct.dir, m);
  const out = rewrite(f.packet, m, target.addr, target.port);
  f.packet = out.packet;
  const label = first ? by : ct.dir === 'original' ? `conntrack ${by}` : `conntrack un-${by}`;
  for (const ch of out.changes) env.emit({ kind: 'nat', ns: env.ns, hook, field: ch.field, from: ch.from, to: ch.to, by: label });
  return v;
}
