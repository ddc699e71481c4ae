/**
 * Property: host-local's ADD of one requested IPv4 address on numbers, noted in a store that
 * defers its reservations (requested-v4.ts, store.ts `deferReservations`), with `allocateAll`
 * where it declines — as cni/bridge-batch.ts `allocateFor` runs it — gives what `allocateAll`
 * alone gives on a store that writes at once: the same outcomes, and the same files (names,
 * contents and key order) whenever the store is read. Random range sets (IPv4, one or two
 * ranges, set bounds and gateways; a dual-stack config and an IPv6 one, which it declines),
 * requests in and out of the ranges (gateways, taken addresses, several at once, none), two
 * networks sharing one store, files there before, and the plugin's DEL, CHECK and ADD, reads
 * and new deferrals between them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Ip, ip } from '../../addr/ip.js';
import type { JsonValue, NetConf, RuntimeConf } from '../types.js';
import { type IpamConfig, loadIpamConfig } from './config.js';
import { allocateAll, hostLocalPlugin } from './plugin.js';
import { allocateRequestedV4, v4RangeSet } from './requested-v4.js';
import { deferReservations, flushReservations, openStore } from './store.js';

const RANGE_SETS: readonly JsonValue[][] = [
  [[{ subnet: '10.0.0.0/28' }]],
  [[{ subnet: '10.0.0.0/28', rangeStart: '10.0.0.4', rangeEnd: '10.0.0.9', gateway: '10.0.0.5' }]],
  [[{ subnet: '10.0.0.0/28', gateway: '10.0.0.14' }, { subnet: '10.0.1.0/29' }]],
  [[{ subnet: '10.0.1.0/29', rangeStart: '10.0.1.3' }, { subnet: '10.0.0.0/28', rangeEnd: '10.0.0.6' }]],
  [[{ subnet: '10.0.0.0/28' }], [{ subnet: 'fd00::/120' }]],
  [[{ subnet: 'fd00::/124' }]],
];
const POOL = [...Array.from({ length: 17 }, (_, i) => `10.0.0.${i}`), ...Array.from({ length: 9 }, (_, i) => `10.0.1.${i}`), 'fd00::3', '192.168.0.1'].map(ip);

type Step =
  | { readonly kind: 'add'; readonly config: number; readonly network: number; readonly id: number; readonly ifName: string; readonly requested: readonly number[] }
  | { readonly kind: 'plugin'; readonly verb: 'del' | 'check' | 'add'; readonly config: number; readonly network: number; readonly id: number; readonly ifName: string }
  | { readonly kind: 'read' }
  | { readonly kind: 'defer' };

const owner = { config: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 3 }) }, { weight: 1, arbitrary: fc.nat({ max: RANGE_SETS.length - 1 }) }), network: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }), id: fc.nat({ max: 5 }), ifName: fc.constantFrom('eth0', 'net1') };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('add' as const), ...owner, requested: fc.oneof({ weight: 6, arbitrary: fc.tuple(fc.nat({ max: 25 })) }, { weight: 1, arbitrary: fc.array(fc.nat({ max: POOL.length - 1 }), { maxLength: 2 }) }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('plugin' as const), verb: fc.constantFrom('del' as const, 'check' as const, 'add' as const), ...owner }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'read' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'defer' as const }) },
);

const netConf = (config: number, network: number): NetConf => ({ cniVersion: '1.0.0', name: `net${network}`, type: 'host-local', ipam: { type: 'host-local', ranges: RANGE_SETS[config] as JsonValue[] } });
const configs = RANGE_SETS.map((_, c) => [0, 1].map((n) => {
  const loaded = loadIpamConfig(netConf(c, n), { containerId: '', netns: '', ifName: '', args: {} });
  if (!loaded.ok) throw new Error(loaded.msg);
  return loaded.value;
}));
const runtime = (id: number, ifName: string): RuntimeConf => ({ containerId: `c${id}`, netns: `/var/run/netns/p${id}`, ifName, args: {} });

/** The files as text: names in key order, with their contents. */
const read = (files: Record<string, string>): string => JSON.stringify(Object.entries(files));

/** How many ADDs were noted. */
let notes = 0;

/** One step on `files`; `fast` runs the ADD as bridge-batch.ts allocateFor does. */
function run(files: Record<string, string>, step: Step, fast: boolean, seen: string[]): void {
  if (step.kind === 'read' || step.kind === 'defer') {
    if (step.kind === 'defer' && fast) deferReservations(files);
    if (step.kind === 'read' && fast) flushReservations(files);
    if (step.kind === 'read') seen.push(read(files));
    return;
  }
  const cfg = (configs[step.config] as IpamConfig[])[step.network] as IpamConfig;
  const rt = runtime(step.id, step.ifName);
  if (step.kind === 'add') {
    const requested: Ip[] = step.requested.map((i) => POOL[i] as Ip);
    const set = fast ? v4RangeSet(cfg.ranges) : undefined;
    const noted = set === undefined ? undefined : allocateRequestedV4(files, cfg, set, requested, rt);
    if (noted !== undefined) notes++;
    const got = noted !== undefined ? { ok: true, value: noted } : allocateAll(openStore(files, cfg.dataDir, cfg.name), cfg.ranges, requested, rt);
    seen.push(JSON.stringify(got, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)));
    return;
  }
  const conf = netConf(step.config, step.network);
  const host = { store: files } as Parameters<typeof hostLocalPlugin.add>[2];
  const out = step.verb === 'del' ? hostLocalPlugin.del(conf, rt, host) : step.verb === 'check' ? hostLocalPlugin.check(conf, rt, host) : hostLocalPlugin.add(conf, rt, host);
  seen.push(JSON.stringify(out));
}

describe('host-local ADD of one requested IPv4 address, noted (property)', () => {
  it('gives the outcomes and leaves the files of allocateAll writing at once', () => {
    fc.assert(
      fc.property(fc.nat({ max: 4 }), fc.nat({ max: 15 }), fc.array(stepArb, { minLength: 1, maxLength: 60, size: 'max' }), (before, at, steps) => {
        const start: Record<string, string> = {};
        // A file there before: an address of net0 (taken for the notes), another directory's, a
        // name that reads as an address but is not the one formatIp prints, a last reservation.
        const name = ['net0/10.0.0.', 'other/10.0.0.', 'net0/010.0.0.', 'net0/last_reserved_ip.0', undefined][before];
        if (name !== undefined) start[`/var/lib/cni/networks/${name}${name.endsWith('.') ? at : ''}`] = name.includes('last') ? `10.0.0.${at}` : 'old\r\neth0';
        const fastFiles = { ...start };
        const slowFiles = { ...start };
        deferReservations(fastFiles);
        const fastSeen: string[] = [];
        const slowSeen: string[] = [];
        for (const s of steps) {
          run(fastFiles, s, true, fastSeen);
          run(slowFiles, s, false, slowSeen);
        }
        run(fastFiles, { kind: 'read' }, true, fastSeen);
        run(slowFiles, { kind: 'read' }, false, slowSeen);
        expect(fastSeen).toEqual(slowSeen);
      }),
      { numRuns: 400 },
    );
    // Notes were taken, not declined every time.
    expect(notes).toBeGreaterThan(300);
  });
});
