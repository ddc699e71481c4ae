/**
 * Which NetworkPolicy decided a cell, for the matrix's `policy` field and its disagreements: the
 * policy a policy agent's trace note names (Felix's and kube-router's notes say "… NetworkPolicy
 * y/deny-all (ingress) …"), else the evaluator's verdict: the isolating policies of the side
 * that denied (`y/deny-all (ingress)`), or the rules that allowed (`x/allow-web ingress rule #1`).
 * Nothing decided (null) when no policy isolates either end, or when nothing enforces them.
 */
import { type PolicyQuery, type SideVerdict, explainVerdict } from '../../policy/index.js';
import type { Trace } from '../../trace/types.js';
import type { PolicyMatrixRun } from './run.js';
import { cellOf } from './table.js';

/** The deciding policy (null: none) and a sentence saying why. */
export interface Decider {
  readonly policy: string | null;
  readonly reason: string;
}

/** The decider of cell `[i][j]`. */
export function deciderOf(run: Pick<PolicyMatrixRun, 'enforcer' | 'evaluator' | 'world' | 'pods' | 'datapath' | 'protocol' | 'port'>, i: number, j: number): Decider {
  if (i === j) return { policy: null, reason: 'loopback: a pod reaching its own address stays inside its network namespace, where no policy agent sits' };
  const v = run.evaluator.cells[i]?.[j];
  const [src, dst] = [run.pods[i], run.pods[j]];
  if (v === undefined || src === undefined || dst === undefined) return { policy: null, reason: '' };
  const q: PolicyQuery = { src: { pod: src.pod, ...(src.ips[0] ? { ip: src.ips[0] } : {}) }, dst: { pod: dst.pod, ...(dst.ips[0] ? { ip: dst.ips[0] } : {}) }, protocol: run.protocol, port: run.port };
  const reason = explainVerdict(run.world, q, v);
  if (run.enforcer === 'none') return { policy: null, reason: `${reason} (nothing enforces NetworkPolicy in this cluster: enforcer none)` };
  const noted = policyNote(cellOf(run.datapath, i, j).trace);
  if (noted !== undefined) return { policy: noted, reason };
  return { policy: evaluatorPolicy(v.egress, v.ingress), reason };
}

/** `ns/name (direction)` of the denying side, or the allowing rules; null when neither side is isolated. */
export function evaluatorPolicy(egress: SideVerdict, ingress: SideVerdict): string | null {
  if (egress.kind === 'denied') return `${egress.policies.join(', ')} (egress)`;
  if (ingress.kind === 'denied') return `${ingress.policies.join(', ')} (ingress)`;
  const parts = [rule(egress, 'egress'), rule(ingress, 'ingress')].filter((s): s is string => s !== undefined);
  return parts.length === 0 ? null : parts.join('; ');
}

function rule(v: SideVerdict, dir: 'ingress' | 'egress'): string | undefined {
  return v.kind === 'allowed' ? `${v.policy} ${dir} rule #${v.ruleIndex + 1}` : undefined;
}

const NOTE = /NetworkPolic(?:y|ies) ([a-z0-9][-a-z0-9.]*\/[a-z0-9][-a-z0-9.]*)(?:[^;]*?\b(ingress|egress)(?: rule #(\d+))?)?/;

/** The policy a note of the trace names, with its direction and rule when the note gives them. */
export function policyNote(trace: Trace): string | undefined {
  for (const hop of trace.hops) {
    for (const s of hop.steps) {
      if (s.type !== 'note') continue;
      const m = NOTE.exec(s.text);
      if (m === null) continue;
      const [, name, dir, n] = m;
      return dir === undefined ? name : n === undefined ? `${name} (${dir})` : `${name} ${dir} rule #${n}`;
    }
  }
  return undefined;
}
