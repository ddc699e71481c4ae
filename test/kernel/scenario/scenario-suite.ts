/**
 * Scenario-level differential test: each scenario (the built-in default, every file in
 * scenarios/ and in test/fixtures/kernel-scenario/ that builds) is built by netsim, materialized
 * into real namespaces (see materialize.ts), and real TCP connections are made for the flows of
 * flows.ts (pod→pod same node and cross node, pod→Service, hairpin, NodePort, no endpoints,
 * node→pod, node→Service, pod→outside). Each is compared with `netsim trace --all-paths`: the
 * outcome, the backend, the addresses the receiver sees, the packet leaving the cluster, and the
 * kernel's rule trace of the SYN and the SYN-ACK at every node against netsim's netfilter steps
 * there, rule for rule. The kernel-derived routes, addresses and FDB entries are compared with
 * the model's `show` text too. Known differences: expected.ts. Skipped, with the reason printed,
 * where the kernel side cannot run. See docs/testing.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Netns } from '../../../src/kernel/netns.js';
import { getRuleset } from '../../../src/kernel/netfilter/index.js';
import { printRuleset } from '../../../src/kernel/netfilter/syntax/index.js';
import { kernelAvailable } from '../harness/available.js';
import { deleteNamespace } from '../harness/namespaces.js';
import { loadRunCli } from '../harness/netsim.js';
import { buildScenario, scenarioSources } from './cluster.js';
import { compareFlow, type FlowComparison, type FlowDiff } from './compare.js';
import { EXPECTED_FLOW_DIFFS, EXPECTED_STATE_DIFFS, type ExpectedFlowDiff } from './expected.js';
import { EXTERNAL_CLIENT_IP, type FlowCase, externalClientNetns, flowsOf } from './flows.js';
import { withExternalHost } from '../../../src/cluster/assemble/external.js';
import { ip } from '../../../src/addr/ip.js';
import { CLIENT_PORT, type KernelScene, type Rig, SLOW_RETRIES, sendInKernel, startRig, tooSlow } from './kernel-flow.js';
import { type Materialized, materialize, unsupported } from './materialize.js';
import { ownNamespaces, removeStaleScenarioNamespaces } from './names.js';
import { type RunCli, traceInNetsim } from './netsim-side.js';
import { compareState, settleDad, type StateDiff, stateDiffText } from './state-check.js';

const RUN_START = Date.now();

/**
 * `SCENARIO_DIFF_ONLY=REGEX` runs only the scenarios whose name (`built-in default`,
 * `scenarios/dual-stack.yaml`) matches, each in its own shard as usual.
 */
const ONLY = process.env['SCENARIO_DIFF_ONLY'] !== undefined && process.env['SCENARIO_DIFF_ONLY'] !== '' ? new RegExp(process.env['SCENARIO_DIFF_ONLY']) : undefined;
/**
 * How often a hairpin flow is sent until the kernel's random choice is the pod itself: with 3
 * backends, (2/3)^36 ≈ 1 in 2 million to miss (8 attempts missed about 1 run in 26 once the
 * flannel scenarios brought 3-backend Services; 24 missed once in about 25 full runs under load).
 * Sending stops at the first hit.
 */
const HAIRPIN_ATTEMPTS = 36;


const kernel = kernelAvailable();
const cli = await loadRunCli();
const skipReason = !kernel.ok ? `kernel side unavailable: ${kernel.why}` : 'missing' in cli ? `netsim side unavailable: ${cli.missing}` : undefined;

/** Deletes this process's namespaces even when the worker exits without running afterAll. */
function cleanupOnExit(): void {
  process.once('exit', () => {
    for (const n of ownNamespaces()) deleteNamespace(n);
  });
}

/**
 * The suite for one shard of the scenarios (every `shards`-th from `shard`): the two shard files
 * run in parallel workers (each with its own pid, so its own namespaces), halving the wall time
 * of the longest kernel suite.
 */
export function scenarioSuite(shard: number, shards: number): void {
const SOURCES = scenarioSources().filter((src, i) => i % shards === shard && (ONLY === undefined || ONLY.test(src.name)));
if (skipReason !== undefined) console.warn(`[scenario-diff] SKIPPED the scenario differential test, shard ${shard + 1}/${shards} (${SOURCES.length} scenarios): ${skipReason}`);
else console.warn(`[scenario-diff] shard ${shard + 1}/${shards}: running ${SOURCES.length} scenarios against the kernel (${kernel.why})`);
describe.skipIf(skipReason !== undefined)('scenarios in real namespaces vs netsim', () => {
  beforeAll(() => {
    const stale = removeStaleScenarioNamespaces(RUN_START);
    if (stale.length > 0) console.warn(`[scenario-diff] removed stale namespaces of a crashed run: ${stale.join(', ')}`);
    cleanupOnExit();
  });
  afterAll(() => {
    expect(ownNamespaces(), 'namespaces left behind by this run').toEqual([]);
  });

  if (SOURCES.length === 0) it.skip(`no scenario of shard ${shard + 1}/${shards} matches SCENARIO_DIFF_ONLY`, () => undefined);
  for (const src of SOURCES) {
    const notHere = GENERIC_FLOWS_SKIPPED.find((x) => x.name.test(src.name));
    if (notHere !== undefined) {
      it.skip(`${src.name}: ${notHere.why}`, () => undefined);
      continue;
    }
    const b = buildScenario(src);
    if ('problem' in b) {
      it.skip(`${src.name}: ${b.problem}`, () => undefined);
      continue;
    }
    const flows = flowsOf(b.built);
    // An external client's flow needs its host in the world that is materialized (a copy).
    const withClient = flows.some((f) => f.srcNs === externalClientNetns(b.built)) ? withExternalHost(b.built, ip(EXTERNAL_CLIENT_IP)) : b.built;
    if ('problem' in withClient) throw new Error(withClient.problem);
    const built = withClient;
    const why = unsupported(built.world);
    if (why !== undefined) {
      it.skip(`${src.name}: ${why}`, () => undefined);
      continue;
    }
    describe(src.name, () => {
      let m: Materialized | undefined;
      let rig: Rig | undefined;
      let state: StateDiff[] = [];
      beforeAll(async () => {
        m = materialize(built.world);
        await settleDad(Object.values(m.names));
        state = compareState(built.world, m.names); // before the harness adds its TRACE rules
        const nodes = built.spec.nodes.map((n) => n.name);
        const families = [...new Set(flows.map((f) => f.family))].sort();
        const scene: KernelScene = {
          names: m.names,
          nodes,
          pods: built.pods.filter((p) => !p.pod.hostNetwork).map((p) => p.netns),
          nodesWithRaw: { 4: new Set(nodes.filter((n) => hasRawTable(built.world.netns[n], 4))), 6: new Set(nodes.filter((n) => hasRawTable(built.world.netns[n], 6))) },
          families,
        };
        const ports = (proto: 'tcp' | 'udp', toNode: boolean): number[] => [...new Set(flows.filter((f) => f.proto === proto && (f.toNode === true) === toNode).flatMap((f) => f.listenPorts))];
        const udpTraced = [...new Set(flows.filter((f) => f.proto === 'udp').flatMap((f) => [f.dport, ...f.listenPorts]))];
        rig = await startRig(scene, { tcp: ports('tcp', false), udp: ports('udp', false), node: ports('tcp', true), udpTraced });
      }, 120_000);
      afterAll(async () => {
        await rig?.close();
        const left = m?.dispose() ?? [];
        expect(left, `could not delete the namespaces of ${src.name}`).toEqual([]);
      });

      it('the kernel derives the routes, addresses, FDB entries and ruleset netsim shows (ip route show table all, ip addr, bridge fdb, iptables-save)', () => {
        if (m === undefined) throw new Error('not materialized');
        const nodes = new Set(built.spec.nodes.map((n) => n.name));
        const found = state;
        const diffs = found.flatMap((d) => unexpectedState(d, nodes.has(d.ns)));
        const gone = EXPECTED_STATE_DIFFS.filter((e) => !found.some((d) => d.what === e.what && (e.side === 'kernel' ? d.onlyKernel : d.onlyNetsim).some((l) => e.line.test(l))));
        const problems = [
          ...diffs.map(stateDiffText),
          ...gone.map((e) => `the expected difference "${e.why}" no longer occurs: remove it from test/kernel/scenario/expected.ts`),
        ];
        if (problems.length > 0) expect.fail(`${src.name}: netsim's model differs from what the kernel derived:\n${problems.join('\n')}`);
      });

      for (const flow of flows) {
        it(`${flow.kind}: ${flow.name}`, async () => {
          if (rig === undefined || m === undefined || 'missing' in cli) throw new Error('not set up');
          const n = await traceInNetsim(cli.runCli as unknown as RunCli, src.fileArgs, flow);
          const results: FlowComparison[] = [];
          const voided: { r: FlowComparison; why: string }[] = [];
          const attempts = flow.wantBackendNs !== undefined ? HAIRPIN_ATTEMPTS : 1;
          for (let i = 0, port = CLIENT_PORT; i < attempts; port++) {
            const k = await sendInKernel(rig, flow, port);
            const r = compareFlow(flow, k, n, m.names);
            const why = tooSlow(k, r.diffs.length > 0, r.diffs.some((d) => /differ from step 1: kernel \(none\)/.test(d.text)));
            if (why !== undefined && voided.length < SLOW_RETRIES) {
              voided.push({ r, why });
              continue;
            }
            results.push(r);
            i++;
            if (flow.wantBackendNs === undefined || k.server?.ns === flow.wantBackendNs) break;
          }
          if (process.env['SCENARIO_DIFF_REPORT'] === '1') console.log([...voided.map((v) => v.r), ...results].map((r) => r.report).join('\n\n'));
          const problems = flowProblems(src.name, flow, results);
          const slow = voided.map((v, i) => `--- attempt not counted ${i + 1} (the machine was too slow: ${v.why})\n${v.r.report}`);
          if (problems.length > 0) expect.fail(`${src.name}: ${problems.join('\n')}\n\n${[...results.map((r, i) => `--- attempt ${i + 1}\n${r.report}`), ...slow].join('\n\n')}`);
        });
      }
    });
  }
});
}

/**
 * Scenarios whose generic flows this suite does not compare yet, with why. The NetworkPolicy
 * teaching scenarios are compared cell by cell by test/kernel/netpol/matrix.diff.test.ts; here,
 * flows.ts aims at pods that declare no port (the kernel's probe listens, netsim's pod does not)
 * and, in netpol-egress-dns, the kernel's rule trace of the flows came back empty next to a UDP
 * Service on Calico VXLAN: not yet sorted into harness or model.
 */
const GENERIC_FLOWS_SKIPPED: readonly { readonly name: RegExp; readonly why: string }[] = [
  { name: /^scenarios\/netpol-/, why: 'NetworkPolicy teaching scenario: compared cell by cell in test/kernel/netpol/matrix.diff.test.ts; its generic flows target portless pods and its UDP Service trace is not sorted out yet' },
  { name: /^scenarios\/nftables\.yaml$/, why: 'kube-proxy in nftables mode: this harness materializes iptables rules only; the generated nft ruleset is loaded and listed by the kernel in test/kernel/nftproxy.diff.test.ts and traced with nft monitor trace in test/kernel/nft.diff.test.ts' },
  { name: /^scenarios\/calico-dual-stack\.yaml$/, why: 'Calico dual-stack: its IPv4 pool is IP-in-IP, and this kernel has no ipip module' },
];

/** Whether the model's ruleset of a namespace has a raw table of the family (else raw exists only for the harness's TRACE rules). */
function hasRawTable(ns: Netns | undefined, family: 4 | 6): boolean {
  return ns !== undefined && /^\*raw$/m.test(printRuleset(getRuleset(ns.netfilter, family)));
}

function unexpectedState(d: StateDiff, isNode: boolean): StateDiff[] {
  const known = (side: 'kernel' | 'netsim', line: string): boolean =>
    EXPECTED_STATE_DIFFS.some((e) => e.side === side && e.what === d.what && (e.where === 'any' || isNode) && e.line.test(line));
  const onlyKernel = d.onlyKernel.filter((l) => !known('kernel', l));
  const onlyNetsim = d.onlyNetsim.filter((l) => !known('netsim', l));
  return onlyKernel.length === 0 && onlyNetsim.length === 0 ? [] : [{ ...d, onlyKernel, onlyNetsim }];
}

function expectedFor(scenario: string, flow: FlowCase): ExpectedFlowDiff[] {
  return EXPECTED_FLOW_DIFFS.filter((e) => (e.scenario === undefined || e.scenario === scenario) && e.flow === flow.kind);
}

/** What is wrong with a flow's results: unexpected differences, expected ones that are gone, a hairpin never reached. */
function flowProblems(scenario: string, flow: FlowCase, results: readonly FlowComparison[]): string[] {
  const expected = expectedFor(scenario, flow);
  const matches = (e: ExpectedFlowDiff, d: FlowDiff): boolean => d.kind === e.diff && e.text.test(d.text);
  const all = results.flatMap((r) => r.diffs);
  const problems = all.filter((d) => !expected.some((e) => matches(e, d))).map((d) => `netsim and the kernel differ: ${d.text}`);
  for (const e of expected) if (e.always && !all.some((d) => matches(e, d))) problems.push(`the expected difference "${e.why}" no longer occurs: remove it from test/kernel/scenario/expected.ts`);
  const want = flow.wantBackendNs;
  if (want !== undefined && !results.some((r) => r.path?.forward.ending.ns === want && r.diffs.every((d) => d.kind !== 'backend'))) {
    problems.push(`in ${results.length} attempts the kernel never chose the pod itself (${want}) as the backend, so the hairpin path was not compared`);
  }
  return problems;
}
