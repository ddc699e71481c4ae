/**
 * Property: the shared restore's nesting proof (proxy-nesting.ts) never lets through what the
 * kernel's full check refuses. Random kube-proxy payloads are restored on top of random tables
 * already loaded (user chains jumping among themselves, into loops, 20 deep, into kube-proxy's
 * top-level chains and its service chains, from built-in chains and from user chains); the
 * restore with the proof and the one walking every table give the same diagnostics and the
 * same state, and those of the payload's text restored (built-in chains' policies included).
 * And on a plain node the proof holds (the walk is skipped), else it saves nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNetfilter } from '../../kernel/netfilter/index.js';
import { iptablesRestore } from '../../kernel/netfilter/restore.js';
import type { NetfilterState } from '../../kernel/netfilter/state.js';
import { ep, svcPort } from '../../proxy/iptables/__fixtures__/upstream.js';
import { type PayloadMemo, type ProxierConfig, buildPayloadParts, createPayloadMemo, renderPayloadParts } from '../../proxy/index.js';
import { restorePayloadParts } from './proxy-parts.js';
import { restoreDelta } from './proxy-delta.js';

const CONFIG: ProxierConfig = { nodeName: 'node-a', family: 4, nodeIPs: ['192.168.0.2'], clusterCIDR: '10.0.0.0/16' };

function memoOf(n: number): PayloadMemo {
  const ports = Array.from({ length: n }, (_, i) => svcPort('ns', `svc${i}`, { type: i % 2 === 0 ? 'ClusterIP' : 'NodePort', clusterIP: `172.30.0.${i + 1}`, ...(i % 2 === 0 ? {} : { nodePort: 30000 + i, externalTrafficPolicy: 'Local' as const }) }));
  const endpoints = new Map(ports.map((p, i) => [`ns/${p.name}:p80`, [ep(`10.0.1.${i + 1}`, 80, { nodeName: i % 3 === 0 ? 'node-a' : 'node-b' })]]));
  return createPayloadMemo(4, ports, endpoints);
}

/** An existing table's text: user chains X0…Xk, and jumps to them or to kube-proxy's names. */
interface ExistingSpec {
  readonly table: 'nat' | 'filter';
  readonly chains: number;
  readonly declare: readonly string[];
  readonly jumps: readonly (readonly [number, number])[];
  readonly ladder: boolean;
  readonly drop: boolean;
  /** Rule lines appended as they are. */
  readonly extra?: readonly string[];
}

const existingSpec = (names: readonly string[]) =>
  fc.record({
    table: fc.constantFrom('nat' as const, 'filter' as const),
    chains: fc.integer({ min: 0, max: 20 }),
    declare: fc.subarray([...names]),
    jumps: fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { maxLength: 30 }),
    ladder: fc.boolean(),
    drop: fc.boolean(),
  });

function existingText({ table, chains, declare, jumps, ladder, drop, extra = [] }: ExistingSpec): string {
  const user = [...Array.from({ length: chains }, (_, i) => `X${i}`), ...declare];
  const base = table === 'nat' ? 'PREROUTING' : 'FORWARD';
  const from = [base, ...user];
  const to = user;
  const rules: string[] = [];
  if (ladder && chains > 0) {
    rules.push(`-A ${base} -j X0`);
    for (let i = 1; i < chains; i++) rules.push(`-A X${i - 1} -j X${i}`);
  }
  if (to.length > 0) for (const [a, b] of jumps) rules.push(`-A ${from[a % from.length]} -j ${to[b % to.length]}`);
  rules.push(...extra);
  const policy = drop ? `:${base} DROP [0:0]\n` : '';
  return `*${table}\n${policy}${user.map((c) => `:${c} - [0:0]`).join('\n')}\n${rules.join('\n')}\nCOMMIT\n`;
}

const existingArb = (names: readonly string[]) => existingSpec(names).map(existingText);

/** kube-proxy's restore on a node as proxy.ts runs it: the delta from the shared base, else the parts in full. */
function viaDelta(existing: string, memo: PayloadMemo, config: ProxierConfig): { state: NetfilterState; problems: string[] } {
  const state = createNetfilter();
  iptablesRestore(state, existing, { file: 'existing', family: 4, noflush: false });
  const parts = buildPayloadParts(config, memo);
  return { state, problems: restoreDelta(state, parts, memo) ? [] : restorePayloadParts(state, parts, memo).map((d) => d.code) };
}

function restored(existing: string, memo: PayloadMemo, prove: boolean | 'text', config = CONFIG): { state: NetfilterState; problems: string[] } {
  const state = createNetfilter();
  iptablesRestore(state, existing, { file: 'existing', family: 4, noflush: false });
  const parts = buildPayloadParts(config, memo);
  // The text's restore names the payload's line; the parts' have none to name.
  if (prove === 'text') return { state, problems: iptablesRestore(state, renderPayloadParts(parts), { file: 'kube-proxy', family: 4, noflush: true }).diagnostics.map((d) => d.code) };
  return { state, problems: restorePayloadParts(state, parts, memo, { prove }).map((d) => d.code) };
}

const plain = (s: NetfilterState): string => JSON.stringify(s.rulesets, (k, v: unknown) => (k === 'line' ? undefined : typeof v === 'bigint' ? String(v) : v));

describe('the shared restore\'s nesting proof (property)', () => {
  it('gives the full check\'s answer on random tables loaded before', () => {
    const memo = memoOf(6);
    const names = ['KUBE-SERVICES', 'KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES', memo.ports[0]!.info.chains.svc, memo.ports[1]!.info.chains.ext];
    fc.assert(
      fc.property(existingArb(names), (existing) => {
        const fast = restored(existing, memo, true);
        const full = restored(existing, memo, false);
        const text = restored(existing, memo, 'text');
        expect(fast.problems).toEqual(full.problems);
        expect(plain(fast.state)).toBe(plain(full.state));
        expect(full.problems).toEqual(text.problems);
        expect(plain(full.state)).toBe(plain(text.state));
      }),
      { numRuns: 400 },
    );
  });

  it('is taken from an earlier node without own ports whose loaded table jumps alike (loadedJumpsKey), and gives the full check\'s answer', () => {
    const names = ['KUBE-SERVICES', 'KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES'];
    // A node hosting no endpoint: its delta restores have no own port, so they share the proof.
    const config = { ...CONFIG, nodeName: 'node-z' };
    fc.assert(
      fc.property(existingSpec(names), fc.nat(), fc.nat(16), (spec, cut, deep) => {
        const memo = memoOf(6);
        // The second table may jump from down its ladder into the payload (refused when deep enough).
        const b = { ...spec, declare: [...new Set([...spec.declare, 'KUBE-SERVICES'])], extra: deep < spec.chains ? [`-A X${deep} -j KUBE-SERVICES`] : [] };
        // The first declares the same chains with some of the second's jumps, or all (the same key).
        const a = { ...b, jumps: b.jumps.slice(0, cut % (b.jumps.length + 1)), drop: !b.drop, extra: cut % 2 === 0 ? b.extra : [] };
        viaDelta(existingText(a), memo, config);
        const second = viaDelta(existingText(b), memo, config);
        const full = restored(existingText(b), memo, false, config);
        expect(second.problems).toEqual(full.problems);
        expect(plain(second.state)).toBe(plain(full.state));
      }),
      { numRuns: 500 },
    );
  });

  it('holds on a node whose tables hold only kube-proxy\'s jumps, so the walk is skipped', () => {
    const memo = memoOf(6);
    const existing = '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-POSTROUTING - [0:0]\n-A PREROUTING -m conntrack --ctstate NEW -j KUBE-SERVICES\n-A POSTROUTING -j KUBE-POSTROUTING\nCOMMIT\n*filter\n:KUBE-SERVICES - [0:0]\n:KUBE-FORWARD - [0:0]\n-A FORWARD -j KUBE-FORWARD\n-A OUTPUT -j KUBE-SERVICES\nCOMMIT\n';
    const state = createNetfilter();
    iptablesRestore(state, existing, { file: 'existing', family: 4, noflush: false });
    let proven: string[] = [];
    expect(restorePayloadParts(state, buildPayloadParts(CONFIG, memo), memo, { onProof: (p) => (proven = [...p].sort()) })).toEqual([]);
    expect(proven).toEqual(['filter', 'nat']);
  });

  it('refuses, through the full check, a loop closed through KUBE-SERVICES', () => {
    const memo = memoOf(2);
    const existing = '*nat\n:KUBE-SERVICES - [0:0]\n:X0 - [0:0]\n-A PREROUTING -j X0\n-A X0 -j KUBE-SERVICES\nCOMMIT\n';
    // X0 → KUBE-SERVICES is allowed; make the payload's KUBE-SERVICES reach X0 back: impossible
    // for kube-proxy, so a deep ladder to KUBE-SERVICES stands in: 15 chains, then the payload's 5 levels.
    const ladder = ['*nat', ...Array.from({ length: 14 }, (_, i) => `:L${i} - [0:0]`), ':KUBE-SERVICES - [0:0]', '-A PREROUTING -j L0', ...Array.from({ length: 13 }, (_, i) => `-A L${i} -j L${i + 1}`), '-A L13 -j KUBE-SERVICES', 'COMMIT', ''].join('\n');
    expect(restored(existing, memo, true).problems).toEqual([]);
    const deep = restored(ladder, memo, true);
    expect(deep.problems).toEqual(restored(ladder, memo, false).problems);
    expect(deep.problems.length).toBe(1);
  });
});
