/**
 * Netfilter engine (placeholder until the engine lands): tables, chains, rules, matches,
 * targets, conntrack and NAT. The stack uses only what is exported here.
 */
import type { Packet } from '../../packet/packet.js';
import type { Hook } from '../events.js';
import type { HookEnv, HookResult, NfSkb } from './api.js';

export * from './api.js';

/** All netfilter state of one network namespace (iptables and ip6tables tables, conntrack, ipsets). */
export interface NetfilterState {
  readonly placeholder: true;
}

/** An empty netfilter state: every built-in chain empty with policy ACCEPT. */
export function createNetfilter(): NetfilterState {
  return { placeholder: true };
}

/** Runs one hook (see api.ts). Placeholder: accepts everything. */
export function runHook(_state: NetfilterState, _hook: Hook, packet: Packet, skb: NfSkb, _env: HookEnv): HookResult {
  return { verdict: 'ACCEPT', packet, skb };
}
