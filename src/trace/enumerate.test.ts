import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { enumerateOutcomes } from './enumerate.js';

describe('enumerateOutcomes', () => {
  it('walks a kube-proxy style cascade of three endpoints in rule order', () => {
    // KUBE-SVC with 3 endpoints: 1/3, then 1/2, then the last one unconditionally.
    const outcomes = enumerateOutcomes((chooser) => {
      if (chooser.choose('sep1', [1 / 3, 2 / 3]) === 0) return 'sep1';
      if (chooser.choose('sep2', [0.5, 0.5]) === 0) return 'sep2';
      return 'sep3';
    });
    expect(outcomes.map((o) => o.result)).toEqual(['sep1', 'sep2', 'sep3']);
    for (const o of outcomes) expect(o.probability).toBeCloseTo(1 / 3, 9);
  });

  it('skips branches of probability zero', () => {
    const outcomes = enumerateOutcomes((chooser) => chooser.choose('x', [0, 1]));
    expect(outcomes.map((o) => o.result)).toEqual([1]);
  });

  it('probabilities of all leaves sum to one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 5 }), (arities) => {
        const outcomes = enumerateOutcomes((chooser) => arities.map((n) => chooser.choose('d', Array.from({ length: n }, () => 1 / n))));
        const total = outcomes.reduce((s, o) => s + o.probability, 0);
        expect(total).toBeCloseTo(1, 9);
        expect(outcomes.length).toBe(arities.reduce((p, n) => p * n, 1));
      }),
    );
  });
});
