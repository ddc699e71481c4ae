import { describe, expect, it } from 'vitest';
import { formatIp } from '../addr/ip.js';
import { loadScenario } from './load.js';

const cluster = (spec: string): string => `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  nodes: [{name: n1}]\n${spec}`;
const load = (text: string) => {
  const r = loadScenario([{ path: 's.yaml', text }]);
  return { spec: r.value, diags: r.diagnostics.map((d) => `${d.code} ${d.message}`) };
};
const lb = (ingress: string): string => `---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: LoadBalancer, ports: [{port: 80}]}\nstatus: {loadBalancer: {ingress: ${ingress}}}\n`;

describe('Cluster.spec.externalHosts', () => {
  it('reads named hosts, one address per family', () => {
    const dual = '  clusterCIDR: 10.244.0.0/16,fd00:10:244::/56\n  serviceCIDR: 10.96.0.0/12,fd00:10:96::/112\n  nodeNetwork: 192.168.56.0/24,fd00:192:168:56::/64\n';
    const { spec, diags } = load(cluster(`${dual}  externalHosts: [{name: laptop, addresses: [203.0.113.7, 2001:db8::7]}]\n`));
    expect(diags).toEqual([]);
    expect(spec?.cluster.externalHosts?.map((h) => [h.name, h.addresses.map(formatIp)])).toEqual([['laptop', ['203.0.113.7', '2001:db8::7']]]);
  });

  it.each([
    ['[{name: a, addresses: [10.244.3.3]}]', 'SCN_EXTERNAL_HOST_ADDRESS spec.externalHosts[0].addresses[0] 10.244.3.3 is inside clusterCIDR 10.244.0.0/16'],
    ['[{name: a, addresses: [192.168.56.11]}]', 'SCN_EXTERNAL_HOST_ADDRESS spec.externalHosts[0].addresses[0] 192.168.56.11 is inside nodeNetwork'],
    ['[{name: a, addresses: [203.0.113.7, 203.0.113.8]}]', 'SCN_BAD_ADDRESS spec.externalHosts[0].addresses[1]: a second IPv4 address'],
    ['[{name: a, addresses: [2001:db8::7]}]', 'SCN_BAD_ADDRESS spec.externalHosts[0].addresses[0] 2001:db8::7: the cluster has no IPv6 network'],
    ['[{name: a, addresses: [203.0.113.7]}, {name: a, addresses: [203.0.113.8]}]', 'SCN_DUPLICATE_NAME spec.externalHosts[1].name: Duplicate value: "a"'],
    ['[{name: a, addresses: [203.0.113.7]}, {name: b, addresses: [203.0.113.7]}]', 'SCN_DUPLICATE_ADDRESS spec.externalHosts[1].addresses[0] 203.0.113.7: Duplicate value'],
    ['[{name: n1, addresses: [203.0.113.7]}]', 'SCN_DUPLICATE_NAME spec.externalHosts[0].name: Duplicate value: "n1": a node, router or the gateway'],
    ['[{name: gateway, addresses: [203.0.113.7]}]', 'SCN_DUPLICATE_NAME spec.externalHosts[0].name: Duplicate value: "gateway"'],
    ['[{name: a}]', 'SCN_MISSING_FIELD spec.externalHosts[0].addresses: Required value'],
  ])('%s: %s', (hosts, want) => {
    const { spec, diags } = load(cluster(`  externalHosts: ${hosts}\n`));
    expect(diags.some((d) => d.startsWith(want)), `got ${diags.join('\n')}`).toBe(true);
    expect(spec?.cluster.externalHosts ?? []).not.toContainEqual(expect.objectContaining({ name: 'a', addresses: [] }));
  });
});

describe('Cluster.spec.loadBalancer', () => {
  it('defaults to vip when absent, reads nodePort, refuses other modes', () => {
    expect(load(cluster('')).spec?.cluster.loadBalancer).toBeUndefined();
    expect(load(cluster('  loadBalancer: {mode: nodePort}\n')).spec?.cluster.loadBalancer).toEqual({ mode: 'nodePort' });
    expect(load(cluster('  loadBalancer: {mode: proxy}\n')).diags.join('\n')).toContain('SCN_BAD_VALUE');
  });
});

describe('status.loadBalancer.ingress[].ipMode', () => {
  it('keeps the ingress IPs in Proxy mode apart', () => {
    const { spec, diags } = load(cluster('') + lb('[{ip: 198.51.100.1}, {ip: 198.51.100.2, ipMode: Proxy}, {ip: 198.51.100.3, ipMode: VIP}]'));
    expect(diags).toEqual([]);
    const s = spec?.services.find((x) => x.name === 's');
    expect(s?.loadBalancerIngress.map(formatIp)).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
    expect(s?.loadBalancerProxyIPs?.map(formatIp)).toEqual(['198.51.100.2']);
  });

  it('refuses an ipMode without an ip, and an unknown ipMode', () => {
    expect(load(cluster('') + lb('[{ipMode: Proxy}]')).diags.join('\n')).toContain('SCN_MISSING_FIELD status.loadBalancer.ingress[0].ipMode: Required value: ip must be set');
    expect(load(cluster('') + lb('[{ip: 198.51.100.2, ipMode: proxy}]')).diags.join('\n')).toContain('SCN_BAD_VALUE');
  });
});
