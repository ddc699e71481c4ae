/**
 * Enumerating random outcomes. The kernel model asks a {@link Chooser} whenever it meets a random
 * decision (`-m statistic --mode random`). To show every outcome, the tracer runs the same
 * simulation again and again with a chooser that replays a forced prefix of choices and takes
 * the first branch beyond it: a depth-first walk over the tree of decisions, in a deterministic
 * order (branch 0 = "the rule matched" first), each leaf with the product of its probabilities.
 */
import { InternalError } from '../diag/diagnostic.js';
import type { Chooser } from '../sim/context.js';

/** One leaf of the decision tree: the choices taken, their joint probability and the result. */
export interface Outcome<R> {
  readonly choices: readonly { readonly label: string; readonly index: number; readonly probability: number }[];
  readonly probability: number;
  readonly result: R;
}

/** Limit on the number of leaves, so a pathological rule set cannot hang the tracer. */
export const MAX_OUTCOMES = 4096;

/**
 * Runs `simulate` once per combination of random outcomes and returns every leaf whose
 * probability is above zero. `simulate` must be deterministic given the chooser's answers
 * (it should start from a fresh copy of any state it mutates).
 */
export function enumerateOutcomes<R>(simulate: (chooser: Chooser) => R, maxOutcomes = MAX_OUTCOMES): Outcome<R>[] {
  const outcomes: Outcome<R>[] = [];
  let forced: number[] = [];
  for (;;) {
    const taken: { label: string; index: number; probability: number; arity: number; probs: readonly number[] }[] = [];
    const chooser: Chooser = {
      choose(label, probabilities) {
        const depth = taken.length;
        let index = forced[depth] ?? firstPossible(probabilities, 0);
        if (index < 0) index = 0;
        taken.push({ label, index, probability: probabilities[index] ?? 0, arity: probabilities.length, probs: probabilities });
        return index;
      },
    };
    const result = simulate(chooser);
    const probability = taken.reduce((p, t) => p * t.probability, 1);
    if (probability > 0) {
      outcomes.push({ choices: taken.map(({ label, index, probability: p }) => ({ label, index, probability: p })), probability, result });
    }
    if (outcomes.length > maxOutcomes) throw new InternalError(`more than ${maxOutcomes} random outcomes`);
    // Backtrack: the deepest decision that still has an untried branch with probability > 0.
    let depth = taken.length - 1;
    while (depth >= 0) {
      const t = taken[depth];
      if (t !== undefined) {
        const next = firstPossible(t.probs, t.index + 1);
        if (next >= 0) {
          forced = [...taken.slice(0, depth).map((x) => x.index), next];
          break;
        }
      }
      depth--;
    }
    if (depth < 0) return outcomes;
  }
}

/** The first branch at or after `from` whose probability is above zero, or -1. */
function firstPossible(probabilities: readonly number[], from: number): number {
  for (let i = from; i < probabilities.length; i++) if ((probabilities[i] ?? 0) > 0) return i;
  return -1;
}
