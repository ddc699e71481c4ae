/**
 * The regex-driven rules agree with plain character-by-character readings of the same rules
 * (RFC 1123/1035 as apimachinery states them in words, dev_valid_name as net/core/dev.c loops
 * over bytes), on random strings drawn from the characters that matter; and names generated
 * to be valid are accepted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allProblems, obeys, ruleProblems } from './check.js';
import { RULES, type RuleName } from './rules.js';

const lowerAlnum = (c: string): boolean => /^[a-z0-9]$/.test(c);
const alnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);
const bytes = (s: string): number => new TextEncoder().encode(s).length;

function dnsLabel(s: string, max = 63): boolean {
  const cs = [...s];
  return s.length > 0 && bytes(s) <= max && lowerAlnum(cs[0] ?? '') && lowerAlnum(cs.at(-1) ?? '') && cs.every((c) => lowerAlnum(c) || c === '-');
}

function subdomain(s: string): boolean {
  return bytes(s) <= 253 && s.split('.').every((label) => dnsLabel(label, Infinity));
}

function dns1035(s: string): boolean {
  return dnsLabel(s) && /^[a-z]$/.test(s[0] ?? '');
}

function labelName(s: string): boolean {
  const cs = [...s];
  return s.length > 0 && bytes(s) <= 63 && alnum(cs[0] ?? '') && alnum(cs.at(-1) ?? '') && cs.every((c) => alnum(c) || '-_.'.includes(c));
}

function labelKey(s: string): boolean {
  const parts = s.split('/');
  if (parts.length === 1) return labelName(s);
  return parts.length === 2 && (parts[0] ?? '') !== '' && subdomain(parts[0] ?? '') && labelName(parts[1] ?? '');
}

function portName(s: string): boolean {
  const cs = [...s];
  return bytes(s) <= 15 && cs.length > 0 && cs.every((c) => lowerAlnum(c) || c === '-') && cs.some((c) => /^[a-z]$/.test(c))
    && !s.includes('--') && cs[0] !== '-' && cs.at(-1) !== '-';
}

/** dev_valid_name, byte by byte, with the kernel's isspace (lib/ctype.c). */
function devValidName(s: string): boolean {
  const b = new TextEncoder().encode(s);
  if (b.length === 0 || b.length >= 16 || s === '.' || s === '..') return false;
  return b.every((x) => x !== 0x2f && x !== 0x3a && x !== 0 && !(x >= 9 && x <= 13) && x !== 0x20 && x !== 0xa0);
}

const REFERENCES: readonly (readonly [RuleName, (s: string) => boolean])[] = [
  ['dns1123Label', (s) => dnsLabel(s)],
  ['dns1123Subdomain', subdomain],
  ['dns1035Label', dns1035],
  ['labelKey', labelKey],
  ['labelValue', (s) => s === '' || labelName(s)],
  ['portName', portName],
  ['ifName', devValidName],
];

/** Strings over the characters the rules distinguish, some long enough to pass the limits. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'z', 'A', '0', '9', '-', '.', '_', '/', ':', ' ', '\t', 'à', 'é', '\u0000'), maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('a', 'b', '1', '-', '.'), minLength: 50, maxLength: 300 }),
  // Around the limits of 15, 63 and 253 bytes.
  fc.string({ unit: fc.constantFrom('a', 'b', '1', 'é'), minLength: 13, maxLength: 17 }),
  fc.string({ unit: fc.constantFrom('a', 'b', '1', '-'), minLength: 61, maxLength: 65 }),
  fc.string({ unit: fc.constantFrom('a', 'b', '1', '.'), minLength: 250, maxLength: 256 }),
);

describe('the rule interpreter agrees with a character-by-character reading', () => {
  it.each(REFERENCES)('%s', (rule, reference) => {
    fc.assert(fc.property(text, (s) => obeys(rule, s) === reference(s)), { numRuns: 2000 });
  });
});

describe('the quick check (no messages built) agrees with the full one, for every rule', () => {
  it.each(Object.keys(RULES) as RuleName[])('%s', (rule) => {
    fc.assert(fc.property(text, (s) => {
      expect(ruleProblems(rule, s)).toEqual(allProblems(rule, s));
      expect(obeys(rule, s)).toBe(allProblems(rule, s).length === 0);
    }), { numRuns: 500 });
  });
});

describe('generated valid names are accepted', () => {
  const label = fc.tuple(
    fc.constantFrom(...'abcxyz019'),
    fc.string({ unit: fc.constantFrom(...'abz09-'), maxLength: 40 }),
    fc.constantFrom(...'abz09'),
  ).map(([h, m, t]) => `${h}${m}${t}`);

  it('RFC 1123 subdomains of labels joined by dots, up to 253 bytes', () => {
    fc.assert(fc.property(fc.array(label, { minLength: 1, maxLength: 8 }), (labels) => {
      const name = labels.join('.').slice(0, 253).replace(/[-.]+$/, '');
      fc.pre(name !== '' && !name.split('.').some((l) => l === '' || l.startsWith('-')));
      expect(obeys('dns1123Subdomain', name), name).toBe(true);
    }));
  });

  it('label keys with a subdomain prefix', () => {
    fc.assert(fc.property(label, label, (prefix, name) => {
      expect(obeys('labelKey', `${prefix}.io/${name.toUpperCase()}`)).toBe(true);
    }));
  });
});
