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
import type { CtView, NatRequest } from './ctx.js';
import { nftNatChains, runNftChain } from '../nft/run.js';
import type { HookedChain } from '../nft/state.js';
import type { Table } from '../rule.js';
import { absorb, evalCtx, type Flight, persist } from './flight.js';

type Tracked = Extract<CtView, { kind: 'tracked' }>;

function initialized(e: ConntrackEntry, m: ManipType): boolean {
  return (m === 'src' ? e.natSrc : e.natDst) !== undefined;
}

function isTracked(f: Flight): f is Flight & { ct: Tracked } {
  return f.ct.kind === 'tracked';
}

/** One nat chain to consult: the iptables nat table, or an nft base chain of type nat. */
type NatChain = { readonly kind: 'xt'; readonly table: Table } | { readonly kind: 'nft'; readonly chain: HookedChain };

/**
 * The nat chains of a hook in the order the NAT hook walks them (see nft/run.ts): by priority,
 * the iptables nat table at -100 (dst) / 100 (src), nft chains first on ties.
 */
function natChains(state: NetfilterState, hook: Hook, m: ManipType, family: 4 | 6): NatChain[] {
  const table = findTable(state, family, 'nat');
  const xt: NatChain[] = table !== undefined ? [{ kind: 'xt', table }] : [];
  const nft = nftNatChains(state, hook, family);
  if (nft.length === 0) return xt;
  const xtPrio = m === 'dst' ? -100 : 100;
  const before = nft.filter((c) => c.priority <= xtPrio).map((chain): NatChain => ({ kind: 'nft', chain }));
  const after = nft.filter((c) => c.priority > xtPrio).map((chain): NatChain => ({ kind: 'nft', chain }));
  return [...before, ...xt, ...after];
}

function runNatChain(state: NetfilterState, hook: Hook, nc: NatChain, f: Flight, env: HookEnv): { v: TableVerdict; nat: NatRequest | undefined } {
  if (nc.kind === 'nft') {
    const r = runNftChain(state, hook, nc.chain, f, env);
    return { v: r.verdict, nat: r.nat };
  }
  const c = evalCtx(state, hook, 'nat', f, env);
  const v = check(nc.table, c);
  absorb(state, f, c);
  return { v, nat: c.nat };
}

/** Runs the nat chains for a new connection and records the binding the first deciding one sets up. */
function decide(state: NetfilterState, hook: Hook, m: ManipType, f: Flight & { ct: Tracked }, env: HookEnv): TableVerdict | undefined {
  const ct = f.ct;
  let v: TableVerdict | undefined;
  let entry = ct.entry;
  const now = env.ctx.now();
  for (const nc of natChains(state, hook, m, ct.entry.orig.family)) {
    const r = runNatChain(state, hook, nc, f, env);
    v = r.v;
    if (v.verdict !== 'ACCEPT') return v;
    if (f.ct.kind === 'tracked') entry = f.ct.entry;
    if (r.nat !== undefined) {
      if (r.nat.manip !== m) throw new InternalError(`${r.nat.by} in nat ${hook}: wrong hook for this target`);
      entry = setupNat(state.conntrack, entry, m, r.nat.range, r.nat.by, now);
      break;
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
