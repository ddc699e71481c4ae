/**
 * parseIp reads IPv6 through three of ip-num's modules instead of its index (which costs the CLI
 * tens of milliseconds at start-up): it must agree with ip-num's `IPv6.fromString` everywhere,
 * on well-formed addresses of every shape and on near-misses.
 */
import fc from 'fast-check';
import { IPv6 } from 'ip-num';
import { describe, expect, it } from 'vitest';
import { parseIp } from './ip.js';

/** What parseIp returned for IPv6 before: ip-num's full class. */
function reference(text: string): bigint | undefined {
  const zoneFree = text.trim().split('%')[0] ?? '';
  try {
    return IPv6.fromString(zoneFree).getValue();
  } catch {
    return undefined;
  }
}

const v6ish = fc.string({ unit: fc.constantFrom('0', '1', 'f', 'F', 'a', ':', ':', ':', '.', '9', '%', 'g', ' '), maxLength: 45 });
/** Well-formed addresses, with a run of zero groups compressed and sometimes a dotted IPv4 tail. */
const v6 = fc.tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.boolean()).map(([groups, from, len, dotted]) => {
  const hex = groups.map((g) => g.toString(16));
  const tail = dotted ? [`${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`] : hex.slice(6);
  const all = [...hex.slice(0, 6), ...tail];
  const end = Math.min(all.length, from + len);
  return len === 0 || from >= all.length ? all.join(':') : `${all.slice(0, from).join(':')}::${all.slice(end).join(':')}`;
});

describe('parseIp on IPv6 text', () => {
  it('equals ip-num IPv6.fromString on addresses of every shape', () => {
    fc.assert(fc.property(fc.oneof(v6, fc.ipV6()), (text) => {
      expect(parseIp(text)?.value).toBe(reference(text));
    }), { numRuns: 3000 });
  });

  it('equals it on near-misses, including what neither accepts', () => {
    fc.assert(fc.property(v6ish.filter((s) => s.includes(':')), (text) => {
      expect(parseIp(text)?.value).toBe(reference(text));
    }), { numRuns: 3000 });
  });

  it.each(['::', '::1', '::ffff:10.0.0.1', 'fd00:10:244::5', '1:2:3:4:5:6:7:8', 'fe80::1%eth0'])('%s', (text) => {
    expect(parseIp(text)).toEqual({ family: 6, value: reference(text) });
  });
});
