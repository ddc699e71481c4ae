/**
 * Writes an upstream kube-proxy test case (its proxy-level inputs, test/proxy-flow/cases/) as
 * the scenario a user would write: a Cluster as NewFakeProxier sets kube-proxy up, Services
 * and EndpointSlices as the API server stores them. test/fixtures/kube-proxy-upstream/ holds
 * the output (regenerated with NETSIM_UPDATE_FIXTURES=1), so the fixtures cannot drift from the
 * cases, and the scenario test checks that the built node's rules are the case's.
 *
 * Where upstream's inputs are something the API server never stores, the scenario says what it
 * writes instead, in a `# Difference:` comment (`differences` below), and the rules stay the same.
 */
import type { EndpointInput, ProxierConfig, ServicePortInput } from '../../src/proxy/index.js';
import type { FlowCase } from './proxy-flow.js';

const NODE = 'test-node';
/** The addresses of upstream's testNodeIPs beside the primary one that an IPv4 node has. */
const EXTRA_NODE_IPS = ['192.168.1.2', '192.168.99.11'];

/** The scenario text of one case. */
export function upstreamScenario(c: Pick<FlowCase, 'name' | 'config' | 'services' | 'endpoints'>, source: string): string {
  const notes: string[] = [];
  const services = groupServices(c.services);
  const endpoints: [string, readonly EndpointInput[]][] = c.endpoints instanceof Map ? [...c.endpoints.entries()] : Object.entries(c.endpoints as Readonly<Record<string, readonly EndpointInput[]>>);
  const nodes = [...new Set(endpoints.flatMap(([, eps]) => eps.flatMap((e) => (e.nodeName === undefined || e.nodeName === NODE ? [] : [e.nodeName]))))].sort();
  const docs = [
    clusterDoc(c.config, nodes),
    ...services.map((ports) => serviceDoc(ports, notes)),
    ...endpoints.flatMap(([spn, eps]) => sliceDocs(spn, eps, c.services)),
  ];
  const header = [
    `# upstream: kubernetes/kubernetes ${source}, ${c.name}.`,
    '# Written from test/proxy-flow/cases/ by test/helpers/upstream-scenario.ts (NETSIM_UPDATE_FIXTURES=1).',
    "# NewFakeProxier's node: test-node at 192.168.0.2 (also 192.168.1.2 and 192.168.99.11), pods in",
    '# 10.0.0.0/8, Services in 172.30.0.0/16, nodePorts from 3000 up, iptables without --random-fully',
    '# and with nfacct counters.',
    ...[...new Set(notes)].map((n) => `# Difference: ${n}`),
  ];
  return `${header.join('\n')}\n${docs.join('---\n')}`;
}

function clusterDoc(config: ProxierConfig, others: readonly string[]): string {
  const proxy: string[] = [];
  if (config.masqueradeAll === true) proxy.push('    masqueradeAll: true');
  if (config.detectLocal?.mode === 'None') proxy.push('    clusterCIDR: ""');
  if (config.localhostNodePorts === false) proxy.push('    localhostNodePorts: false');
  if (config.nodePortAddresses !== undefined) proxy.push(`    nodePortAddresses: [${config.nodePortAddresses.join(', ')}]`);
  proxy.push(`    iptables: {randomFully: ${config.randomFully === true}, nfacct: ${config.nfacct === true}}`);
  return [
    'apiVersion: netsim.dev/v1alpha1',
    'kind: Cluster',
    'metadata: {name: upstream}',
    'spec:',
    `  clusterCIDR: ${config.clusterCIDR ?? '10.0.0.0/8'}`,
    '  nodeCIDRMaskSize: 24',
    '  serviceCIDR: 172.30.0.0/16',
    '  nodeNetwork: 192.168.0.0/24',
    '  serviceNodePortRange: 3000-32767',
    // No cluster DNS: its kube-dns Service and CoreDNS pods (one at 10.0.0.2, upstream's pod source) are no part of upstream's cases.
    '  dns: {enabled: false}',
    '  kubeProxy:',
    ...proxy,
    '  nodes:',
    `    - {name: ${NODE}, internalIP: 192.168.0.2, addresses: [${EXTRA_NODE_IPS.join(', ')}]}`,
    ...others.map((n) => `    - {name: ${n}}`),
    '',
  ].join('\n');
}

function groupServices(ports: readonly ServicePortInput[]): ServicePortInput[][] {
  const by = new Map<string, ServicePortInput[]>();
  for (const p of ports) by.set(`${p.namespace}/${p.name}`, [...(by.get(`${p.namespace}/${p.name}`) ?? []), p]);
  return [...by.values()];
}

/** One Service; `notes` gets what had to differ from upstream's input. */
function serviceDoc(ports: readonly ServicePortInput[], notes: string[]): string {
  const s = ports[0];
  if (s === undefined) return '';
  const external = (s.externalIPs ?? []).length > 0;
  let type: string = s.type;
  const noNodePort = ports.every((p) => p.nodePort === undefined || p.nodePort === 0);
  if (type === 'NodePort' && noNodePort) {
    type = 'ClusterIP';
    notes.push(`${s.namespace}/${s.name} is a NodePort Service without a nodePort upstream, which the API server never stores (it allocates one); here it is a ClusterIP Service, for which kube-proxy writes the same rules.`);
  }
  const lines = ['apiVersion: v1', 'kind: Service', `metadata: {name: ${s.name}, namespace: ${s.namespace}}`, 'spec:'];
  if (type !== 'ClusterIP') lines.push(`  type: ${type}`);
  if (type === 'LoadBalancer' && noNodePort) lines.push('  allocateLoadBalancerNodePorts: false');
  lines.push(`  clusterIP: ${s.clusterIP}`);
  if (external) lines.push(`  externalIPs: [${(s.externalIPs ?? []).join(', ')}]`);
  if (s.externalTrafficPolicy !== undefined && (type !== 'ClusterIP' || external)) lines.push(`  externalTrafficPolicy: ${s.externalTrafficPolicy}`);
  if (s.internalTrafficPolicy !== undefined) lines.push(`  internalTrafficPolicy: ${s.internalTrafficPolicy}`);
  if (s.healthCheckNodePort !== undefined) {
    if (type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local') lines.push(`  healthCheckNodePort: ${s.healthCheckNodePort}`);
    else notes.push(`${s.namespace}/${s.name} has a healthCheckNodePort upstream, which the API server refuses unless the Service is a LoadBalancer with externalTrafficPolicy Local (kube-proxy ignores it then): left out.`);
  }
  const ranges = (s.loadBalancerSourceRanges ?? []).map((r) => r.trim());
  if (ranges.length > 0) lines.push(`  loadBalancerSourceRanges: [${ranges.join(', ')}]`);
  if (s.sessionAffinity === 'ClientIP') {
    lines.push('  sessionAffinity: ClientIP', `  sessionAffinityConfig: {clientIP: {timeoutSeconds: ${s.sessionAffinityTimeoutSeconds ?? 10800}}}`);
  }
  lines.push('  ports:');
  for (const p of ports) {
    const np = p.nodePort !== undefined && p.nodePort !== 0 ? `, nodePort: ${p.nodePort}` : '';
    lines.push(`    - {${p.portName === '' ? '' : `name: ${p.portName}, `}port: ${p.port}, protocol: ${p.protocol}${np}}`);
  }
  const lb = s.loadBalancerIPs ?? [];
  if (lb.length > 0) lines.push('status:', `  loadBalancer: {ingress: [${lb.map((a) => `{ip: ${a}}`).join(', ')}]}`);
  return `${lines.join('\n')}\n`;
}

/** The slices of one service port: one per endpoint port number, as the controller would cut them. */
function sliceDocs(spn: string, eps: readonly EndpointInput[], services: readonly ServicePortInput[]): string[] {
  const [key = '', portName = ''] = spn.split(':');
  const [namespace = '', name = ''] = key.split('/');
  const svc = services.find((s) => s.namespace === namespace && s.name === name && s.portName === portName);
  if (svc === undefined || eps.length === 0) return [];
  const ports = [...new Set(eps.map((e) => e.port))];
  return ports.map((port) => {
    const lines = [
      'apiVersion: discovery.k8s.io/v1',
      'kind: EndpointSlice',
      `metadata: {name: ${name}-${portName === '' ? 'x' : portName}-${port}, namespace: ${namespace}, labels: {kubernetes.io/service-name: ${name}}}`,
      'addressType: IPv4',
      'endpoints:',
      ...eps.filter((e) => e.port === port).map(endpointLine),
      `ports: [{${portName === '' ? '' : `name: ${portName}, `}port: ${port}, protocol: ${svc.protocol}}]`,
    ];
    return `${lines.join('\n')}\n`;
  });
}

function endpointLine(e: EndpointInput): string {
  const cond = e.ready && e.serving && !e.terminating ? '' : `, conditions: {ready: ${e.ready}, serving: ${e.serving}, terminating: ${e.terminating}}`;
  return `  - {addresses: [${e.ip}]${e.nodeName === undefined ? '' : `, nodeName: ${e.nodeName}`}${cond}}`;
}
