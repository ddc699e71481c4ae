import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha1Hex, sha256Bytes, sha512Hex, sha512HexPrefix } from './index.js';

const INPUTS = ['', 'abc', 'mynet0123456789abcdef', 'é✓ unicode', 'x'.repeat(55), 'x'.repeat(111), 'y'.repeat(112), 'z'.repeat(300)];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('hash', () => {
  it.each(INPUTS)('sha512Hex equals node:crypto for %j', (s) => {
    expect(sha512Hex(s)).toBe(createHash('sha512').update(s, 'utf8').digest('hex'));
  });
  it.each(INPUTS)('sha256Bytes equals node:crypto for %j', (s) => {
    expect(hex(sha256Bytes(s))).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
  });
  it.each(INPUTS)('sha1Hex equals node:crypto for %j', (s) => {
    expect(sha1Hex(s)).toBe(createHash('sha1').update(s, 'utf8').digest('hex'));
  });
  it('sha512HexPrefix is the prefix of sha512Hex (property: any text, any length)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 130 }), fc.integer({ min: 0, max: 128 }), (s, n) => {
      expect(sha512HexPrefix(s, n)).toBe(sha512Hex(s).slice(0, n));
    }), { numRuns: 500 });
  });
  it('matches the published test vectors', () => {
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha256Bytes('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha512Hex('abc').slice(0, 32)).toBe('ddaf35a193617abacc417349ae204131');
  });
});
