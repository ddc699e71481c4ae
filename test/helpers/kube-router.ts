/**
 * A small bridge cluster with kube-router enforcing: namespaces x (tier=web) and y (tier=a), pods
 * x/a, y/a on node-1 and x/b, y/b on node-2 (labels pod=<name>), each serving 80/TCP named
 * serve-80-tcp and 81/UDP named serve-81-udp. Built once; policies are swapped in per case.
 */
import { loadAndBuild } from '../../src/app/scenario.js';
import { runTrace } from '../../src/app/trace.js';
import { BUILTIN_CNI_PLUGINS } from '../../src/cni/builtins.js';
import { createCniRegistry } from '../../src/cni/registry.js';
import { type BuiltCluster, buildCluster } from '../../src/cluster/assemble/cluster.js';
import type { ClusterSpec, NetworkPolicy } from '../../src/cluster/objects.js';
import { simContext } from '../../src/sim/context.js';

const PODS = [['x', 'a', 'node-1'], ['x', 'b', 'node-2'], ['y', 'a', 'node-1'], ['y', 'b', 'node-2']] as const;

/** The scenario text. */
export const KR_BASE = [
  'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: kr-prop}\nspec:\n  clusterCIDR: 10.244.0.0/16\n  serviceCIDR: 10.96.0.0/12\n  nodeNetwork: 192.168.56.0/24\n  nodeCIDRMaskSize: 24\n',
  '  cni: {type: bridge, bridge: cni0, isGateway: true, isDefaultGateway: true, ipMasq: false, mtu: 1500}\n  networkPolicy: {enforcer: kube-router}\n  dns: {enabled: false}\n  nodes:\n    - name: node-1\n    - name: node-2\n',
  '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x, labels: {tier: web}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: y, labels: {tier: a}}\n',
  ...PODS.map(([ns, name, node]) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {pod: ${name}}}\nspec:\n  nodeName: ${node}\n  containers:\n    - name: c\n      ports: [{name: serve-80-tcp, containerPort: 80}, {name: serve-81-udp, containerPort: 81, protocol: UDP}]\n`),
].join('');

const registry = createCniRegistry(BUILTIN_CNI_PLUGINS);

/** {@link KR_BASE} on IPv6: pods in fd00:10:244::/56 (node-1 fd00:10:244::/64, node-2 fd00:10:244:1::/64). */
export const KR_BASE_V6 = KR_BASE.replace('clusterCIDR: 10.244.0.0/16', 'clusterCIDR: fd00:10:244::/56')
  .replace('serviceCIDR: 10.96.0.0/12', 'serviceCIDR: fd00:10:96::/108')
  .replace('nodeNetwork: 192.168.56.0/24', 'nodeNetwork: fd00:56::/64')
  .replace('nodeCIDRMaskSize: 24', 'nodeCIDRMaskSize: 64');

/** The validated spec of {@link KR_BASE} (or {@link KR_BASE_V6}). */
export function krBaseSpec(family: 4 | 6 = 4): ClusterSpec {
  const spec = loadAndBuild([{ path: 'kr-base.yaml', text: family === 4 ? KR_BASE : KR_BASE_V6 }]).built?.spec;
  if (spec === undefined) throw new Error('the kube-router base scenario does not build');
  return spec;
}

/** The base cluster built with `policies` (kube-router syncs them on both nodes). */
export function krBuild(spec: ClusterSpec, policies: readonly NetworkPolicy[]): BuiltCluster {
  const built = buildCluster({ ...spec, networkPolicies: policies }, { cni: registry, ctx: simContext(1) }).value;
  if (built === undefined) throw new Error('no cluster');
  return built;
}

/** The forward disposition of a new connection `src` → `dst` (`ns/name`, or an address). */
export function krProbe(built: BuiltCluster, src: string, dst: string, protocol: 'TCP' | 'UDP', port: number): string | undefined {
  const run = runTrace(built, { src, dst, seed: 1, port, protocol: protocol === 'TCP' ? 'tcp' : 'udp', reply: false });
  if ('problem' in run) throw new Error(run.problem);
  return run.trips[0]?.forward.ending.disposition;
}

const CNI = {
  flannel: '  cni: {type: flannel, backend: vxlan, ipMasq: true, mtu: auto}\n',
  bridge: '  nodeCIDRMaskSize: 24\n  cni: {type: bridge, bridge: cni0, isGateway: true, isDefaultGateway: true, ipMasq: false, mtu: 1500}\n',
} as const;

const pod = (ns: string, name: string, node: string, labels: string, ports = '', extra = '') =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {${labels}}}\nspec:\n  nodeName: ${node}\n${extra}  containers:\n    - name: c\n      ports: [${ports}]\n`;
const ns = (name: string, labels: string) => `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {${labels}}}\n`;
const np = (name: string, spec: string) => `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: prod}\nspec: ${spec}\n`;

/** The CNI plugins the end-to-end scenario is built with. */
export type KrE2eCni = keyof typeof CNI;

/**
 * The end-to-end scenario of test/netpol/kube-router.e2e.test.ts (its header describes it):
 * namespaces prod, dev, ops; web, client and a hostNetwork agent on node-1; db, dev/client and
 * ops/probe on node-2; four policies in prod.
 */
export function krE2eScenario(cni: KrE2eCni): string {
  return [
    `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: kr-${cni}}\nspec:\n  clusterCIDR: 10.244.0.0/16\n  serviceCIDR: 10.96.0.0/12\n  nodeNetwork: 192.168.56.0/24\n${CNI[cni]}  networkPolicy: {enforcer: kube-router}\n  nodes:\n    - name: node-1\n    - name: node-2\n`,
    ns('prod', 'team: a'), ns('dev', 'team: b'), ns('ops', 'team: ops'),
    pod('prod', 'web', 'node-1', 'app: web', '{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}'),
    pod('prod', 'client', 'node-1', 'app: client'),
    pod('prod', 'agent', 'node-1', 'app: web', '{name: metrics, containerPort: 9100}', '  hostNetwork: true\n'),
    pod('prod', 'db', 'node-2', 'app: db', '{name: pg, containerPort: 5432}'),
    pod('dev', 'client', 'node-2', 'app: client'),
    pod('ops', 'probe', 'node-2', 'app: probe'),
    '---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: prod}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}]\n',
    np('default-deny', '{podSelector: {}, policyTypes: [Ingress]}'),
    np('web-allow', '{podSelector: {matchLabels: {app: web}}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}}], ports: [{port: http}]}, {from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: 8080}, {protocol: UDP, port: dns}]}]}'),
    np('db-allow', '{podSelector: {matchLabels: {app: db}}, ingress: [{from: [{ipBlock: {cidr: 10.244.0.0/16, except: [10.244.1.0/24]}}], ports: [{port: 5432}]}]}'),
    np('client-egress', '{podSelector: {matchLabels: {app: client}}, policyTypes: [Egress], egress: [{to: [{podSelector: {matchLabels: {app: web}}}]}, {ports: [{protocol: UDP, port: 53}]}]}'),
  ].join('');
}

