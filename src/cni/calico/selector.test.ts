import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CalicoSelector, parseCalicoSelector, printCalicoSelector, selects } from './selector.js';

function parse(text: string): CalicoSelector {
  const r = parseCalicoSelector(text);
  if (!r.ok) throw new Error(r.message);
  return r.selector;
}

const labels = { rack: 'a', zone: 'eu-1', 'kubernetes.io/os': 'linux' };

describe('Calico selectors', () => {
  it.each<[string, boolean]>([
    ['', true],
    ['all()', true],
    ["rack == 'a'", true],
    ['rack == "b"', false],
    ["rack != 'b'", true],
    ["missing != 'b'", true],
    ['has(rack)', true],
    ['!has(rack)', false],
    ['has(kubernetes.io/os)', true],
    ["zone in {'eu-1', 'eu-2'}", true],
    ["zone not in {'eu-1'}", false],
    ["missing not in {'x'}", true],
    ["missing in {'x'}", false],
    ["rack == 'b' || zone == 'eu-1'", true],
    ["rack == 'a' && zone == 'eu-2'", false],
    ["!(rack == 'a' && zone == 'eu-2')", true],
    ["rack == 'b' || rack == 'a' && zone == 'eu-1'", true],
    ["(rack == 'b' || rack == 'a') && !has(gpu)", true],
  ])('%j selects the node: %s', (text, want) => {
    expect(selects(parse(text), labels)).toBe(want);
  });

  it.each(['rack ==', "rack = 'a'", 'has(rack', "rack in {'a'", '(all()', 'all() all()', "rack == 'a", "rack not {'a'}"])('%j is refused', (text) => {
    expect(parseCalicoSelector(text).ok).toBe(false);
  });

  it('prints canonical text as Calico does', () => {
    expect(printCalicoSelector(parse("rack == 'a' && zone in {'b', 'a', 'b'} || !has(x)"))).toBe('((rack == "a" && zone in {"a", "b"}) || !has(x))');
  });

  const key = fc.stringMatching(/^[a-z][a-z0-9./-]{0,8}$/).filter((k) => !['in', 'not', 'all', 'has'].includes(k));
  const value = fc.stringMatching(/^[a-zA-Z0-9 _".-]{0,6}$/);
  const leaf: fc.Arbitrary<CalicoSelector> = fc.oneof(
    fc.constant<CalicoSelector>({ kind: 'all' }),
    key.map((k): CalicoSelector => ({ kind: 'has', key: k })),
    fc.record({ kind: fc.constantFrom('eq' as const, 'ne' as const), key, value }),
    fc.record({ kind: fc.constantFrom('in' as const, 'notIn' as const), key, values: fc.uniqueArray(value, { maxLength: 3 }).map((v) => [...v].sort()) }),
  );
  const { sel } = fc.letrec<{ sel: CalicoSelector }>((tie) => ({
    sel: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      tie('sel').map((operand): CalicoSelector => ({ kind: 'not', operand })),
      fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), operands: fc.array(tie('sel'), { minLength: 2, maxLength: 3 }) }),
    ),
  }));

  it('parse ∘ print is the identity', () => {
    fc.assert(
      fc.property(sel, (s) => {
        expect(parse(printCalicoSelector(s))).toEqual(s);
      }),
    );
  });

  it('printing keeps the meaning', () => {
    const labelSet = fc.dictionary(fc.constantFrom('a', 'b', 'c.d/e'), fc.constantFrom('', 'x', 'y"'));
    const small = sel.filter((s) => JSON.stringify(s).length < 400);
    fc.assert(fc.property(small, labelSet, (s, l) => selects(parse(printCalicoSelector(s)), l) === selects(s, l)));
  });
});
