import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawNamespace } from '../raw.js';
import { resolveNamespaces, usedNamespaces } from './namespaces.js';

const namespace = fc.constantFrom('default', 'a', 'b', 'kube-system', '__proto__', '');
/** Objects in runs of one namespace (as a workload's pods lie), in a few lists, some empty. */
const lists = fc.array(fc.array(fc.tuple(namespace, fc.nat(3)), { maxLength: 12 }), { maxLength: 5 }).map((ls) =>
  ls.map((runs) => runs.flatMap(([ns, n]) => Array.from({ length: n + 1 }, () => ({ namespace: ns })))),
);
/** Declared namespaces, unique (a repeated one is reported at its field, which these have not). */
const declared = fc.uniqueArray(namespace, { maxLength: 3 }).map((names) =>
  names.map((name) => ({ meta: { name, nameField: undefined }, value: { name, labels: {} } }) as unknown as RawNamespace),
);

describe('usedNamespaces = every object namespace in order, as resolveNamespaces reads them', () => {
  it('gives resolveNamespaces the same namespaces as the whole list', () => {
    fc.assert(
      fc.property(declared, lists, (raw, ls) => {
        const whole = ls.flat().map((o) => o.namespace);
        expect(usedNamespaces(ls)).toEqual([...new Set(whole)]);
        expect(resolveNamespaces(raw, usedNamespaces(ls))).toEqual(resolveNamespaces(raw, whole));
      }),
      { numRuns: 2000 },
    );
  });
});
