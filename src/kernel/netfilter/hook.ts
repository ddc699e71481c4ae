/**
 * `runHook`: one netfilter hook of one namespace, every table registered on it in priority order,
 * with conntrack and NAT in between (include/uapi/linux/netfilter_ipv4.h, `enum nf_ip_hook_priorities`).
 *
 *   wire ──► PREROUTING ──► routing ──► FORWARD ──────────────► POSTROUTING ──► wire
 *            raw -300                   mangle -150             mangle -150
 *            conntrack -200             filter 0                nat SNAT 100
 *            mangle -150                security 50             conntrack confirm (last)
 *            nat DNAT -100                                           ▲
 *                          │                                         │
 *                          ▼                                         │
 *                        INPUT                  OUTPUT ──► routing ──┘
 *                          mangle -150            raw -300
 *                          filter 0               conntrack -200
 *                          security 50            mangle -150
 *                          nat SNAT 100           nat DNAT -100
 *                          conntrack confirm      filter 0
 *                          ▼                      security 50
 *                        socket ─────────────────► (local process)
 *
 * The nat table is consulted only for a packet whose connection has no binding yet for the hook's
 * manip type, which in practice means the first packet of a connection (`nf_nat_inet_fn`); every
 * packet, either direction, is then rewritten from the conntrack entry.
 */
import type { Packet } from '../../packet/packet.js';
import { assertNever } from '../../diag/diagnostic.js';
import type { Hook, TableName } from '../events.js';
import type { HookEnv, HookResult, NfSkb } from './api.js';
import { formatEntry } from './conntrack/render.js';
import { deleteEntry, insertConfirmed } from './conntrack/table.js';
import { ctInfo, track, trackAction } from './conntrack/track.js';
import { formatTuple, tupleOf } from './conntrack/tuple.js';
import type { CtView } from './eval/ctx.js';
import { type Flight, persist } from './eval/flight.js';
import { natStage } from './eval/nat-stage.js';
import { runTable } from './eval/run-table.js';
import type { NetfilterState } from './state.js';
import { conntrackNeeded } from './ct-needed.js';
import { mergeStages, nftFilterChains, runNftChain } from './nft/run.js';
import { type HookedChain, nftNeedsConntrack } from './nft/state.js';

/** One step of a hook. */
type Stage =
  | { readonly kind: 'table'; readonly table: TableName }
  | { readonly kind: 'conntrack' }
  | { readonly kind: 'nat'; readonly manip: 'src' | 'dst' }
  | { readonly kind: 'confirm' }
  | { readonly kind: 'nft'; readonly chain: HookedChain };

const T = (table: TableName): Stage => ({ kind: 'table', table });
const CT: Stage = { kind: 'conntrack' };
const CONFIRM: Stage = { kind: 'confirm' };

/** The stages of each hook, in priority order. */
export const HOOK_STAGES: Readonly<Record<Hook, readonly Stage[]>> = {
  PREROUTING: [T('raw'), CT, T('mangle'), { kind: 'nat', manip: 'dst' }],
  INPUT: [T('mangle'), T('filter'), T('security'), { kind: 'nat', manip: 'src' }, CONFIRM],
  FORWARD: [T('mangle'), T('filter'), T('security')],
  OUTPUT: [T('raw'), CT, T('mangle'), { kind: 'nat', manip: 'dst' }, T('filter'), T('security')],
  POSTROUTING: [T('mangle'), { kind: 'nat', manip: 'src' }, CONFIRM],
};

function ctViewOf(state: NetfilterState, skb: NfSkb): CtView {
  const ref = skb.ct;
  if (ref === undefined) return { kind: 'invalid' };
  if (ref === 'untracked') return { kind: 'untracked' };
  const entry = skb.unconfirmed?.id === ref.id ? skb.unconfirmed : state.conntrack.entries.get(ref.id);
  if (entry === undefined) return { kind: 'invalid' };
  return { kind: 'tracked', entry, dir: ref.dir, info: ctInfo(entry, ref.dir) };
}

function skbOf(f: Flight): NfSkb {
  switch (f.ct.kind) {
    case 'invalid':
      return { mark: f.mark };
    case 'untracked':
      return { mark: f.mark, ct: 'untracked' };
    case 'tracked': {
      const ct = { id: f.ct.entry.id, dir: f.ct.dir };
      return f.ct.entry.confirmed ? { mark: f.mark, ct } : { mark: f.mark, ct, unconfirmed: f.ct.entry };
    }
    default:
      return assertNever(f.ct, 'ct view');
  }
}

/** `nf_conntrack_in` (PREROUTING, OUTPUT at -200): a packet already tracked or untracked is left alone. */
function conntrackStage(state: NetfilterState, f: Flight, env: HookEnv): void {
  if (f.ct.kind !== 'invalid') return;
  const tuple = tupleOf(f.packet);
  const now = env.ctx.now();
  const r = track(state.conntrack, tuple, f.packet, now);
  const action = trackAction(r);
  if (r.kind === 'invalid') {
    env.emit({ kind: 'conntrack', ns: env.ns, action, entry: `${formatTuple(tuple)} (${r.why})` });
    return;
  }
  const dir = r.kind === 'found' ? r.dir : 'original';
  f.ct = { kind: 'tracked', entry: r.entry, dir, info: ctInfo(r.entry, dir) };
  persist(state, f);
  env.emit({ kind: 'conntrack', ns: env.ns, action, entry: formatEntry(r.entry, now) });
  if (r.kind === 'found' && r.kill === true) deleteEntry(state.conntrack, r.entry.id);
}

/** `nf_conntrack_confirm` (last on INPUT and POSTROUTING): the entry enters the table. False on a clash. */
function confirmStage(state: NetfilterState, f: Flight, env: HookEnv): boolean {
  if (f.ct.kind !== 'tracked' || f.ct.entry.confirmed) return true;
  const entry = { ...f.ct.entry, confirmed: true };
  const now = env.ctx.now();
  if (!insertConfirmed(state.conntrack, entry, now)) return false;
  f.ct = { ...f.ct, entry };
  env.emit({ kind: 'conntrack', ns: env.ns, action: 'confirm', entry: formatEntry(entry, now) });
  return true;
}

function result(f: Flight, verdict: HookResult['verdict'], extra: Partial<Pick<HookResult, 'rejectWith' | 'decidedBy'>> = {}): HookResult {
  return { verdict, packet: f.packet, skb: skbOf(f), ...extra };
}

/** Runs one hook (see the diagram above and api.ts). */
export function runHook(state: NetfilterState, hook: Hook, packet: Packet, skb: NfSkb, env: HookEnv): HookResult {
  const f: Flight = { packet, mark: skb.mark, ct: ctViewOf(state, skb) };
  // Without conntrack in this namespace and family, nothing is tracked and nat never runs.
  const fam = packet.ip.family;
  const tracking = conntrackNeeded(state.rulesets[fam]) || (state.nft.ruleset.tables.length > 0 && nftNeedsConntrack(state.nft, fam));
  const stages = mergeStages<Stage>(hook, HOOK_STAGES[hook], nftFilterChains(state, hook, fam), (chain) => ({ kind: 'nft', chain }));
  for (const stage of stages) {
    if (!tracking && stage.kind !== 'table' && stage.kind !== 'nft') continue;
    let v;
    switch (stage.kind) {
      case 'table':
        v = runTable(state, hook, stage.table, f, env);
        break;
      case 'conntrack':
        conntrackStage(state, f, env);
        break;
      case 'nat':
        v = natStage(state, hook, stage.manip, f, env);
        break;
      case 'confirm':
        if (!confirmStage(state, f, env)) return result(f, 'DROP', { decidedBy: 'conntrack:confirm-clash' });
        break;
      case 'nft':
        v = runNftChain(state, hook, stage.chain, f, env).verdict;
        break;
      default:
        return assertNever(stage, 'hook stage');
    }
    if (v !== undefined && v.verdict !== 'ACCEPT') return result(f, v.verdict, { ...(v.rejectWith === undefined ? {} : { rejectWith: v.rejectWith }), ...(v.decidedBy === undefined ? {} : { decidedBy: v.decidedBy }) });
  }
  return result(f, 'ACCEPT');
}
