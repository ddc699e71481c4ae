/** What a target does to the traversal (`NF_ACCEPT`, `NF_DROP`, `XT_RETURN`, `XT_CONTINUE`, a jump). */
import type { EvalCtx } from '../ctx.js';

/** The outcome of a target. */
export type Outcome =
  | { readonly kind: 'continue' }
  | { readonly kind: 'accept' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'reject'; readonly with: string }
  | { readonly kind: 'return' }
  | { readonly kind: 'jump'; readonly chain: string }
  | { readonly kind: 'goto'; readonly chain: string };

/** A compiled target: its label for `nf-rule` events and its effect. */
export interface CompiledTarget {
  /** `ACCEPT`, `JUMP:KUBE-SVC-…`, `DNAT`, `CONTINUE` … (the nf-rule verdict vocabulary). */
  readonly label: string;
  readonly run: (c: EvalCtx) => Outcome;
}

export const CONTINUE: Outcome = { kind: 'continue' };
export const ACCEPT: Outcome = { kind: 'accept' };
export const DROP: Outcome = { kind: 'drop' };
