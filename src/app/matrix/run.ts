/**
 * `netsim policy matrix` as a function: every pod to every pod (of the namespaces asked), each
 * cell traced through the datapath once per pair of policy situations (classes.ts), and beside
 * it the independent evaluator's matrix (src/policy) as the oracle. Where the two disagree the
 * run says so: an internal inconsistency, never hidden.
 *
 * What the datapath should do depends on who enforces: with `enforcer: none` nothing does, so
 * every connection is expected through (the evaluator's verdicts are what the policies *would*
 * do); with an enforcer, the evaluator's. Loopback cells (a pod to itself) are shown but not
 * compared: the packet stays inside the pod's namespace and meets no policy agent, while the
 * evaluator polices the hairpin through a Service, and upstream ignores them too.
 */
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import type { BuiltPod } from '../../cluster/assemble/pods.js';
import { KUBE_DNS } from '../../cluster/objects.js';
import type { NetworkPolicyEnforcer } from '../../cluster/objects.js';
import { policyWorldOf } from '../../cluster/netpol-world.js';
import { type MatrixPod, type PolicyMatrix, type PolicyProtocol, type PolicyWorld, podKey, policyMatrix } from '../../policy/index.js';
import { podClasses } from './classes.js';
import { type DatapathCell, matrixWorld, traceCell } from './datapath.js';
import { deciderOf } from './decider.js';
import { type Progress, type SharedTable, cellOf, groupedTable } from './table.js';

/** What to compute. */
export interface MatrixRequest {
  readonly protocol: PolicyProtocol;
  readonly port: number;
  /** Only pods of these namespaces (all when empty or absent). */
  readonly namespaces?: readonly string[];
}

/** Options: progress reports, and cell by cell instead of grouped (for tests). */
export interface MatrixOptions {
  readonly progress?: Progress;
  readonly table?: <T>(n: number, cell: (from: number, to: number) => T, progress?: Progress) => SharedTable<T>;
}

/** A cell where the datapath and the expectation differ. */
export interface Disagreement {
  readonly from: string;
  readonly to: string;
  /** What the datapath did. */
  readonly datapath: boolean;
  /** What it should have done: the evaluator's verdict, or true when nothing enforces. */
  readonly expected: boolean;
  readonly disposition: string;
  /** The evaluator's reason in Kubernetes terms. */
  readonly reason: string;
}

/** A computed matrix. */
export interface PolicyMatrixRun {
  readonly protocol: PolicyProtocol;
  readonly port: number;
  readonly enforcer: NetworkPolicyEnforcer;
  readonly world: PolicyWorld;
  readonly pods: readonly BuiltPod[];
  /** `namespace/name` of each pod, rows and columns. */
  readonly names: readonly string[];
  readonly datapath: SharedTable<DatapathCell>;
  readonly evaluator: PolicyMatrix;
  /** How many classes the pods fell into. */
  readonly classes: number;
  readonly disagreements: readonly Disagreement[];
}

/** One cell as the outputs show it. */
export interface MatrixCell {
  readonly from: string;
  readonly to: string;
  readonly allowed: boolean;
  readonly disposition: string;
  /** The policy (and rule) that decided, or null when none did (nothing isolates, or nothing enforces). */
  readonly policy: string | null;
}

/**
 * The pods of the matrix: running pods with an address of the cluster's family, by namespace then
 * name. Without namespaces asked, the DNS addon's CoreDNS pods (which the scenario did not write)
 * stay out, so a matrix shows the scenario's pods; `-n kube-system` brings them in.
 */
export function matrixPods(built: BuiltCluster, namespaces: readonly string[] = []): BuiltPod[] | { problem: string } {
  const known = new Set(built.pods.map((p) => p.pod.namespace));
  const unknown = namespaces.filter((n) => !known.has(n));
  if (unknown.length > 0) return { problem: `no pod runs in namespace ${unknown.join(', ')} (namespaces with pods: ${[...known].sort().join(', ')})` };
  const family = built.spec.cluster.clusterCIDR.addr.family;
  const asked = (p: BuiltPod): boolean => (namespaces.length === 0 ? !isDnsAddonPod(p) : namespaces.includes(p.pod.namespace));
  const pods = built.pods.filter((p) => asked(p) && p.ips[0]?.family === family);
  return pods.sort((a, b) => cmp(a.pod.namespace, b.pod.namespace) || cmp(a.pod.name, b.pod.name));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Computes the matrix, traced and evaluated, and compares the two. */
export function runPolicyMatrix(built: BuiltCluster, req: MatrixRequest, opts: MatrixOptions = {}): PolicyMatrixRun | { problem: string } {
  const pods = matrixPods(built, req.namespaces);
  if ('problem' in pods) return pods;
  const world = policyWorldOf(built.spec);
  const packet = { protocol: req.protocol, port: req.port };
  const policyPods: MatrixPod[] = pods.map((p) => (p.ips[0] === undefined ? p.pod : { ...p.pod, ip: p.ips[0] }));
  const classes = podClasses(world, pods.map((p, i) => ({ pod: p.pod, ...(policyPods[i]?.ip !== undefined ? { ip: policyPods[i].ip } : {}) })));
  const m = matrixWorld(built, packet, pods);
  const cell = (i: number, j: number): DatapathCell => traceCell(m, pods[i] as BuiltPod, pods[j] as BuiltPod);
  const datapath = opts.table === undefined ? groupedTable(classes, cell, opts.progress) : opts.table(pods.length, cell, opts.progress);
  const evaluator = policyMatrix(world, policyPods, packet);
  const base = { protocol: req.protocol, port: req.port, enforcer: built.spec.cluster.networkPolicy.enforcer, world, pods, names: pods.map((p) => podKey(p.pod)), datapath, evaluator, classes: classes.members.length };
  return { ...base, disagreements: disagreements(base) };
}

/** Off-diagonal cells where the datapath's verdict is not the expected one. */
function disagreements(run: Omit<PolicyMatrixRun, 'disagreements'>): Disagreement[] {
  const out: Disagreement[] = [];
  const n = run.names.length;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const d = cellOf(run.datapath, i, j);
      const expected = expectedAt(run, i, j);
      if (d.allowed === expected) continue;
      out.push({ from: run.names[i] ?? '', to: run.names[j] ?? '', datapath: d.allowed, expected, disposition: d.disposition, reason: deciderOf(run, i, j).reason });
    }
  }
  return out;
}

/** What the datapath should say about `[i][j]`: everything passes when nothing enforces. */
export function expectedAt(run: Pick<PolicyMatrixRun, 'enforcer' | 'evaluator'>, i: number, j: number): boolean {
  return run.enforcer === 'none' || run.evaluator.cells[i]?.[j]?.allowed === true;
}

/** Cell `[i][j]` as the outputs show it. */
export function matrixCell(run: PolicyMatrixRun, i: number, j: number): MatrixCell {
  const d = cellOf(run.datapath, i, j);
  return { from: run.names[i] ?? '', to: run.names[j] ?? '', allowed: d.allowed, disposition: d.disposition, policy: deciderOf(run, i, j).policy };
}

/** A CoreDNS pod the DNS addon added (scenario/resolve/cluster-dns.ts): no source position, kube-system, k8s-app=kube-dns. */
function isDnsAddonPod(p: BuiltPod): boolean {
  return p.pod.pos === undefined && p.pod.namespace === KUBE_DNS.namespace && p.pod.labels['k8s-app'] === KUBE_DNS.label['k8s-app'];
}
