import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMac } from './mac.js';
import { parseIp } from './ip.js';

/** IPv4 as first parsed: split on dots, each part /^[0-9]{1,3}$/ and at most 255. */
function referenceV4(text: string): bigint | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    const octet = Number.parseInt(part, 10);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return BigInt(value);
}

/** parseMac without its canonical fast path. */
function referenceMac(text: string): string | undefined {
  const parts = text.trim().toLowerCase().split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-f]{1,2}$/.test(p))) return undefined;
  return parts.map((p) => p.padStart(2, '0')).join(':');
}

const v4ish = fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.', '.', ' ', 'a', '-', '+', '٣'), maxLength: 18 });
const octets = fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 5 }).map((xs) => xs.join('.'));
const macish = fc.string({ unit: fc.constantFrom('0', 'a', 'F', 'f', '9', ':', ':', '-', ' ', 'g'), maxLength: 20 });
const macs = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':'));

describe('hand-written parsers against the originals (property)', () => {
  it('parseIp reads IPv4 as the split-and-regex parser did', () => {
    fc.assert(
      fc.property(fc.oneof(v4ish, octets), (text) => {
        const want = referenceV4(text);
        const got = text.includes(':') ? undefined : parseIp(text);
        expect(got === undefined ? undefined : got.value).toBe(want);
        if (got !== undefined) expect(got.family).toBe(4);
      }),
      { numRuns: 2000 },
    );
  });

  it('parseMac gives what the general parser gives', () => {
    fc.assert(
      fc.property(fc.oneof(macish, macs), (text) => {
        expect(parseMac(text)).toBe(referenceMac(text));
      }),
      { numRuns: 1000 },
    );
  });
});
