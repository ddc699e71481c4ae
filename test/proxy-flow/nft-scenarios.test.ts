/**
 * Upstream's kube-proxy nftables proxier tests (pkg/proxy/nftables/proxier_test.go) as
 * scenarios: test/fixtures/kube-proxy-upstream-nft/ holds one file per Test* case or subtest
 * (written from test/proxy-flow/cases/nft-upstream.ts by upstream-scenario-nft.ts). Each loads
 * without a diagnostic; test-node's nft ruleset is the transaction kube-proxy writes for the
 * case's inputs; and the case's packet-flow rows, with upstream's answers, hold when traced
 * through the node's whole netfilter state (the nft table, plus the CNI's iptables rules) and
 * its own addresses, following every numgen branch as upstream's nftables tracer does.
 *
 * Rows where the kernel (so netsim) and upstream's simplified nft tracer (helpers_test.go)
 * disagree are listed in DIFFERENCES with the kernel's answer and why.
 * NETSIM_UPDATE_FIXTURES=1 rewrites the fixtures from the cases.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { showText } from '../../src/app/show.js';
import { getRuleset, parseNft, printNft } from '../../src/kernel/netfilter/index.js';
import { getNetns } from '../../src/kernel/world.js';
import { ep, svcPort } from '../../src/proxy/iptables/__fixtures__/upstream.js';
import { type EndpointInput, buildNftablesTransaction } from '../../src/proxy/index.js';
import { type FlowCase, type FlowRow } from '../helpers/proxy-flow.js';
import { traceNftFlow } from '../helpers/proxy-flow-nft.js';
import { upstreamFixture } from '../helpers/upstream-fixture.js';
import { upstreamNftScenario } from '../helpers/upstream-scenario-nft.js';
import { NFT_UPSTREAM_CASES } from './cases/nft-upstream.js';

const DIR = 'test/fixtures/kube-proxy-upstream-nft';
const SOURCE = 'pkg/proxy/nftables/proxier_test.go (030880a5dc5449403c6d1f0aa146a7dc21d6c6dc)';

interface Difference {
  readonly output: string;
  readonly masq: boolean | string;
  readonly why: string;
}

/** `case name|row name` → the kernel's answer, where upstream's tracer gives another. */
const DIFFERENCES: Readonly<Record<string, Difference>> = {};

const fileName = (c: FlowCase): string => c.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '');
const expectedOf = (c: FlowCase, r: FlowRow) => {
  const d = DIFFERENCES[`${c.name}|${r.name}`];
  return d === undefined ? { output: r.output, masq: r.masq } : { output: d.output, masq: d.masq };
};

/** The case's inputs plus the API server's own `default/kubernetes` Service, which every built cluster holds and upstream's fake proxier does not. */
function withKubernetesService(c: FlowCase): Parameters<typeof buildNftablesTransaction> {
  const kubernetes = svcPort('default', 'kubernetes', { portName: 'https', port: 443, clusterIP: '172.30.0.1' });
  const endpoints = { ...(c.endpoints as Readonly<Record<string, readonly EndpointInput[]>>), 'default/kubernetes:https': [ep('192.168.0.2', 6443)] };
  return [c.config, [...c.services, kubernetes], endpoints];
}

it('transcribes upstream nftables cases, each to its own file', () => {
  expect(NFT_UPSTREAM_CASES.length).toBeGreaterThanOrEqual(15);
  expect(new Set(NFT_UPSTREAM_CASES.map(fileName)).size).toBe(NFT_UPSTREAM_CASES.length);
});

describe.each(NFT_UPSTREAM_CASES.map((c) => [fileName(c), c] as const))('%s (nftables mode)', (file, c) => {
  const { built } = upstreamFixture(`${DIR}/${file}.yaml`, upstreamNftScenario(c, SOURCE));
  if (built === undefined) return;
  const ns = getNetns(built.world, 'test-node');
  const nft = ns.netfilter.nft.ruleset;

  it("holds the case's kube-proxy table on test-node (and default/kubernetes)", () => {
    const own = parseNft(buildNftablesTransaction(...withKubernetesService(c)).text, { file: 'case' }).value;
    const table = (rs: typeof nft) => printNft({ tables: rs.tables.filter((t) => t.family === 'ip' && t.name === 'kube-proxy') });
    expect(table(nft)).toBe(table(own));
  });

  it('shows the table in show test-node nft', () => {
    const shown = showText(built, 'test-node', 'nft');
    if (!('text' in shown)) throw new Error(shown.problem);
    expect(shown.text).toContain('table ip kube-proxy');
  });

  const node = { payload: '', nft, rulesets: [getRuleset(ns.netfilter, 4)], localAddrs: ns.addrs.map((a) => a.cidr.addr).filter((a) => a.family === 4) };
  it.each(c.rows.map((r, i) => [`${i}: ${r.name}`, r] as const))('flow %s', (_n, r) => {
    const got = traceNftFlow(node, r);
    expect({ output: got.output, masq: got.masq }, `${r.sourceIP} → ${r.destIP}:${r.destPort}`).toEqual(expectedOf(c, r));
  });
});

it("TestOverallNFTablesRules' case lists as upstream's expected ruleset, byte for byte", () => {
  const c = NFT_UPSTREAM_CASES.find((x) => x.name === 'TestOverallNFTablesRules');
  if (c === undefined) throw new Error('no TestOverallNFTablesRules case');
  const own = parseNft(buildNftablesTransaction(c.config, c.services, c.endpoints).text, { file: 'case' }).value;
  expect(printNft(own)).toBe(readFileSync('test/fixtures/nftables/kube-proxy-overall.list', 'utf8'));
});

it('every difference names a row that exists and differs from upstream', () => {
  for (const [key, d] of Object.entries(DIFFERENCES)) {
    const [name, rowName] = key.split('|');
    const r = NFT_UPSTREAM_CASES.find((c) => c.name === name)?.rows.find((x) => x.name === rowName);
    expect(r, key).toBeDefined();
    expect({ output: r?.output, masq: r?.masq }, key).not.toEqual({ output: d.output, masq: d.masq });
  }
});
