import { describe, expect, it } from 'vitest';
import { formatCidr } from '../addr/index.js';
import { loadAndBuild } from '../app/scenario.js';
import { showText } from '../app/show.js';
import { proxierConfig } from '../cluster/assemble/proxy.js';
import type { ClusterSpec } from '../cluster/objects.js';
import { loadScenario } from './load.js';

const cluster = (spec = '', nodes = '  nodes: [{name: n1}]\n') => `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n${spec}${nodes}`;
const service = (spec: string, name = 's') => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {${spec}}\n`;

function run(text: string): { spec: ClusterSpec | undefined; problems: string[] } {
  const r = loadScenario([{ path: 's.yaml', text }]);
  return { spec: r.value, problems: r.diagnostics.map((d) => `${d.code} ${d.pos?.line}:${d.pos?.col} ${d.message}`) };
}

describe('serviceNodePortRange (the API server\'s --service-node-port-range)', () => {
  const np = (port: number) => service(`type: NodePort, ports: [{port: 80, nodePort: ${port}}]`);

  it('refuses a nodePort outside the default range in the API server\'s words', () => {
    expect(run(cluster() + np(3001)).problems).toEqual([
      'SCN_BAD_VALUE 10:53 spec.ports[0].nodePort: Invalid value: 3001: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]);
  });

  it('accepts it once the range is widened, and names the range in the refusal', () => {
    expect(run(cluster('  serviceNodePortRange: 3000-32767\n') + np(3001)).problems).toEqual([]);
    expect(run(cluster('  serviceNodePortRange: 31000+99\n') + np(30000)).problems).toEqual([
      'SCN_BAD_VALUE 11:53 spec.ports[0].nodePort: Invalid value: 30000: provided port is not in the valid range. The range of valid ports is 31000-31099',
    ]);
  });

  it('allocates from the range\'s first port', () => {
    const { spec } = run(cluster('  serviceNodePortRange: 4000-4010\n') + service('type: NodePort, ports: [{port: 80}]'));
    expect(spec?.services.find((s) => s.name === 's')?.ports[0]?.nodePort).toBe(4000);
  });

  it('refuses a range that is not one', () => {
    expect(run(cluster('  serviceNodePortRange: 32767-30000\n')).problems[0]).toMatch(/^SCN_BAD_VALUE 5:25 spec.serviceNodePortRange: invalid port range "32767-30000"/);
  });

  it('refuses a nodePort another Service holds, as the allocator does', () => {
    expect(run(cluster() + np(30001) + np(30001).replace('name: s', 'name: t')).problems).toEqual([
      'SCN_DUPLICATE_PORT 15:53 spec.ports[0].nodePort: Invalid value: 30001: provided port is already allocated (30001/TCP)',
    ]);
  });
});

describe('allocateLoadBalancerNodePorts, loadBalancerClass, trafficDistribution, ExternalName', () => {
  it('allocates no nodePort for a LoadBalancer with allocateLoadBalancerNodePorts false, but keeps a named one', () => {
    const { spec, problems } = run(cluster() + service('type: LoadBalancer, allocateLoadBalancerNodePorts: false, ports: [{name: a, port: 80}, {name: b, port: 81, nodePort: 30005}]'));
    expect(problems).toEqual([]);
    expect(spec?.services.find((s) => s.name === 's')?.ports.map((p) => p.nodePort)).toEqual([undefined, 30005]);
  });

  it('writes no NodePort rule for it', () => {
    const text = cluster() + service('type: LoadBalancer, allocateLoadBalancerNodePorts: false, ports: [{port: 80}]');
    const { built } = loadAndBuild([{ path: 's.yaml', text }]);
    const rules = (built?.proxyPayloads.n1 ?? '').split('\n').filter((l) => l.includes('default/s'));
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.filter((l) => !l.includes('-d 10.96.0.2 --dport 80'))).toEqual([]);
  });

  it.each([
    ['allocateLoadBalancerNodePorts on a NodePort', 'type: NodePort, allocateLoadBalancerNodePorts: true, ports: [{port: 80}]', "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"],
    ['loadBalancerClass on a ClusterIP', 'loadBalancerClass: example.com/lb, ports: [{port: 80}]', "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"],
    ['an unknown trafficDistribution', 'trafficDistribution: Nearest, ports: [{port: 80}]', 'spec.trafficDistribution: Unsupported value: "Nearest": supported values: "PreferClose", "PreferSameZone", "PreferSameNode"'],
    ['ExternalName with a clusterIP', 'type: ExternalName, externalName: db.example.com, clusterIP: 10.96.0.50', 'spec.clusterIP: Forbidden: must be empty for ExternalName services'],
  ])('refuses %s', (_name, spec, message) => {
    expect(run(cluster() + service(spec)).problems.map((p) => p.replace(/^\S+ \S+ /, ''))).toEqual([message]);
  });

  it('accepts them where Kubernetes does', () => {
    const { spec, problems } = run(cluster() + service('type: LoadBalancer, loadBalancerClass: example.com/lb, trafficDistribution: PreferClose, ports: [{port: 80}]'));
    expect(problems).toEqual([]);
    expect(spec?.services.find((s) => s.name === 's')).toMatchObject({ loadBalancerClass: 'example.com/lb', trafficDistribution: 'PreferClose' });
  });
});

describe('nodes with several addresses', () => {
  const nodes = '  nodes: [{name: n1, internalIP: 192.168.56.11, addresses: [192.168.57.2/24, 10.1.2.3]}]\n';

  it('puts them on eth0, where show addr prints them', () => {
    const { built, diagnostics } = loadAndBuild([{ path: 's.yaml', text: cluster('', nodes) }]);
    expect(diagnostics).toEqual([]);
    const shown = built === undefined ? undefined : showText(built, 'n1', 'addr');
    expect(shown !== undefined && 'text' in shown ? shown.text : '').toMatch(/inet 192\.168\.57\.2\/24 .*eth0[\s\S]*inet 10\.1\.2\.3\/32 .*eth0/);
  });

  it('reads the further InternalIP and ExternalIP entries of a Node\'s status.addresses', () => {
    const node = '---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus:\n  addresses:\n    - {type: Hostname, address: n1}\n    - {type: InternalIP, address: 192.168.56.20}\n    - {type: ExternalIP, address: 203.0.113.9}\n    - {type: InternalIP, address: 192.168.56.21}\n';
    const { spec, problems } = run(cluster('', '') + node);
    expect(problems).toEqual([]);
    expect(spec?.nodes[0]?.extraAddresses?.map(formatCidr)).toEqual(['203.0.113.9/32', '192.168.56.21/32']);
  });

  it('gives kube-proxy every address, and nodePortAddresses: [primary] the primary one', () => {
    const { spec } = run(cluster('  kubeProxy: {nodePortAddresses: [primary]}\n', nodes));
    const node = spec?.nodes[0];
    if (spec === undefined || node === undefined) throw new Error('no node');
    expect(proxierConfig(spec.cluster, node, 4)).toMatchObject({ nodeIPs: ['192.168.56.11', '192.168.57.2', '10.1.2.3'], nodePortAddresses: ['192.168.56.11/32'] });
  });

  it("refuses primary beside CIDRs, as ValidateKubeProxyConfiguration does", () => {
    expect(run(cluster('  kubeProxy: {nodePortAddresses: [primary, 10.0.0.0/8]}\n')).problems).toEqual([
      "SCN_BAD_VALUE 5:34 spec.kubeProxy.nodePortAddresses: Invalid value: must be 'primary' or a list of CIDRs, not both",
    ]);
  });
});

describe('kubeProxy.iptables', () => {
  const masq = (spec: string) => {
    const { built } = loadAndBuild([{ path: 's.yaml', text: cluster(spec) }]);
    return (built?.proxyPayloads.n1 ?? '').split('\n').find((l) => l.includes('-j MASQUERADE'));
  };

  it('randomFully: auto finds --random-fully; false writes MASQUERADE without it', () => {
    expect(masq('')).toMatch(/-j MASQUERADE --random-fully$/);
    expect(masq('  kubeProxy: {iptables: {randomFully: auto}}\n')).toMatch(/-j MASQUERADE --random-fully$/);
    expect(masq('  kubeProxy: {iptables: {randomFully: false}}\n')).toMatch(/-j MASQUERADE$/);
  });

  it('masqueradeBit, masqueradeAll and localhostNodePorts under iptables take precedence', () => {
    const { spec } = run(cluster('  kubeProxy: {masqueradeBit: 14, iptables: {masqueradeBit: 12, masqueradeAll: true, localhostNodePorts: false, nfacct: true}}\n'));
    expect(spec?.cluster.kubeProxy).toMatchObject({ masqueradeBit: 12, masqueradeAll: true, localhostNodePorts: false, nfacct: true });
  });
});
