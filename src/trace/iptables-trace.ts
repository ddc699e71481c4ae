/**
 * `netsim iptables trace`: one packet through one host's netfilter rules, with no routing model.
 * The user names the input and output devices and the host's own addresses; the hooks run in
 * the order Linux runs them:
 *
 *   arriving (--in):   PREROUTING ─┬─ dst local (after DNAT) ─→ INPUT
 *                                  └─ otherwise ──────────────→ FORWARD ─→ POSTROUTING
 *   local (no --in):   OUTPUT ─→ POSTROUTING ─┬─ dst remote: leaves through --out
 *                                             └─ dst local: via lo ─→ PREROUTING ─→ INPUT
 *
 * Every rule that matched is reported in the order the kernel meets it, as iptables-save prints
 * it, with what it did; and a built-in chain's policy where the policy decided.
 */
import { cidr, cidrContains } from '../addr/cidr.js';
import { type Ip, ipEquals } from '../addr/ip.js';
import type { Hook, KernelEvent, TableName } from '../kernel/events.js';
import { type AddrType, FRESH_SKB, type HookEnv, type IpSet, type NfSkb, type NftRuleset, createNetfilter, defineSet, loadRuleset, runHook, setNftRuleset } from '../kernel/netfilter/index.js';
import type { Ruleset } from '../kernel/netfilter/rule.js';
import type { Packet } from '../packet/packet.js';
import { UNMODELLED_LABEL } from '../kernel/netfilter/eval/match/unmodelled.js';
import type { Chooser } from '../sim/context.js';
import { enumerateOutcomes } from './enumerate.js';
import { hostTraceHints } from './iptables-hints.js';

/** What `iptables trace` is asked. */
export interface HostTraceInput {
  readonly rulesets: readonly Ruleset[];
  /** The namespace's ipsets (`ipset restore` before `iptables-restore`), for `-m set`. */
  readonly ipsets?: readonly IpSet[];
  readonly packet: Packet;
  readonly inDev?: string;
  readonly outDev?: string;
  /** The host's own addresses: they make INPUT rather than FORWARD, and `-m addrtype LOCAL`. */
  readonly localAddrs: readonly Ip[];
  /** Owner of the sending socket of a locally generated packet (`-m owner`); default root (0, 0). */
  readonly socket?: { readonly uid: number; readonly gid: number };
  /** The host's nftables ruleset (`nft list ruleset`), beside the iptables rulesets (`netsim nft trace`). */
  readonly nft?: NftRuleset;
}

/** What `nft monitor trace` reports: base chains entered, rules that matched, policies. */
export type NftTraceEvent = Extract<KernelEvent, { kind: 'nft-hook' | 'nft-rule' | 'nft-policy' }>;

/** A rule that matched, or a policy that decided. */
export type HostStep =
  | { readonly hook: Hook; readonly table: TableName; readonly chain: string; readonly position: number; readonly rule: string; readonly verdict: string }
  | { readonly hook: Hook; readonly table: TableName; readonly chain: string; readonly policy: 'ACCEPT' | 'DROP' };

/** An address rewrite made by NAT, in the order it happened. */
export interface NatChange {
  readonly hook: Hook;
  readonly field: 'src' | 'dst' | 'sport' | 'dport';
  readonly from: string;
  readonly to: string;
  readonly by: string;
}

/**
 * A rule whose match netsim does not model, reached by the packet: which way this path assumed
 * it went (`matched`). The other way is another path (`--all-paths`).
 */
export interface UnmodelledBranch {
  /** `TABLE/CHAIN#N` of the rule. */
  readonly where: string;
  /** The match netsim does not evaluate (`-m string`). */
  readonly match: string;
  readonly matched: boolean;
}

/** The result of one path through the hooks. */
export interface HostTraceResult {
  readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  readonly rejectWith?: string;
  readonly decidedBy?: string;
  readonly hooks: readonly Hook[];
  readonly packet: Packet;
  readonly steps: readonly HostStep[];
  readonly nat: readonly NatChange[];
  /** Rules reached whose match is not modelled; present only when there are some. */
  readonly unmodelled?: readonly UnmodelledBranch[];
  /** What the input left out that decided the answer (`--out`, `--local-addr`); present only when some. */
  readonly hints?: readonly string[];
  /** The nft trace, when an nft ruleset was given. */
  readonly nft?: readonly NftTraceEvent[];
}

/** One random outcome with its probability (`--all-paths`). */
export interface HostTracePath extends HostTraceResult {
  readonly probability: number;
}

const MULTICAST_V4 = cidr('224.0.0.0/4');
const LOOPBACK_V4 = cidr('127.0.0.0/8');
const MULTICAST_V6 = cidr('ff00::/8');

/** `-m addrtype` as the host's local table would answer it. */
export function hostAddrType(localAddrs: readonly Ip[]): (addr: Ip) => AddrType {
  return (addr) => {
    if (localAddrs.some((l) => ipEquals(l, addr))) return 'LOCAL';
    if (addr.family === 4) {
      if (cidrContains(LOOPBACK_V4, addr)) return 'LOCAL';
      if (addr.value === 0xffffffffn) return 'BROADCAST';
      if (cidrContains(MULTICAST_V4, addr)) return 'MULTICAST';
      return 'UNICAST';
    }
    if (addr.value === 1n) return 'LOCAL';
    return cidrContains(MULTICAST_V6, addr) ? 'MULTICAST' : 'UNICAST';
  };
}

/** The hooks a packet meets before POSTROUTING, decided after PREROUTING's DNAT. */
function isLocal(addrType: (a: Ip) => AddrType, p: Packet): boolean {
  return addrType(p.ip.dst) === 'LOCAL';
}

/** Runs the packet through the hooks once, with the given chooser for random matches. */
export function traceHost(input: HostTraceInput, given: Chooser, now: () => number = () => 0): HostTraceResult {
  const unmodelled: UnmodelledBranch[] = [];
  const chooser: Chooser = {
    choose(label, probabilities) {
      const index = given.choose(label, probabilities);
      const at = label.indexOf(UNMODELLED_LABEL);
      if (at >= 0) unmodelled.push({ where: label.slice(0, at).trim(), match: label.slice(at + UNMODELLED_LABEL.length), matched: index === 0 });
      return index;
    },
  };
  const state = createNetfilter();
  for (const set of input.ipsets ?? []) defineSet(state, set);
  for (const rs of input.rulesets) loadRuleset(state, rs);
  if (input.nft !== undefined) setNftRuleset(state.nft, input.nft);
  const events: KernelEvent[] = [];
  const addrType = hostAddrType(input.localAddrs);
  // A packet for one of the host's own addresses is routed through `lo`: it leaves through
  // OUTPUT and POSTROUTING with `-o lo` and comes back in through PREROUTING and INPUT with
  // `-i lo` (loopback_xmit → netif_rx), keeping its conntrack entry, so nat is not traversed again.
  let viaLo = false;
  const local = input.inDev === undefined;
  const envFor = (hook: Hook): HookEnv => {
    const withIn = hook === 'PREROUTING' || hook === 'INPUT' || hook === 'FORWARD';
    const withOut = hook === 'FORWARD' || hook === 'OUTPUT' || hook === 'POSTROUTING';
    const inDev = viaLo ? 'lo' : input.inDev;
    const outDev = viaLo ? 'lo' : input.outDev;
    return {
      ns: 'host',
      ...(withIn && inDev !== undefined ? { inDev } : {}),
      ...(withOut && outDev !== undefined ? { outDev } : {}),
      addrType,
      ...(local && (hook === 'OUTPUT' || hook === 'POSTROUTING') ? { socket: input.socket ?? { uid: 0, gid: 0 } } : {}),
      masqueradeAddress: (_dev: string, family: 4 | 6) => input.localAddrs.find((a) => a.family === family),
      ctx: { now, chooser },
      emit: (e) => events.push(e),
    };
  };
  const hooks: Hook[] = [];
  let packet = input.packet;
  let skb: NfSkb = FRESH_SKB;
  const plan: Hook[] = local ? ['OUTPUT'] : ['PREROUTING'];
  viaLo = local && isLocal(addrType, packet);
  for (let i = 0; i < plan.length; i++) {
    const hook = plan[i] as Hook;
    hooks.push(hook);
    const r = runHook(state, hook, packet, skb, envFor(hook));
    packet = r.packet;
    skb = r.skb;
    if (r.verdict !== 'ACCEPT') return result(r.verdict, r.rejectWith, r.decidedBy);
    if (hook === 'OUTPUT') {
      // Re-routed after OUTPUT's DNAT (ip_route_me_harder): the new destination decides.
      viaLo = isLocal(addrType, packet);
      plan.push('POSTROUTING');
    }
    if (hook === 'POSTROUTING' && local && viaLo) plan.push('PREROUTING');
    if (hook === 'PREROUTING') plan.push(...(isLocal(addrType, packet) ? (['INPUT'] as const) : (['FORWARD', 'POSTROUTING'] as const)));
  }
  return result('ACCEPT', undefined, undefined);

  function result(verdict: HostTraceResult['verdict'], rejectWith: string | undefined, decidedBy: string | undefined): HostTraceResult {
    const r = resultBody(verdict, rejectWith, decidedBy);
    const hints = hostTraceHints(input, r);
    return hints.length > 0 ? { ...r, hints } : r;
  }

  function resultBody(verdict: HostTraceResult['verdict'], rejectWith: string | undefined, decidedBy: string | undefined): HostTraceResult {
    return {
      verdict,
      ...(rejectWith !== undefined ? { rejectWith } : {}),
      ...(decidedBy !== undefined ? { decidedBy } : {}),
      hooks,
      packet,
      steps: stepsOf(events),
      nat: events.flatMap((e) => (e.kind === 'nat' ? [{ hook: e.hook, field: e.field, from: e.from, to: e.to, by: e.by }] : [])),
      ...(unmodelled.length > 0 ? { unmodelled } : {}),
      ...(input.nft !== undefined ? { nft: events.filter((e): e is NftTraceEvent => e.kind === 'nft-hook' || e.kind === 'nft-rule' || e.kind === 'nft-policy') } : {}),
    };
  }
}

/**
 * Every random outcome, in rule order, each with its probability. Both outcomes of an
 * unmodelled match are paths too; their probability counts only the random (`-m statistic`)
 * choices, since netsim cannot say how likely an unmodelled match is.
 */
export function traceHostAllPaths(input: HostTraceInput): HostTracePath[] {
  return enumerateOutcomes((chooser) => traceHost(input, chooser)).map((o) => ({
    ...o.result,
    probability: o.choices.reduce((p, c) => (c.label.includes(UNMODELLED_LABEL) ? p : p * c.probability), 1),
  }));
}

/** The rule and policy steps of a run, in order. */
function stepsOf(events: readonly KernelEvent[]): HostStep[] {
  const steps: HostStep[] = [];
  for (const e of events) {
    if (e.kind === 'nf-rule') steps.push({ hook: e.hook, table: e.table, chain: e.chain, position: e.position, rule: e.rule, verdict: e.verdict });
    else if (e.kind === 'nf-policy') steps.push({ hook: e.hook, table: e.table, chain: e.chain, policy: e.policy });
  }
  return steps;
}

