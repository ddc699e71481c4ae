/**
 * Benchmark of `netsim policy matrix` at the scale: 1,000 pods × 1,000 pods on TCP 80,
 * every cell traced through the datapath once per pair of policy situations, and the
 * evaluator's matrix beside it. The cluster is shaped as Deployments leave one: 10 namespaces,
 * 4 apps each with 25 replicas (labels `app`, `tier`), each app's replicas spread over two of the
 * 4 nodes (80 policy situations: namespace × app × node); 3 policies per
 * namespace (default deny, allow from the same team on a named port, egress to an ipBlock with
 * an except or any pod). Run alone with `node dist/bench/policy-matrix.js`.
 */
import { performance } from 'node:perf_hooks';
import { loadAndBuild } from '../src/app/scenario.js';
import { runPolicyMatrix } from '../src/app/matrix/index.js';
import type { Measure } from './measure.js';

/** The scenario: `pods` pods over `nodes` nodes, `cni` the `spec.cni` flow mapping. */
export function policyScenario(opts: { pods?: number; nodes?: number; namespaces?: number; apps?: number; cni?: string; enforcer?: string } = {}): string {
  const { pods = 1000, nodes = 4, namespaces = 10, apps = 4, cni = '{type: calico}' } = opts;
  const docs = [
    [
      'apiVersion: netsim.dev/v1alpha1',
      'kind: Cluster',
      'metadata: {name: policy-bench}',
      'spec:',
      '  clusterCIDR: 10.244.0.0/16',
      '  nodeCIDRMaskSize: 22',
      '  serviceCIDR: 10.96.0.0/12',
      '  nodeNetwork: 192.168.0.0/16',
      `  cni: ${cni}`,
      ...(opts.enforcer === undefined ? [] : [`  networkPolicy: {enforcer: ${opts.enforcer}}`]),
      `  nodes: [${Array.from({ length: nodes }, (_, i) => `{name: node-${i}}`).join(', ')}]`,
    ].join('\n'),
  ];
  for (let n = 0; n < namespaces; n++) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns${n}, labels: {team: t${n % 3}}}`);
  for (let i = 0; i < pods; i++) {
    const app = Math.floor(i / namespaces) % apps;
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata: {name: app${app}-${i}, namespace: ns${i % namespaces}, labels: {app: app${app}, tier: ${app % 2 === 0 ? 'web' : 'db'}}}\n` +
        `spec: {nodeName: node-${(app * 2 + (Math.floor(i / (namespaces * apps)) % 2)) % nodes}, containers: [{name: c, ports: [{name: http, containerPort: 80}]}]}`,
    );
  }
  for (let n = 0; n < namespaces; n++) {
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: ns${n}}\nspec: {podSelector: {}, policyTypes: [Ingress]}`,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-team, namespace: ns${n}}\nspec:\n  podSelector: {matchLabels: {tier: web}}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {team: t${n % 3}}}, podSelector: {matchExpressions: [{key: app, operator: In, values: [app1, app2]}]}}]\n    ports: [{port: http}]`,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: egress, namespace: ns${n}}\nspec:\n  podSelector: {matchLabels: {tier: db}}\n  policyTypes: [Egress]\n  egress:\n  - to: [{ipBlock: {cidr: 10.244.0.0/17, except: [10.244.64.0/18]}}, {podSelector: {}}]\n    ports: [{port: 80, endPort: 90}]`,
    );
  }
  return `${docs.join('\n---\n')}\n`;
}

/** The two enforcers at the same scale: Felix on Calico (IPIP), kube-router on flannel (VXLAN). */
const SETUPS = [
  { label: 'Calico (Felix)', cni: '{type: calico}' },
  { label: 'flannel vxlan with kube-router', cni: '{type: flannel, backend: vxlan}', enforcer: 'kube-router' },
] as const;

/** Builds each cluster, then times its matrix once (seconds long: no repetitions). */
export function benchPolicyMatrix(opts: { log?: (s: string) => void } = {}): Measure[] {
  return SETUPS.flatMap((setup) => {
    const text = policyScenario(setup);
    const t0 = performance.now();
    const built = loadAndBuild([{ path: 'bench.yaml', text }]).built;
    if (built === undefined) throw new Error('policy bench scenario does not build');
    const t1 = performance.now();
    const progress = (d: number, t: number): void => (d % 1000 === 0 ? opts.log?.(`${setup.label}: ${d}/${t}\n`) : undefined);
    const run = runPolicyMatrix(built, { protocol: 'TCP', port: 80 }, { progress });
    const t2 = performance.now();
    if ('problem' in run) throw new Error(run.problem);
    const n = run.names.length.toLocaleString('en');
    return [
      { name: `policy matrix, ${setup.label}: build the ${n}-pod cluster (4 nodes, 10 namespaces, 30 policies)`, value: t1 - t0, unit: 'ms' },
      { name: `policy matrix, ${setup.label}: ${n} × ${n} cells, ${run.classes} classes, ${run.datapath.results.length.toLocaleString('en')} traces, evaluator compared (${run.disagreements.length.toLocaleString('en')} disagreements)`, value: t2 - t1, unit: 'ms' },
    ];
  });
}

// Run alone: `node dist/bench/policy-matrix.js`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { table } = await import('./measure.js');
  process.stdout.write(`${table(benchPolicyMatrix({ log: (s) => process.stderr.write(s) }))}\n`);
}
