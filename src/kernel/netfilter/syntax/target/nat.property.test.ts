/**
 * `-j DNAT --to-destination A[:P]`: an IPv4 address already printed as iptables-save prints it is
 * kept as written without being parsed (nat.ts isCanonicalQuad); every other text is parsed and
 * printed again. Checked against parse-then-print on random dotted texts (leading zeros, parts
 * past 255, too few or too many parts, stray characters), and the options list is kept as it is
 * when nothing changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Opt } from '../../rule.js';
import type { ExtContext } from '../extension.js';
import { formatAddr, parseIpFast } from '../values.js';
import { DNAT } from './nat.js';

const PART = fc.oneof(fc.nat(255).map(String), fc.stringMatching(/^[0-9]{1,4}$/), fc.constantFrom('', 'x', '-1', '00', '0'));
// Not empty: `:PORT` alone (no address) is a form of its own.
const ADDR = fc.array(PART, { minLength: 1, maxLength: 5 }).map((ps) => ps.join('.')).filter((a) => a !== '');

function canon(text: string): { opts: readonly Opt[] | undefined; reports: string[]; given: readonly Opt[] } {
  const reports: string[] = [];
  const ctx: ExtContext = { family: 4, proto: 'tcp', report: (code) => reports.push(code) };
  const given: readonly Opt[] = [{ name: '--to-destination', args: [text], neg: false }];
  return { opts: DNAT.canonicalize(given, ctx), reports, given };
}

describe('DNAT --to-destination, IPv4', () => {
  it('is what parsing and printing the address gives, with or without a port', () => {
    fc.assert(
      fc.property(ADDR, fc.boolean(), (addr, port) => {
        const text = port ? `${addr}:8080` : addr;
        const r = canon(text);
        const ip = parseIpFast(addr);
        if (ip === undefined || ip.family !== 4) {
          expect(r.reports, text).toEqual(['IPT_BAD_ADDRESS']);
          return;
        }
        const want = port ? `${formatAddr(ip)}:8080` : formatAddr(ip);
        expect(r.reports, text).toEqual([]);
        expect(r.opts?.[0]?.args, text).toEqual([want]);
        // Nothing to rewrite: the same list, which the rule keeps.
        if (want === text) expect(r.opts, text).toBe(r.given);
      }),
      { numRuns: 2000, seed: 5 },
    );
  });

  it.each([
    ['10.0.0.1:8080', '10.0.0.1:8080'],
    ['10.0.0.01:8080', '10.0.0.1:8080'],
    ['010.0.0.1', '10.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255:1', '255.255.255.255:1'],
  ])('%s prints as %s', (text, want) => {
    expect(canon(text).opts?.[0]?.args).toEqual([want]);
  });

  it.each(['256.0.0.1', '1.2.3', '1.2.3.4.5', '1..2.3', 'a.b.c.d'])('%s is refused', (text) => {
    expect(canon(text).reports).toEqual(['IPT_BAD_ADDRESS']);
  });
});
