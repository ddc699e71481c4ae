/**
 * A packet to the last service of a 20,000-rule KUBE-SERVICES chain (the worst case: every rule
 * is tried) must evaluate in well under 10 ms once the rules are compiled.
 */
import { expect, it } from 'vitest';
import { r, tcp, testEnv } from '../../../../test/helpers/nf.js';
import type { Chain, Rule } from '../rule.js';
import { createNetfilter, FRESH_SKB, loadRuleset, runHook } from '../index.js';

const N = 20_000;

function bigRuleset() {
  const services: Rule[] = [];
  for (let i = 0; i < N; i++) {
    const d = `172.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
    services.push(r(`-d ${d}/32 -p tcp -m comment --comment "ns/svc-${i}:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-X`));
  }
  const chains: Chain[] = [
    { name: 'PREROUTING', policy: 'ACCEPT', rules: [r('-m comment --comment "kubernetes service portals" -j KUBE-SERVICES')] },
    { name: 'INPUT', policy: 'ACCEPT', rules: [] },
    { name: 'OUTPUT', policy: 'ACCEPT', rules: [] },
    { name: 'POSTROUTING', policy: 'ACCEPT', rules: [] },
    { name: 'KUBE-SERVICES', rules: services },
    { name: 'KUBE-SVC-X', rules: [r('-m comment --comment "ns/svc -> 10.1.0.1:8080" -j KUBE-SEP-X')] },
    { name: 'KUBE-SEP-X', rules: [r('-p tcp -m comment --comment ns/svc -m tcp -j DNAT --to-destination 10.1.0.1:8080')] },
  ];
  return { family: 4 as const, tables: [{ name: 'nat' as const, chains }] };
}

it(`a packet through a ${N}-rule KUBE-SERVICES chain takes well under 10 ms`, () => {
  const nf = createNetfilter();
  loadRuleset(nf, bigRuleset());
  const last = `172.${16 + ((N - 1) >> 16)}.${((N - 1) >> 8) & 255}.${(N - 1) & 255}`;
  const env = testEnv({ inDev: 'eth0' });
  const cold = performance.now();
  const first = runHook(nf, 'PREROUTING', tcp('10.0.0.1', 1000, last, 80), FRESH_SKB, env);
  const coldMs = performance.now() - cold;
  expect(first.packet.ip.dst).toEqual(tcp('1.1.1.1', 1, '10.1.0.1', 1).ip.dst);
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    runHook(nf, 'PREROUTING', tcp('10.0.0.1', 2000 + i, last, 80), FRESH_SKB, testEnv({ inDev: 'eth0' }));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  // The best of 40 runs: the machine running the tests may be shared, and V8 needs a few runs
  // to optimise the loop; the median is reported for information.
  const best = times[0] ?? Infinity;
  const median = times[times.length >> 1] ?? Infinity;
  if (process.env["NF_PERF_SHOW"] !== undefined) console.warn(`best ${best.toFixed(3)} ms, median ${median.toFixed(3)} ms, cold ${coldMs.toFixed(1)} ms`);
  expect(best, `best ${best.toFixed(2)} ms, median ${median.toFixed(2)} ms (cold, with compilation: ${coldMs.toFixed(1)} ms)`).toBeLessThan(5);
});
