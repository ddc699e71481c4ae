/**
 * The one-call SHA-256 (sha256.ts) against @noble/hashes' sha256, on messages of every length
 * around the block and padding boundaries (55, 56, 63, 64 bytes) and beyond one block, and the
 * base32 prefix against the whole encoding cut short: kube-proxy's chain names come from both.
 */
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { base32Std, base32StdPrefix, sha256Bytes, utf8Bytes } from './index.js';
import { sha256Once } from './sha256.js';

describe('sha256Once = noble sha256', () => {
  it('random byte strings of 0–300 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(sha256Once(b)).toEqual(sha256(b));
      }),
      { numRuns: 600, seed: 5 },
    );
  });

  it('every length from 0 to 200 bytes (each padding case), and calls in turn with a longer message between', () => {
    for (let n = 0; n <= 200; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 255);
      expect(sha256Once(b)).toEqual(sha256(b));
      expect(sha256Once(new Uint8Array(1000).fill(n))).toEqual(sha256(new Uint8Array(1000).fill(n)));
    }
  });

  it('text as UTF-8, as Go hashes a string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        expect(sha256Bytes(s)).toEqual(sha256(utf8Bytes(s)));
      }),
      { numRuns: 300, seed: 6 },
    );
    // A kube-proxy endpoint chain's text (servicePortEndpointChainName).
    expect(Buffer.from(sha256Bytes('ns1/svc1:p80tcp10.180.0.1:80')).toString('hex')).toBe(Buffer.from(sha256(utf8Bytes('ns1/svc1:p80tcp10.180.0.1:80'))).toString('hex'));
  });
});

describe('base32StdPrefix = base32Std cut short', () => {
  it('every prefix length up to the unpadded encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(64), (b, k) => {
        const full = base32Std(b).replace(/=+$/, '');
        expect(base32StdPrefix(b, k)).toBe(full.slice(0, k));
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
