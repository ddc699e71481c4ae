import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCidr, formatIp } from '../addr/index.js';
import { assignPodIps } from '../cluster/allocate/index.js';
import { reconcileEndpointSlices } from '../cluster/controllers/index.js';
import { type ClusterSpec, objectKey } from '../cluster/objects.js';
import { defaultScenarioText } from './default.js';
import { loadScenario } from './load.js';

/** The scenario without the DNS addon's objects (no source position, kube-system), which resolve/cluster-dns.test.ts covers. */
function load(text: string, path = 's.yaml'): ClusterSpec {
  const r = loadScenario([{ path, text }]);
  expect(r.diagnostics.filter((d) => d.severity === 'error'), 'no errors').toEqual([]);
  if (r.value === undefined) throw new Error('no spec');
  const own = (o: { readonly pos?: unknown; readonly namespace: string }): boolean => o.pos !== undefined || o.namespace !== 'kube-system';
  return { ...r.value, pods: r.value.pods.filter(own), services: r.value.services.filter(own) };
}

describe('the default scenario', () => {
  const spec = load(defaultScenarioText(), 'scenarios/default.yaml');

  it('loads without any diagnostic', () => {
    expect(loadScenario([{ path: 'd.yaml', text: defaultScenarioText() }]).diagnostics).toEqual([]);
  });

  it('allocates node addresses from .11 and podCIDRs in node order', () => {
    expect(spec.nodes.map((n) => [n.name, formatIp(n.internalIPs[0]!), formatCidr(n.podCIDRs[0]!)])).toEqual([
      ['node-1', '192.168.56.11', '10.244.0.0/24'],
      ['node-2', '192.168.56.12', '10.244.1.0/24'],
    ]);
  });

  it('keeps 10.96.0.1 for the implicit kubernetes Service and gives service-b the next one', () => {
    expect(spec.services.map((s) => [objectKey(s), s.clusterIPs.map(formatIp)])).toEqual([
      ['default/service-b', ['10.96.0.2']],
      ['default/kubernetes', ['10.96.0.1']],
    ]);
    const kube = spec.endpointSlices.find((s) => s.serviceName === 'kubernetes');
    expect(kube?.endpoints.map((e) => formatIp(e.addresses[0]!))).toEqual(['192.168.56.11']);
    expect(kube?.ports).toEqual([{ name: 'https', protocol: 'TCP', port: 6443 }]);
  });

  it('plans pod addresses as host-local hands them out: .2 first, in document order', () => {
    const plan = assignPodIps(spec.nodes, spec.pods);
    expect(plan.problems).toEqual([]);
    expect([...plan.ips].map(([k, ips]) => [k, ips.map(formatIp)])).toEqual([
      ['default/pod-a', ['10.244.0.2']],
      ['default/b-1', ['10.244.0.3']],
      ['default/b-2', ['10.244.1.2']],
      ['default/pod-c', ['10.244.1.3']],
    ]);
  });

  it('gives service-b one endpoint per node, with the named port resolved to 8080', () => {
    const plan = assignPodIps(spec.nodes, spec.pods);
    const pods = spec.pods.map((pod) => ({ pod, ips: plan.ips.get(objectKey(pod)) ?? [] }));
    const slices = reconcileEndpointSlices({ services: spec.services, pods, provided: spec.endpointSlices });
    const b = slices.filter((s) => s.serviceName === 'service-b');
    expect(b).toHaveLength(1);
    expect(b[0]?.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
    expect(b[0]?.endpoints.map((e) => [formatIp(e.addresses[0]!), e.nodeName, e.conditions.ready])).toEqual([
      ['10.244.0.3', 'node-1', true],
      ['10.244.1.2', 'node-2', true],
    ]);
  });

  it('is deterministic: loading twice gives equal specs', () => {
    expect(load(defaultScenarioText(), 'scenarios/default.yaml')).toEqual(spec);
  });
});

describe('kubectl get -o yaml input', () => {
  const spec = load(readFileSync('scenarios/kubectl-list.yaml', 'utf8'));

  it('reads Node objects from a List, with their podCIDRs and InternalIPs', () => {
    expect(spec.nodes.map((n) => [n.name, formatIp(n.internalIPs[0]!), formatCidr(n.podCIDRs[0]!)])).toEqual([
      ['kind-worker', '172.18.0.3', '10.244.1.0/24'],
      ['kind-worker2', '172.18.0.4', '10.244.2.0/24'],
    ]);
  });

  it('honours status.podIP and the Ready condition', () => {
    expect(spec.pods.map((p) => [p.name, p.podIPs.map(formatIp), p.ready])).toEqual([
      ['web-7d4b9c8f6-x2x9p', ['10.244.1.5'], true],
      ['web-7d4b9c8f6-k8q4z', ['10.244.2.7'], false],
    ]);
  });

  it('uses the declared kubernetes Service instead of adding one, and keeps given clusterIPs and nodePorts', () => {
    expect(spec.services.map((s) => [s.name, s.type, s.clusterIPs.map(formatIp), s.ports.map((p) => p.nodePort ?? null)])).toEqual([
      ['kubernetes', 'ClusterIP', ['10.96.0.1'], [null]],
      ['web', 'NodePort', ['10.96.143.20'], [30080]],
    ]);
  });
});

describe('a folder of files', () => {
  it('loads like one multi-document file, positions naming each file', () => {
    const cluster = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: f}\nspec: {nodes: [{name: n1}]}\n';
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n2, containers: [{name: c}]}\n';
    const r = loadScenario([{ path: 'dir/cluster.yaml', text: cluster }, { path: 'dir/pods.yaml', text: pod }]);
    expect(r.diagnostics.map((d) => [d.code, d.pos])).toEqual([['SCN_MISSING_REFERENCE', { file: 'dir/pods.yaml', line: 4, col: 18 }]]);
  });
});

describe('allocation', () => {
  const base = (spec: string, docs = ''): string => `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: a}\nspec:\n${spec}${docs}`;

  it('schedules pods without nodeName round-robin in document order', () => {
    const pods = ['p1', 'p2', 'p3'].map((n) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${n}}\nspec: {containers: [{name: c}]}\n`).join('');
    const fixed = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: f}\nspec: {nodeName: b, containers: [{name: c}]}\n';
    const spec = load(base('  nodes: [{name: a}, {name: b}]\n', fixed + pods));
    expect(spec.pods.map((p) => [p.name, p.nodeName, p.scheduledBy])).toEqual([
      ['f', 'b', 'spec'], ['p1', 'a', 'scheduler'], ['p2', 'b', 'scheduler'], ['p3', 'a', 'scheduler'],
    ]);
  });

  it('skips podCIDRs and addresses that Node objects fix', () => {
    const node = '---\napiVersion: v1\nkind: Node\nmetadata: {name: fixed}\nspec: {podCIDR: 10.244.0.0/24}\nstatus: {addresses: [{type: InternalIP, address: 192.168.56.11}]}\n';
    const spec = load(base('  nodes: [{name: a}]\n', node));
    expect(spec.nodes.map((n) => [n.name, formatIp(n.internalIPs[0]!), formatCidr(n.podCIDRs[0]!)])).toEqual([
      ['a', '192.168.56.12', '10.244.1.0/24'],
      ['fixed', '192.168.56.11', '10.244.0.0/24'],
    ]);
  });

  it('allocates ClusterIPs around fixed ones and NodePorts from 30000', () => {
    const svc = (name: string, extra: string): string => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {${extra}ports: [{port: 80}]}\n`;
    const spec = load(base('  nodes: [{name: a}]\n', svc('s1', 'type: NodePort, ') + svc('s2', 'clusterIP: 10.96.0.2, ') + svc('s3', 'clusterIP: None, ')));
    expect(spec.services.map((s) => [s.name, s.clusterIPs.map(formatIp), s.headless, s.ports[0]?.nodePort ?? null])).toEqual([
      ['s1', ['10.96.0.3'], false, 30000],
      ['s2', ['10.96.0.2'], false, null],
      ['s3', [], true, null],
      ['kubernetes', ['10.96.0.1'], false, null],
    ]);
  });

  it('works for IPv6 networks', () => {
    const spec = load(base('  clusterCIDR: fd00:10:244::/56\n  serviceCIDR: fd00:10:96::/112\n  nodeNetwork: fd00:192:168:56::/64\n  nodes: [{name: a}, {name: b}]\n'));
    expect(spec.nodes.map((n) => [formatIp(n.internalIPs[0]!), formatCidr(n.podCIDRs[0]!)])).toEqual([
      ['fd00:192:168:56::11', 'fd00:10:244::/64'],
      ['fd00:192:168:56::12', 'fd00:10:244:1::/64'],
    ]);
    expect(spec.services.map((s) => s.clusterIPs.map(formatIp))).toEqual([['fd00:10:96::1']]);
  });

  it('reports a pod beyond its node\'s podCIDR capacity', () => {
    const pods = Array.from({ length: 7 }, (_, i) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {nodeName: a, containers: [{name: c}]}\n`).join('');
    const r = loadScenario([{ path: 's.yaml', text: base('  nodeCIDRMaskSize: 29\n  nodes: [{name: a}]\n', pods) }]);
    // A /29 has 8 addresses: network, gateway .1, broadcast, so five pods (.2–.6).
    expect(r.diagnostics.map((d) => [d.code, d.message.split(':')[0]])).toEqual([
      ['SCN_IP_EXHAUSTED', 'no address left for pod p5 on node a'],
      ['SCN_IP_EXHAUSTED', 'no address left for pod p6 on node a'],
    ]);
  });
});

describe('hostile and unusual YAML', () => {
  it('reports an alias bomb instead of expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n');
    const r = loadScenario([{ path: 'b.yaml', text: bomb }]);
    expect(r.diagnostics.map((d) => d.code)).toContain('SCN_YAML_SYNTAX');
  });

  it('follows merge keys, as Kubernetes YAML does', () => {
    const text = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec: {nodes: [{name: n}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  <<: {nodeName: n}\n  containers: [{name: c}]\n';
    expect(load(text).pods.map((p) => p.nodeName)).toEqual(['n']);
  });

  it('reports ClusterIP exhaustion on the Service that gets none', () => {
    const svc = (n: string): string => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${n}}\nspec: {ports: [{port: 80}]}\n`;
    const text = `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec: {serviceCIDR: 10.96.0.0/29, dns: {enabled: false}, nodes: [{name: n}]}\n${['s1', 's2', 's3', 's4', 's5', 's6'].map(svc).join('')}`;
    const r = loadScenario([{ path: 's.yaml', text }]);
    // A /29: .0 network, .1 kubernetes, .2–.6 for Services, .7 broadcast.
    expect(r.diagnostics.map((d) => `${d.code} ${d.pos?.line}`)).toEqual(['SCN_IP_EXHAUSTED 32']);
  });
});

describe('IPv6 defaults', () => {
  it('takes IPv6 Service and node networks when only the clusterCIDR is IPv6', () => {
    const spec = load('apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec: {clusterCIDR: "fd00:10:244::/56", nodes: [{name: a}]}\n');
    expect([formatCidr(spec.cluster.serviceCIDR), formatCidr(spec.cluster.nodeNetwork), spec.cluster.nodeCIDRMaskSize]).toEqual(['fd00:10:96::/112', 'fd00:192:168:56::/64', 64]);
    expect(spec.nodes.map((n) => formatIp(n.internalIPs[0]!))).toEqual(['fd00:192:168:56::11']);
  });
});
