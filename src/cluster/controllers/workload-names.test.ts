import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv32a, fnv32aText, utf8Bytes } from '../../hash/index.js';
import { computeHash, templateHash, templateText, templateTextByCopy } from './workload-names.js';

/** Keys as templates and hostile manifests have them: names, index-like keys ("0", "10", "007", "4294967295"), `__proto__`. */
const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '2', '10', '007', '-1', '4294967294', '4294967295', '1e3', '__proto__', 'a', 'B'), fc.nat().map(String));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('list'), tie('map')),
  leaf: fc.oneof(fc.string({ unit: 'binary' }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date({ noInvalidDate: true })),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.array(fc.tuple(key, tie('node')), { maxLength: 5 }).map((entries) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  }),
})).node;

describe('templateText (the pod-template hash input)', () => {
  it('is JSON.stringify of a copy with sorted keys, for any value', () => {
    fc.assert(fc.property(value, (v) => {
      expect(templateText(v)).toBe(templateTextByCopy(v));
    }), { numRuns: 3000 });
  });
  it('hashed piece by piece, is computeHash of the text, for any value', () => {
    fc.assert(fc.property(value, (v) => {
      // Both throw on a value with no JSON text (undefined, a function): the reader never hashes one.
      const outcome = (f: () => string): string => { try { return f(); } catch { return 'throws'; } };
      expect(outcome(() => templateHash(v))).toBe(outcome(() => computeHash(templateText(v))));
    }), { numRuns: 3000 });
  });
  it('sorts mappings of many keys as the copy does (the built-in sort past 16 keys)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(key, fc.string()), { maxLength: 40, size: 'max' }), (entries) => {
      const v: Record<string, unknown> = {};
      for (const [k, x] of entries) Object.defineProperty(v, k, { value: x, enumerable: true, writable: true, configurable: true });
      expect(templateText(v)).toBe(templateTextByCopy(v));
      expect(templateHash(v)).toBe(computeHash(templateText(v)));
    }), { numRuns: 1000 });
  });
  it('orders index keys first, numerically, as an object copy does', () => {
    const v = { b: 1, 10: 'x', a: [undefined, { z: 1, 2: 2 }], 2: null, '02': 3 };
    expect(templateText(v)).toBe(templateTextByCopy(v));
    expect(templateText(v)).toBe('{"2":null,"10":"x","02":3,"a":[null,{"2":2,"z":1}],"b":1}');
  });
  it('leaves values that are not plain data to the copy', () => {
    const v = { m: new Map([[1, 2]]), f: () => 1, d: new Date(0) };
    expect(templateText(v)).toBe(templateTextByCopy(v));
  });
});

describe('fnv32aText', () => {
  it('is FNV-1a over the UTF-8 bytes, lone surrogates as U+FFFD', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) }), (a, b) => {
      const s = a + b;
      expect(fnv32aText(s)).toBe(fnv32a(utf8Bytes(s)));
    }), { numRuns: 3000 });
    for (const s of ['', 'a', '\ud800', '\udc00x', 'x\ud83d', '\ud83d\ude00', 'é✓']) expect(fnv32aText(s)).toBe(fnv32a(utf8Bytes(s)));
  });
});
