import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Mac } from '../../addr/mac.js';
import { wordsOf } from '../route/prefix-index.js';
import { linkLocalOf, linkLocalWords } from './carrier.js';

/** The straightforward EUI-64 derivation: bytes, the U/L bit flipped, ff:fe inserted, bigint shifts. */
function reference(mac: string): bigint {
  const b = mac.split(':').map((h) => Number.parseInt(h, 16));
  const bytes = [(b[0] ?? 0) ^ 0x02, b[1] ?? 0, b[2] ?? 0, 0xff, 0xfe, b[3] ?? 0, b[4] ?? 0, b[5] ?? 0];
  let iid = 0n;
  for (const x of bytes) iid = (iid << 8n) | BigInt(x);
  return (0xfe80n << 112n) | iid;
}

/** A value, or that computing it threw (a digit that does not parse makes both readings throw). */
function outcome(run: () => bigint): bigint | 'throws' {
  try {
    return run();
  } catch {
    return 'throws';
  }
}

describe('linkLocalOf (property)', () => {
  it('equals the byte-wise derivation for every canonical MAC', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }), (bytes) => {
        const mac = bytes.map((b) => b.toString(16).padStart(2, '0')).join(':') as Mac;
        expect(linkLocalOf(mac)).toEqual({ family: 6, value: reference(mac) });
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a MAC-shaped string with any character anywhere as the byte-wise derivation does', () => {
    // Upper case, stray characters, other separators: the digit check must send them to the generic reading.
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:-g/ '.split(''));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }), fc.integer({ min: 0, max: 16 }), chars, (bytes, at, ch) => {
        const canonical = bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
        const mac = `${canonical.slice(0, at)}${ch}${canonical.slice(at + 1)}`;
        expect(outcome(() => linkLocalOf(mac as Mac).value)).toEqual(outcome(() => reference(mac)));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the words of the address it gives (what the route index reads from the bigint)', () => {
    // Canonical MACs (read by character code) and others (the generic reading); the words array dirty from before.
    const mac = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':')),
      fc.constantFrom('', '0:1:2:3:4:5', 'AA:BB:CC:DD:EE:FF', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00'),
    );
    fc.assert(
      fc.property(mac, fc.array(fc.integer(), { minLength: 4, maxLength: 4 }), (m, dirty) => {
        const words = [...dirty];
        const addr = linkLocalWords(m as Mac, words);
        expect(addr).toEqual(linkLocalOf(m as Mac));
        expect(words).toEqual(wordsOf(addr));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the old reading of a MAC that is not canonical', () => {
    for (const mac of ['', '0:1:2:3:4:5', 'a:b', '00-11-22-33-44-55', 'AA:BB:CC:DD:EE:FF', '00:11:22:33:44:55:66']) {
      expect(linkLocalOf(mac as Mac).value).toBe(reference(mac));
    }
  });
});
