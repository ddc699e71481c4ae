/**
 * Where nft base chains meet the hook model of ../hook.ts. Filter and route chains are stages of
 * a hook, ordered with the xtables stages by priority (raw -300, conntrack -200, mangle -150,
 * NAT -100/100, filter 0, security 50, confirm last). NAT chains run inside the NAT stage, in
 * priority order together with the iptables nat table, until one of them sets up a binding
 * (`nf_nat_inet_fn()` walks `priv->entries` and stops once `nf_nat_initialized()`).
 *
 * Equal priorities: the kernel runs the newest hook first. netsim counts the xtables tables as
 * registered before any nft chain (iptables rules usually predate kube-proxy's nft table), so on
 * a tie nft chains run first, and among nft chains the later registered one runs first.
 */
import type { Hook } from '../../events.js';
import type { HookEnv } from '../api.js';
import type { NatRequest } from '../eval/ctx.js';
import { viewOf } from '../eval/ctx.js';
import { type Flight, persist } from '../eval/flight.js';
import type { NetfilterState } from '../state.js';
import type { NftCtx } from './ctx.js';
import { type NftChainVerdict, runBaseChain } from './eval-chain.js';
import { chainsOnHook, type HookedChain } from './state.js';

/** Runs one base chain on the flight; the flight takes back the mark, conntrack and notrack. */
export function runNftChain(state: NetfilterState, hook: Hook, hc: HookedChain, f: Flight, env: HookEnv): { readonly verdict: NftChainVerdict; readonly nat: NatRequest | undefined } {
  const pkt = viewOf(f.packet);
  const c: NftCtx = { hook, v: pkt.family, env, state, pkt, packet: f.packet, table: hc.table, mark: f.mark, ct: f.ct, notrack: false, nat: undefined, chain: hc.chain.name, position: 0 };
  const verdict = runBaseChain(hc.chain, c);
  f.mark = c.mark;
  f.ct = c.notrack && c.ct.kind === 'invalid' ? { kind: 'untracked' } : c.ct;
  persist(state, f);
  return { verdict, nat: c.nat };
}

/** The priority of each xtables stage of a hook, in HOOK_STAGES order. */
export const XT_STAGE_PRIORITY: Readonly<Record<Hook, readonly number[]>> = {
  PREROUTING: [-300, -200, -150, -100],
  INPUT: [-150, 0, 50, 100, Number.MAX_SAFE_INTEGER],
  FORWARD: [-150, 0, 50],
  OUTPUT: [-300, -200, -150, -100, 0, 50],
  POSTROUTING: [-150, 100, Number.MAX_SAFE_INTEGER],
};

/** Merges the nft filter/route chains of a hook into its stage list (stable; nft first on ties). */
export function mergeStages<S>(hook: Hook, xt: readonly S[], nft: readonly HookedChain[], wrap: (hc: HookedChain) => S): readonly S[] {
  if (nft.length === 0) return xt;
  const prio = XT_STAGE_PRIORITY[hook];
  const out: S[] = [];
  let j = 0;
  xt.forEach((s, i) => {
    const p = prio[i] ?? 0;
    while (j < nft.length && (nft[j] as HookedChain).priority <= p) out.push(wrap(nft[j++] as HookedChain));
    out.push(s);
  });
  while (j < nft.length) out.push(wrap(nft[j++] as HookedChain));
  return out;
}

/** The nft filter/route chains on a hook for packets of version `v`. */
export function nftFilterChains(state: NetfilterState, hook: Hook, v: 4 | 6): HookedChain[] {
  return state.nft.ruleset.tables.length === 0 ? [] : chainsOnHook(state.nft, hook, v, false);
}

/** The nft nat chains on a hook for packets of version `v`. */
export function nftNatChains(state: NetfilterState, hook: Hook, v: 4 | 6): HookedChain[] {
  return state.nft.ruleset.tables.length === 0 ? [] : chainsOnHook(state.nft, hook, v, true);
}
