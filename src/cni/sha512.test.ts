import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha512Hex } from './sha512.js';

describe('sha512Hex', () => {
  it.each(['', 'abc', 'mynet0123456789abcdef', 'é✓ unicode', 'x'.repeat(111), 'y'.repeat(112), 'z'.repeat(300)])('equals node:crypto for %j', (s) => {
    expect(sha512Hex(s)).toBe(createHash('sha512').update(s, 'utf8').digest('hex'));
  });
});
