import { describe, expect, it } from 'vitest';
import { formatIp } from '../../addr/index.js';
import { loadScenario } from '../load.js';

const SINGLE = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  nodes: [{name: n1}]\n';
const DUAL = SINGLE.replace('spec:\n', 'spec:\n  clusterCIDR: 10.244.0.0/16,fd00:10:244::/56\n  serviceCIDR: 10.96.0.0/12,fd00:10:96::/112\n  nodeNetwork: 192.168.56.0/24,fd00:192:168:56::/64\n');
const svc = (spec: string): string => `---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {${spec}, ports: [{port: 80}]}\n`;

function load(text: string) {
  const r = loadScenario([{ path: 's.yaml', text }]);
  return { spec: r.value, errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.pos?.line}:${d.pos?.col} ${d.message}`) };
}

function service(text: string) {
  const { spec, errors } = load(text);
  expect(errors).toEqual([]);
  const s = spec?.services.find((x) => x.name === 's');
  return { ips: s?.clusterIPs.map(formatIp), families: s?.ipFamilies, policy: s?.ipFamilyPolicy };
}

describe('the API server refuses, in its words', () => {
  it.each([
    ['RequireDualStack on a single-stack cluster', SINGLE, 'ipFamilyPolicy: RequireDualStack, selector: {a: b}', 'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services'],
    ['a family the cluster lacks', SINGLE, 'ipFamilies: [IPv6], selector: {a: b}', 'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster'],
    ['a clusterIP of a family the cluster lacks', SINGLE, 'clusterIP: "fd00:10:96::5"', 'spec.clusterIPs[0]: Invalid value: []string{"fd00:10:96::5"}: IPv6 is not configured on this cluster'],
    ['a clusterIP of the wrong family for ipFamilies', DUAL, 'ipFamilies: [IPv4], clusterIP: "fd00:10:96::5"', 'spec.clusterIPs[0]: Invalid value: "fd00:10:96::5": expected an IPv4 value as indicated by `ipFamilies[0]`'],
    ['SingleStack with two clusterIPs', DUAL, 'ipFamilyPolicy: SingleStack, clusterIP: 10.96.0.9, clusterIPs: [10.96.0.9, "fd00:10:96::9"]', "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"],
    ['SingleStack with two families', DUAL, 'ipFamilyPolicy: SingleStack, ipFamilies: [IPv4, IPv6]', "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"],
    ['two clusterIPs of one family', DUAL, 'ipFamilyPolicy: PreferDualStack, clusterIP: 10.96.0.9, clusterIPs: [10.96.0.9, 10.96.0.8]', 'may specify no more than one IP for each IP family'],
    ['a repeated family', DUAL, 'ipFamilies: [IPv4, IPv4]', 'spec.ipFamilies[1]: Duplicate value: "IPv4"'],
  ])('%s', (_what, cluster, spec, message) => {
    const { errors } = load(`${cluster}${svc(spec)}`);
    expect(errors.length, errors.join('\n')).toBe(1);
    expect(errors[0]).toMatch(/^SCN_IP_FAMILY \d+:\d+ /);
    expect(errors[0]).toContain(message);
  });
});

describe('defaulting (alloc.go initIPFamilyFields)', () => {
  it('no policy is SingleStack in the primary family, even on a dual-stack cluster', () => {
    expect(service(`${DUAL}${svc('selector: {a: b}')}`)).toEqual({ ips: ['10.96.0.2'], families: [4], policy: 'SingleStack' });
  });
  it('PreferDualStack takes one address per family on a dual-stack cluster, one on a single-stack one', () => {
    expect(service(`${DUAL}${svc('ipFamilyPolicy: PreferDualStack, selector: {a: b}')}`)).toEqual({ ips: ['10.96.0.2', 'fd00:10:96::2'], families: [4, 6], policy: 'PreferDualStack' });
    expect(service(`${SINGLE}${svc('ipFamilyPolicy: PreferDualStack, selector: {a: b}')}`)).toEqual({ ips: ['10.96.0.2'], families: [4], policy: 'PreferDualStack' });
  });
  it('follows the order of ipFamilies, and infers families from given clusterIPs', () => {
    expect(service(`${DUAL}${svc('ipFamilyPolicy: RequireDualStack, ipFamilies: [IPv6, IPv4]')}`)).toEqual({ ips: ['fd00:10:96::2', '10.96.0.2'], families: [6, 4], policy: 'RequireDualStack' });
    expect(service(`${DUAL}${svc('clusterIP: "fd00:10:96::9"')}`)).toEqual({ ips: ['fd00:10:96::9'], families: [6], policy: 'SingleStack' });
  });
  it('a headless Service without a selector gets both families even on a single-stack cluster', () => {
    expect(service(`${SINGLE}${svc('clusterIP: None')}`)).toEqual({ ips: [], families: [4, 6], policy: 'RequireDualStack' });
  });
});

describe('dual-stack Cluster fields', () => {
  it('gives nodes and pods one address per family', () => {
    const { spec, errors } = load(`${DUAL}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n1, containers: [{name: c}]}\n`);
    expect(errors).toEqual([]);
    expect(spec?.nodes[0]?.internalIPs.map(formatIp)).toEqual(['192.168.56.11', 'fd00:192:168:56::11']);
    expect(spec?.cluster.secondary?.nodeCIDRMaskSize).toBe(64);
  });
  it.each([
    ['a single serviceCIDR beside a pair', SINGLE.replace('spec:\n', 'spec:\n  clusterCIDR: 10.244.0.0/16,fd00:10:244::/56\n  serviceCIDR: 10.96.0.0/12\n'), 'SCN_BAD_CIDR', 'both must have the same families'],
    ['two prefixes of one family', SINGLE.replace('spec:\n', 'spec:\n  clusterCIDR: 10.244.0.0/16,10.245.0.0/16\n'), 'SCN_BAD_CIDR', 'one IPv4 and one IPv6 prefix'],
    ['nodeCIDRMaskSize', DUAL.replace('spec:\n', 'spec:\n  nodeCIDRMaskSize: 24\n'), 'SCN_BAD_VALUE', 'not allowed with dual-stack clusters'],
    ['flannel without enableIPv6', DUAL.replace('spec:\n', 'spec:\n  cni: {type: flannel}\n'), 'SCN_FLANNEL_FAMILY', 'does not set EnableIPv6'],
    ['an underlay', DUAL.replace('spec:\n', 'spec:\n  underlay: {networks: [{name: a, cidr: 192.168.1.0/24}]}\n'), 'SCN_BAD_VALUE', 'single-stack clusters only'],
  ])('refuses %s', (_what, text, code, message) => {
    const { errors } = load(text);
    expect(errors.some((e) => e.startsWith(code) && e.includes(message)), errors.join('\n')).toBe(true);
  });
});
