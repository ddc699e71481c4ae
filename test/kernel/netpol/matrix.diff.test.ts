/**
 * NetworkPolicy against the kernel, cell by cell: every scenario with NetworkPolicies (in
 * `scenarios/` and `test/fixtures/kernel-scenario/`) is built by netsim and materialized into
 * real namespaces with the enforcer's rules and ipsets (`ipset restore`, `iptables-restore`, as
 * materialize.ts loads every ruleset). Then, for every pod × every other pod × every port one of
 * the scenario's pods serves, a real client connects (TCP handshake, or a UDP request and its
 * answer) and the outcome is compared with two answers netsim gives:
 *
 * - the datapath: `netsim trace SRC DST --port P -o json` delivers the first packet to the
 *   destination pod and the reply back to the client;
 * - the independent evaluator of the API's semantics (src/policy `allowed`), or "everything is
 *   allowed" when nothing enforces the policies.
 *
 * The three truth tables must be equal; a difference prints all three in the upstream e2e
 * format (`.` connected, `X` blocked). Self cells are left out, as upstream's `ignoreLoopback`
 * does: a pod reaching its own IP never leaves its namespace. A destination is tried on the
 * ports it declares (netsim has a socket only there; the kernel's probe listens everywhere). Skipped with the reason printed
 * where the kernel side cannot run (not root, a tool missing, an ipip device). See docs/netpol.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIp } from '../../../src/addr/ip.js';
import type { BuiltCluster } from '../../../src/cluster/assemble/cluster.js';
import type { BuiltPod } from '../../../src/cluster/assemble/pods.js';
import { policyPodsOf, policyWorldOf } from '../../../src/cluster/netpol-world.js';
import { allowed, type MatrixPod, type PolicyEndpoint, podKey, type PolicyProtocol } from '../../../src/policy/index.js';
import { kernelAvailable } from '../harness/available.js';
import { deleteNamespace } from '../harness/namespaces.js';
import { loadRunCli } from '../harness/netsim.js';
import { buildScenario, scenarioSources } from '../scenario/cluster.js';
import type { FlowCase } from '../scenario/flows.js';
import { CLIENT_PORT, type KernelScene, type Rig, SLOW_RETRIES, sendInKernel, startRig, tooSlow } from '../scenario/kernel-flow.js';
import { type Materialized, materialize, unsupported } from '../scenario/materialize.js';
import { ownNamespaces, removeStaleScenarioNamespaces } from '../scenario/names.js';
import { type RunCli, traceInNetsim } from '../scenario/netsim-side.js';
import { settleDad } from '../scenario/state-check.js';

const RUN_START = Date.now();
const kernel = kernelAvailable();
const cli = await loadRunCli();
const skipReason = !kernel.ok ? `kernel side unavailable: ${kernel.why}` : 'missing' in cli ? `netsim side unavailable: ${cli.missing}` : undefined;

/** The scenarios with NetworkPolicies. */
const SOURCES = scenarioSources().filter((s) => /^kind:\s*NetworkPolicy\s*$/m.test(s.text));

if (skipReason !== undefined) console.warn(`[netpol-diff] SKIPPED the NetworkPolicy matrix differential test (${SOURCES.length} scenarios): ${skipReason}`);

/** A port a pod serves, and its protocol as the probe speaks it. */
interface Served {
  readonly port: number;
  readonly proto: 'tcp' | 'udp';
}

/** Every (port, protocol) some pod of the cluster serves (TCP and UDP; SCTP has no probe here). */
function servedPorts(built: BuiltCluster): Served[] {
  const seen = new Map<string, Served>();
  for (const p of scenarioPods(built)) {
    for (const c of p.pod.containers) {
      for (const port of c.ports) {
        if (port.protocol === 'SCTP') continue;
        const proto = port.protocol === 'UDP' ? 'udp' : 'tcp';
        seen.set(`${proto}/${port.containerPort}`, { port: port.containerPort, proto });
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.proto.localeCompare(b.proto) || a.port - b.port);
}

/** The scenario's own pods: the DNS addon's CoreDNS pods (no source position) are not in the matrix. */
function scenarioPods(built: BuiltCluster): BuiltPod[] {
  return built.pods.filter((p) => p.pod.pos !== undefined);
}

function ipv4(p: BuiltPod): string | undefined {
  const a = p.ips.find((x) => x.family === 4);
  return a === undefined ? undefined : formatIp(a);
}

/** One cell: pod `a` to pod `b` on `served`. */
function cellFlow(a: BuiltPod, b: BuiltPod, served: Served): FlowCase | undefined {
  const src = ipv4(a);
  const dst = ipv4(b);
  if (src === undefined || dst === undefined) return undefined;
  const arg = (p: BuiltPod): string => `${p.pod.namespace}/${p.pod.name}`;
  return {
    kind: a.pod.nodeName === b.pod.nodeName ? 'pod→pod same node' : 'pod→pod cross node',
    family: 4,
    name: `${arg(a)} → ${arg(b)}:${served.port}/${served.proto}`,
    srcNs: a.netns,
    srcArg: arg(a),
    srcIp: src,
    dstArg: arg(b),
    dstIp: dst,
    dport: served.port,
    proto: served.proto,
    listenPorts: [served.port],
  };
}

/** Whether a pod declares the port: netsim has a socket there only then (the kernel's listener is everywhere). */
function serves(p: BuiltPod, s: Served): boolean {
  return p.pod.containers.some((c) => c.ports.some((x) => x.containerPort === s.port && (x.protocol === 'UDP') === (s.proto === 'udp') && x.protocol !== 'SCTP'));
}

function endpoint(p: MatrixPod): PolicyEndpoint {
  return p.ip === undefined ? { pod: p } : { pod: p, ip: p.ip };
}

/** Upstream's truth-table text for one of the three answers. */
function table(pods: readonly string[], cell: (from: string, to: string) => boolean | undefined): string {
  const rows = pods.map((f) => [f, ...pods.map((t) => (cell(f, t) === undefined ? '-' : cell(f, t) ? '.' : 'X'))].join('\t'));
  return [['-', ...pods].join('\t'), ...rows].join('\n');
}

describe.skipIf(skipReason !== undefined)('NetworkPolicy matrices in real namespaces vs netsim', () => {
  beforeAll(() => {
    const stale = removeStaleScenarioNamespaces(RUN_START);
    if (stale.length > 0) console.warn(`[netpol-diff] removed stale namespaces of a crashed run: ${stale.join(', ')}`);
    process.once('exit', () => {
      for (const n of ownNamespaces()) deleteNamespace(n);
    });
  });
  afterAll(() => {
    expect(ownNamespaces(), 'namespaces left behind by this run').toEqual([]);
  });

  for (const src of SOURCES) {
    const b = buildScenario(src);
    if ('problem' in b) {
      it.skip(`${src.name}: ${b.problem}`, () => undefined);
      continue;
    }
    const built = b.built;
    const why = unsupported(built.world);
    if (why !== undefined) {
      it.skip(`${src.name}: ${why}`, () => undefined);
      continue;
    }
    const pods = scenarioPods(built).filter((p) => !p.pod.hostNetwork && ipv4(p) !== undefined);
    const world = policyWorldOf(built.spec);
    const policyPods = policyPodsOf(built, 4);
    const enforced = built.spec.cluster.networkPolicy.enforcer !== 'none';

    for (const served of servedPorts(built)) {
      it(`${src.name}: every pod to every pod on ${served.proto.toUpperCase()} ${served.port}: kernel = netsim trace = evaluator`, async () => {
        if ('missing' in cli) throw new Error('not set up');
        let m: Materialized | undefined;
        let rig: Rig | undefined;
        try {
          m = materialize(built.world);
          await settleDad(Object.values(m.names));
          const nodes = built.spec.nodes.map((n) => n.name);
          const scene: KernelScene = { names: m.names, nodes, pods: pods.map((p) => p.netns), nodesWithRaw: { 4: new Set(), 6: new Set() }, families: [4] };
          rig = await startRig(scene, { tcp: served.proto === 'tcp' ? [served.port] : [], udp: served.proto === 'udp' ? [served.port] : [], node: [] });
          const kernelCell = new Map<string, boolean>();
          const netsimCell = new Map<string, boolean>();
          const evalCell = new Map<string, boolean>();
          const protocol: PolicyProtocol = served.proto === 'udp' ? 'UDP' : 'TCP';
          for (const a of pods) {
            for (const d of pods) {
              if (a === d || !serves(d, served)) continue;
              const flow = cellFlow(a, d, served);
              if (flow === undefined) continue;
              const key = `${podKey(a.pod)}>${podKey(d.pod)}`;
              const n = await traceInNetsim(cli.runCli as unknown as RunCli, src.fileArgs, flow);
              const path = n.paths[0];
              const netsimConnects = path !== undefined && path.forward.ending.disposition === 'DELIVERED' && path.forward.ending.ns === d.netns && path.reply?.ending.disposition === 'DELIVERED';
              netsimCell.set(key, netsimConnects);
              // A cell the loaded machine spoiled (kernel-flow.ts tooSlow) is sent again from the next port.
              let connects = false;
              for (let attempt = 0; attempt <= SLOW_RETRIES; attempt++) {
                const k = await sendInKernel(rig, flow, CLIENT_PORT + attempt);
                connects = k.client.ok && k.server?.ns === d.netns;
                const why = tooSlow(k, connects !== netsimConnects);
                if (why === undefined) break;
                if (attempt < SLOW_RETRIES) console.warn(`[netpol-diff] ${src.name} ${key}:${served.port}: sent again (${why})`);
              }
              kernelCell.set(key, connects);
              const sp = policyPods.find((p) => p.namespace === a.pod.namespace && p.name === a.pod.name);
              const dp = policyPods.find((p) => p.namespace === d.pod.namespace && p.name === d.pod.name);
              if (sp === undefined || dp === undefined) throw new Error(`${key}: not in the evaluator's pods`);
              const verdict = allowed(world, { src: endpoint(sp), dst: endpoint(dp), protocol, port: served.port });
              evalCell.set(key, !enforced || verdict.allowed);
            }
          }
          const names = pods.map((p) => podKey(p.pod));
          const show = (cells: Map<string, boolean>): string => table(names, (f, t) => cells.get(`${f}>${t}`));
          const kernelText = show(kernelCell);
          const netsimText = show(netsimCell);
          const evalText = show(evalCell);
          if (kernelText !== netsimText || netsimText !== evalText) {
            expect.fail(`${src.name} on ${served.proto}/${served.port}:\nkernel:\n${kernelText}\n\nnetsim trace:\n${netsimText}\n\nevaluator${enforced ? '' : ' (not enforced: all allowed)'}:\n${evalText}`);
          }
          // A matrix that allows everything would pass against a datapath that ignores policy.
          if (enforced && [...kernelCell.values()].every((v) => v)) console.warn(`[netpol-diff] ${src.name} ${served.proto}/${served.port}: every cell connected`);
        } finally {
          await rig?.close();
          const left = m?.dispose() ?? [];
          expect(left, `could not delete the namespaces of ${src.name}`).toEqual([]);
        }
      }, 600_000);
    }
  }
});
