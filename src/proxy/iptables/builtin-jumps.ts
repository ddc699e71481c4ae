/**
 * The jumps from the built-in chains into kube-proxy's chains (reference note §2). They are not
 * part of the restore payload: on a full sync kube-proxy runs `iptables -I <chain> 1 …` for each
 * one that is missing ("ensure rule, prepend"), walking the list below in order. So from an empty
 * chain the rules end up in reverse order; rules already present (kubelet's) keep their place.
 */
import type { ProxierConfig } from '../types.js';
import { comment, line } from './rule.js';

/** A rule in a built-in chain, with `rule` in `-A CHAIN …` form. */
export interface BuiltinJump {
  readonly table: 'filter' | 'nat';
  readonly chain: 'INPUT' | 'FORWARD' | 'OUTPUT' | 'PREROUTING' | 'POSTROUTING';
  /** The kube-proxy chain jumped to; kube-proxy creates it first if missing (EnsureChain). */
  readonly target: string;
  readonly rule: string;
}

type JumpSpec = readonly [BuiltinJump['table'], string, BuiltinJump['chain'], string, readonly string[]];

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'] as const;

/** iptablesJumpChains then iptablesKubeletJumpChains: table, target, source chain, comment, extra args. */
const JUMP_SPECS: readonly JumpSpec[] = [
  ['filter', 'KUBE-EXTERNAL-SERVICES', 'INPUT', 'kubernetes externally-visible service portals', NEW],
  ['filter', 'KUBE-EXTERNAL-SERVICES', 'FORWARD', 'kubernetes externally-visible service portals', NEW],
  ['filter', 'KUBE-NODEPORTS', 'INPUT', 'kubernetes health check service ports', []],
  ['filter', 'KUBE-SERVICES', 'FORWARD', 'kubernetes service portals', NEW],
  ['filter', 'KUBE-SERVICES', 'OUTPUT', 'kubernetes service portals', NEW],
  ['filter', 'KUBE-FORWARD', 'FORWARD', 'kubernetes forwarding rules', []],
  ['filter', 'KUBE-PROXY-FIREWALL', 'INPUT', 'kubernetes load balancer firewall', NEW],
  ['filter', 'KUBE-PROXY-FIREWALL', 'OUTPUT', 'kubernetes load balancer firewall', NEW],
  ['filter', 'KUBE-PROXY-FIREWALL', 'FORWARD', 'kubernetes load balancer firewall', NEW],
  ['nat', 'KUBE-SERVICES', 'OUTPUT', 'kubernetes service portals', []],
  ['nat', 'KUBE-SERVICES', 'PREROUTING', 'kubernetes service portals', []],
  ['nat', 'KUBE-POSTROUTING', 'POSTROUTING', 'kubernetes postrouting rules', []],
  ['filter', 'KUBE-FIREWALL', 'INPUT', '', []],
  ['filter', 'KUBE-FIREWALL', 'OUTPUT', '', []],
];

/** The jump rules in the order kube-proxy ensures them (each one is prepended). */
export function builtinJumpSpecs(_config?: ProxierConfig): BuiltinJump[] {
  return JUMP_SPECS.map(([table, target, chain, text, extra]) => ({
    table,
    chain,
    target,
    rule: line('-A', chain, extra, text === '' ? [] : comment(text), '-j', target),
  }));
}

/**
 * The jump rules in the order they end up in the kernel when the built-in chains start empty:
 * the ensure order reversed, since each rule is inserted at position 1.
 */
export function builtinJumps(config?: ProxierConfig): BuiltinJump[] {
  return builtinJumpSpecs(config).reverse();
}
