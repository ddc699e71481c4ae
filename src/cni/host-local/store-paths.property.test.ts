/**
 * Property: host-local's store paths, remembered by data directory, network and range set
 * (store.ts), are the paths the reference plugin's formulas give. Random sequences of opens and
 * reservations over data directories with and without trailing slashes, many networks (past the
 * memo's bound) and range sets leave the same files as the formulas written out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Ip, formatIp, parseIp } from '../../addr/ip.js';
import { lastReservedIp, openStore, reserve } from './store.js';

interface Step {
  readonly dataDir: string;
  readonly network: string;
  readonly ip: number;
  readonly rangeId: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  dataDir: fc.constantFrom('/var/lib/cni/networks', '/var/lib/cni/networks/', '/d//', 'rel', ''),
  network: fc.oneof(fc.constantFrom('cbr0', 'net'), fc.integer({ min: 0, max: 200 }).map((n) => `n${n}`)),
  ip: fc.integer({ min: 1, max: 40 }),
  rangeId: fc.integer({ min: 0, max: 3 }),
});

/** The formulas: `disk.New`'s directory and lock, `Reserve`'s files. */
function reference(files: Record<string, string>, s: Step, ip: Ip): void {
  const dir = `${s.dataDir.replace(/\/+$/, '')}/${s.network}`;
  if (files[`${dir}/lock`] === undefined) files[`${dir}/lock`] = '';
  const path = `${dir}/${formatIp(ip)}`;
  if (files[path] !== undefined) return;
  files[path] = 'c\r\neth0';
  files[`${dir}/last_reserved_ip.${s.rangeId}`] = formatIp(ip);
}

describe('host-local store paths (property)', () => {
  it('remembered paths are the formulas', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 120 }), (steps) => {
        const fast: Record<string, string> = {};
        const slow: Record<string, string> = {};
        for (const s of steps) {
          const ip: Ip = { family: 4, value: 0x0a000000n + BigInt(s.ip) };
          const store = openStore(fast, s.dataDir, s.network);
          reserve(store, 'c', 'eth0', ip, s.rangeId);
          reference(slow, s, ip);
          const want = slow[`${s.dataDir.replace(/\/+$/, '')}/${s.network}/last_reserved_ip.${s.rangeId}`];
          expect(lastReservedIp(store, s.rangeId)).toEqual(want === undefined ? undefined : parseIp(want));
        }
        expect(fast).toEqual(slow);
        expect(Object.keys(fast)).toEqual(Object.keys(slow));
      }),
      { numRuns: 200 },
    );
  });
});
