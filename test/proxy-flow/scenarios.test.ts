/**
 * Upstream's kube-proxy tests as scenarios (test/fixtures/kube-proxy-upstream/, one file per
 * Test* case or subtest): each loads without a diagnostic, as the API server would accept it;
 * the payload kube-proxy restores on test-node is the case's (and, where upstream gives an
 * expected dump, upstream's, after upstream's sortIPTablesRules normalisation); `show test-node
 * iptables` holds those rules; and the case's packet-flow rows, with upstream's answers, hold
 * through the node's whole ruleset (CNI and kubelet rules included) and its own addresses. The
 * `differences-*` fixtures hold rows where the kernel's answer is not upstream's simplified
 * tracer's (each row says why); netsim gives the kernel's.
 *
 * What the fixtures change of upstream's inputs is said in each file's `# Difference:` lines.
 * NETSIM_UPDATE_FIXTURES=1 rewrites the fixtures from the cases.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Ip } from '../../src/addr/index.js';
import { showText } from '../../src/app/show.js';
import { getRuleset } from '../../src/kernel/netfilter/index.js';
import { getNetns } from '../../src/kernel/world.js';
import { sortedForTest } from '../../src/proxy/iptables/sorted.js';
import { buildIptablesPayload } from '../../src/proxy/index.js';
import { canonicalSave, kubeChains, withoutKubernetesService } from '../helpers/kube-rules.js';
import { type FlowCase, type FlowRow, expected, traceFlow } from '../helpers/proxy-flow.js';
import { upstreamFixture } from '../helpers/upstream-fixture.js';
import { upstreamScenario } from '../helpers/upstream-scenario.js';
import { DIFFERENCE_CASES } from './cases/differences.js';
import { DUMP_CASES } from './cases/dumps.js';
import { MASQUERADE_CASES } from './cases/masquerade.js';
import { TRAFFIC_POLICY_CASES } from './cases/traffic-policy.js';
import { UPSTREAM_CASES } from './cases/upstream.js';

const DIR = 'test/fixtures/kube-proxy-upstream';
const SOURCE = 'pkg/proxy/iptables/proxier_test.go';
/** Upstream's expected dumps (test/golden/proxy/upstream/), by fixture. */
const GOLDEN: Readonly<Record<string, string>> = {
  TestOverallIPTablesRules: 'TestOverallIPTablesRules',
  'TestSyncProxyRulesRepeated-initial-full-sync': 'TestSyncProxyRulesRepeated-initial',
};

function fileName(c: FlowCase): string {
  if (c.name.startsWith('TestTracePacket')) return 'TestOverallIPTablesRules';
  return c.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '');
}

/** Rows where the kernel (so netsim) and upstream's simplified tracer disagree, on upstream's inputs. */
const DIFFERENCES_SOURCE = `${SOURCE} inputs (the rows: where upstream's simplified tracer and the kernel disagree, test/proxy-flow/cases/differences.ts)`;
const CASES = [
  ...[...UPSTREAM_CASES, ...MASQUERADE_CASES, ...TRAFFIC_POLICY_CASES, ...DUMP_CASES].map((c) => [fileName(c), c, SOURCE] as const),
  ...DIFFERENCE_CASES.map((c) => [fileName(c), c, DIFFERENCES_SOURCE] as const),
];

it('transcribes at least 15 upstream cases, each to its own file', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(15);
  expect(new Set(CASES.map(([f]) => f)).size).toBe(CASES.length);
});

describe.each(CASES)('%s', (file, c, source) => {
  const { built } = upstreamFixture(`${DIR}/${file}.yaml`, upstreamScenario(c, source));
  if (built === undefined) return;
  const payload = withoutKubernetesService(built.proxyPayloads['test-node'] ?? '');
  const golden = GOLDEN[file];

  it("restores the case's kube-proxy payload on test-node", () => {
    expect(sortedForTest(payload)).toBe(sortedForTest(buildIptablesPayload(c.config, c.services, c.endpoints).text));
  });
  if (golden !== undefined) {
    it("restores upstream's expected dump", () => {
      expect(sortedForTest(payload)).toBe(readFileSync(`test/golden/proxy/upstream/${golden}.iptables`, 'utf8'));
    });
  }

  it('shows those rules in show test-node iptables', () => {
    const shown = showText(built, 'test-node', 'iptables');
    if (!('text' in shown)) throw new Error(shown.problem);
    expect(withoutKubernetesService(kubeChains(shown.text))).toBe(kubeChains(canonicalSave(payload)));
  });

  const ns = getNetns(built.world, 'test-node');
  const localAddrs: Ip[] = ns.addrs.map((a) => a.cidr.addr).filter((a) => a.family === 4);
  const node = { payload, ruleset: getRuleset(ns.netfilter, 4), localAddrs };
  const check = (row: FlowRow) => {
    const got = traceFlow(node, row);
    expect({ output: got.output, masq: got.masq }, `${row.sourceIP} → ${row.destIP}:${row.destPort}`).toEqual(expected(row));
  };
  const known = c.rows.filter((r) => r.engineGap === undefined);
  const gaps = c.rows.filter((r) => r.engineGap !== undefined);
  if (known.length > 0) it.each(known)('flow: $name', check);
  if (gaps.length > 0) it.fails.each(gaps)('flow: $name (known gap: $engineGap)', check);
});
