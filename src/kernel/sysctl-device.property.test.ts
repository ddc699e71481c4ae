/**
 * setDeviceSysctl (sysctl.ts), a per-device value written without the name check, against
 * setSysctl: on random namespaces (values written before, of this device and others, the
 * forwarding switches set or not) and random writes of per-device `conf` and `neigh` values
 * (`accept_ra`, `rp_filter`, `forwarding` too, which goes the straightforward way), both leave the
 * same sysctls (keys in order), the same anycast routes, and note the same changes: the same
 * names logged and the generation moved as often.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeMark, changesSince, worldGeneration } from './netns-changes.js';
import { addDummy, setLinkUp } from './link/link.js';
import { setDeviceSysctl, setSysctl } from './sysctl.js';
import { addNetns, createWorld, getNetns } from './world.js';
import type { Netns } from './netns.js';

const DEV = fc.constantFrom('veth1', 'veth2', 'd0', 'all', 'default');
const NAME = fc.tuple(fc.constantFrom('net.ipv6.conf', 'net.ipv4.conf', 'net.ipv4.neigh'), DEV, fc.constantFrom('accept_ra', 'rp_filter', 'proxy_arp', 'forwarding')).map((p) => p.join('.'));
const VALUE = fc.constantFrom('0', '1', '2');
const WRITE = fc.tuple(NAME, VALUE);
/** Writes, half of them again of a value written before (which changes nothing and notes nothing). */
const CASE = fc.record({ before: fc.array(WRITE, { minLength: 1, maxLength: 6 }), v6: fc.boolean() }).chain((c) =>
  fc.record({ before: fc.constant(c.before), v6: fc.constant(c.v6), writes: fc.array(fc.oneof(WRITE, fc.constantFrom(...c.before)), { minLength: 1, maxLength: 4 }) }),
);

function build(c: { readonly before: readonly (readonly [string, string])[]; readonly v6: boolean }): Netns {
  const w = createWorld();
  addNetns(w, 'h');
  const h = getNetns(w, 'h');
  addDummy(h, 'd0');
  setLinkUp(w, 'h', 'd0');
  if (c.v6) setSysctl(h, 'net.ipv6.conf.all.forwarding', '1');
  for (const [n, v] of c.before) setSysctl(h, n, v);
  return h;
}

function run(h: Netns, writes: readonly (readonly [string, string])[], set: (ns: Netns, name: string, value: string) => void): string {
  const mark = changeMark();
  const gen = worldGeneration();
  for (const [n, v] of writes) set(h, n, v);
  const since = changesSince(mark);
  const logged = since === undefined ? undefined : since.names.slice(since.from);
  return JSON.stringify({ sysctl: Object.entries(h.sysctl), tables: h.tables, counters: h.counters, logged, moved: worldGeneration() - gen }, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}

describe('setDeviceSysctl (property)', () => {
  it('leaves and notes what setSysctl does', () => {
    let unchanged = 0;
    fc.assert(
      fc.property(CASE, (c) => {
        const want = run(build(c), c.writes, setSysctl);
        const got = run(build(c), c.writes, setDeviceSysctl);
        expect(got).toBe(want);
        if (want.includes('"moved":0')) unchanged++;
      }),
      { numRuns: 1000 },
    );
    expect(unchanged).toBeGreaterThan(20);
  });
});
