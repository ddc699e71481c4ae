import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withKey } from './with-key.js';

const key = fc.constantFrom('app', 'pod-template-hash', 'labels', '__proto__', 'constructor', '1', '10', '', 'a\u0000b');
/** Objects as yaml reads them: JSON.parse makes `__proto__` an own key, as yaml's toJS does. */
const object = fc.array(fc.tuple(key, fc.oneof(fc.string(), fc.constant({ x: 1 }))), { maxLength: 5 })
  .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries.filter(([k]) => k !== '__proto__')))
    .replace(/^\{/, entries.some(([k]) => k === '__proto__') ? '{"__proto__":"p",' : '{').replace(/,\}$/, '}')) as Record<string, unknown>);

describe('withKey = the spread', () => {
  it('same keys in the same order, same values, same prototype', () => {
    fc.assert(fc.property(object, key, fc.string(), (o, k, v) => {
      const got = withKey(o, k, v);
      const want = { ...o, [k]: v };
      expect(Object.keys(got)).toEqual(Object.keys(want));
      expect(Object.getPrototypeOf(got)).toBe(Object.getPrototypeOf(want));
      for (const name of Object.keys(want)) expect(Object.getOwnPropertyDescriptor(got, name)).toEqual(Object.getOwnPropertyDescriptor(want, name));
    }), { numRuns: 2000 });
  });
});
