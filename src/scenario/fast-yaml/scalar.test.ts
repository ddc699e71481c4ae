import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTROL } from '../manifest-check.js';
import { hasControl, resolvePlain, resolvePlainByTags } from './scalar.js';

/** Plain scalars near every core tag: numbers in all their spellings, null and booleans, words. */
const plain = fc.oneof(
  fc.string({ unit: fc.constantFrom('0', '1', '7', '9', '+', '-', '.', 'e', 'E', 'x', 'o', 'a', 'F', 'f', '_'), minLength: 1, maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('n', 'N', 'u', 'U', 'l', 'L', 't', 'T', 'r', 'R', 'e', 'E', 'f', 'F', 'a', 'A', 's', 'S', '~'), minLength: 1, maxLength: 6 }),
  fc.constantFrom('~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'fAlse', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN',
    '0o17', '0o8', '0x1F', '0xg', '007', '-0', '+5', '1e3', '1E-2', '.5', '1.', '99999999999999999999', '12345678901234567890123', 'nginx', 'nodeName', 'targetPort', 'template', 'type', 'x'),
  fc.string({ minLength: 1, maxLength: 10 }),
  fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
);

describe('resolvePlain (words and digit runs settled without patterns) = the core tags in yaml\'s order', () => {
  it('gives the same value and type for any plain scalar', () => {
    fc.assert(fc.property(plain, (s) => {
      expect(Object.is(resolvePlain(s), resolvePlainByTags(s)) || (Number.isNaN(resolvePlain(s)) && Number.isNaN(resolvePlainByTags(s))), s).toBe(true);
    }), { numRuns: 5000 });
  });
});

describe('hasControl = manifest-check.ts\'s CONTROL pattern', () => {
  it('on any string, control characters at any place', () => {
    const unit = fc.oneof(fc.constantFrom('a', 'é', ' ', '\t', '\n', '\u0000', '\u001f', '\u0020', '\u007e', '\u007f', '\u0085', '\u009f', '\u00a0', '\ud83d'), fc.string({ maxLength: 1 }));
    fc.assert(fc.property(fc.array(unit, { maxLength: 12 }).map((xs) => xs.join('')), (s) => hasControl(s) === CONTROL.test(s)), { numRuns: 5000 });
  });
});
