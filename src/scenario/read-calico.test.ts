import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCidr, formatIp } from '../addr/index.js';
import { assignPodIps } from '../cluster/allocate/index.js';
import type { CalicoCniConfig, ClusterSpec } from '../cluster/objects.js';
import { hasErrors } from '../diag/diagnostic.js';
import { loadScenario } from './load.js';
import { selectorShapeProblem } from './read-ippool.js';

const CLUSTER = (cni = '{type: calico}', extra = ''): string =>
  `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n${extra}  cni: ${cni}\n  nodes: [{name: n1}, {name: n2}]\n`;
const doc = (apiVersion: string, kind: string, name: string, spec: string): string =>
  `---\napiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}}\nspec:\n${spec}`;
const V3 = 'projectcalico.org/v3';
const V1 = 'crd.projectcalico.org/v1';

function load(text: string): { spec: ClusterSpec | undefined; diags: string[]; errors: boolean } {
  const { value, diagnostics } = loadScenario([{ path: 's.yaml', text }]);
  return { spec: value, diags: diagnostics.map((d) => `${d.code}@${d.pos?.line}:${d.pos?.col} ${d.message}`), errors: hasErrors(diagnostics) };
}

function calico(spec: ClusterSpec | undefined): CalicoCniConfig {
  const cni = spec?.cluster.cni;
  if (cni?.type !== 'calico') throw new Error(`want a calico cni, got ${cni?.type}`);
  return cni;
}

/** A pool as one line, for comparing. */
const poolLine = (c: CalicoCniConfig): string[] =>
  c.ipPools.map((p) => `${p.name} ${formatCidr(p.cidr)} /${p.blockSize} ipip=${p.ipipMode} vxlan=${p.vxlanMode} nat=${p.natOutgoing} sel=${p.nodeSelector}${p.disabled ? ' disabled' : ''}`);

describe('cni: {type: calico}', () => {
  it('reads mtu (auto by default) and needs no node podCIDR', () => {
    expect(calico(load(CLUSTER()).spec).mtu).toBe('auto');
    expect(calico(load(CLUSTER('{type: calico, mtu: 1440}')).spec).mtu).toBe(1440);
    expect(load(CLUSTER('{type: calico, mtu: big}')).diags).toEqual([expect.stringMatching(/^SCN_BAD_VALUE@.* spec.cni.mtu must be an integer or auto/)]);
    expect(calico(load(CLUSTER('{type: calico, backend: vxlan}')).spec).backend).toBe('vxlan');
    expect(load(CLUSTER('{type: calico, backnd: vxlan}')).diags).toEqual([expect.stringMatching(/^SCN_UNKNOWN_FIELD@5:23 unknown field spec.cni.backnd \(did you mean backend\?\)/)]);
  });

  it('without an IPPool: calico.yaml default-ipv4-ippool over clusterCIDR (IPIP Always, natOutgoing)', () => {
    const { spec, diags } = load(CLUSTER());
    expect(diags).toEqual([]);
    const c = calico(spec);
    expect(poolLine(c)).toEqual(['default-ipv4-ippool 10.244.0.0/16 /26 ipip=Always vxlan=Never nat=true sel=all()']);
    expect(c.ipam).toEqual({ strictAffinity: false, maxBlocksPerHost: 0 });
    expect(c.felix).toEqual({});
  });

  it('IPv6 clusterCIDR: default-ipv6-ippool, /122 blocks, no encapsulation, no natOutgoing', () => {
    const { spec, diags } = load(CLUSTER('{type: calico}', '  clusterCIDR: fd00:10:244::/56\n'));
    expect(diags).toEqual([]);
    expect(poolLine(calico(spec))).toEqual(['default-ipv6-ippool fd00:10:244::/56 /122 ipip=Never vxlan=Never nat=false sel=all()']);
  });

  it('a clusterCIDR smaller than one default block is reported', () => {
    expect(load(CLUSTER('{type: calico}', '  clusterCIDR: 10.244.0.0/28\n  nodeCIDRMaskSize: 28\n')).diags).toContainEqual(expect.stringMatching(/^SCN_CALICO_BLOCK_SIZE@5:16 clusterCIDR 10.244.0.0\/28 is smaller than one \/26 block/));
  });

  it('keeps node podCIDRs (kube-controller-manager still allocates them) but plans no pod address', () => {
    const pods = Array.from({ length: 300 }, (_, i) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {nodeName: n1, containers: [{name: c}]}\n`).join('');
    const { spec, diags } = load(CLUSTER() + pods);
    expect(diags, '300 pods fit one node with calico-ipam, not one /24').toEqual([]);
    expect(spec?.nodes.map((n) => n.podCIDRs.map(formatCidr).join())).toEqual(['10.244.0.0/24', '10.244.1.0/24']);
    expect(assignPodIps(spec?.nodes ?? [], spec?.pods ?? [], spec?.cluster.cni).ips.size).toBe(0);
  });

  it('a fixed podIP must be in a pool and unique', () => {
    const pod = (name: string, ip: string): string => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {nodeName: n1, containers: [{name: c}]}\nstatus: {podIP: ${ip}}\n`;
    const { spec, diags } = load(CLUSTER() + pod('a', '10.244.7.9'));
    expect(diags).toEqual([]);
    expect([...assignPodIps(spec?.nodes ?? [], spec?.pods ?? [], spec?.cluster.cni).ips.values()].flat().map(formatIp)).toEqual(['10.244.7.9']);
    expect(load(CLUSTER() + pod('a', '10.9.0.1')).diags).toEqual([expect.stringMatching(/^SCN_ADDRESS_OUT_OF_RANGE@12:17 pod a's IP 10.9.0.1 is in no IPPool \(10.244.0.0\/16\)/)]);
    expect(load(CLUSTER() + pod('a', '10.244.7.9') + pod('b', '10.244.7.9')).diags).toEqual([expect.stringMatching(/^SCN_DUPLICATE_ADDRESS@18:17 pod b's IP 10.244.7.9 is already pod default\/a's/)]);
  });
});

describe('IPPool', () => {
  const pool = (spec: string, api = V3, name = 'p'): string => doc(api, 'IPPool', name, spec);

  it.each([V3, V1])('reads every field (%s)', (api) => {
    const { spec, diags } = load(CLUSTER() + pool('  cidr: 10.244.0.0/17\n  blockSize: 24\n  ipipMode: CrossSubnet\n  vxlanMode: Never\n  natOutgoing: true\n  nodeSelector: "rack == \'a\'"\n  disabled: true\n', api));
    expect(diags).toEqual([]);
    expect(poolLine(calico(spec))).toEqual(["p 10.244.0.0/17 /24 ipip=CrossSubnet vxlan=Never nat=true sel=rack == 'a' disabled"]);
    expect(calico(spec).ipPools[0]?.pos).toEqual({ file: 's.yaml', line: 8, col: 1 });
  });

  it("applies the API's defaults, not the manifest's: /26, no encapsulation, no natOutgoing, all()", () => {
    const { spec } = load(CLUSTER() + pool('  cidr: 10.244.0.0/16\n'));
    expect(poolLine(calico(spec))).toEqual(['p 10.244.0.0/16 /26 ipip=Never vxlan=Never nat=false sel=all()']);
    const v6 = load(CLUSTER('{type: calico}', '  clusterCIDR: fd00:10:244::/56\n') + pool('  cidr: fd00:10:244::/64\n  vxlanMode: Always\n  blockSize: 0\n  nodeSelector: ""\n  ipipMode: ""\n'));
    expect(v6.diags).toEqual([]);
    expect(poolLine(calico(v6.spec))).toEqual(['p fd00:10:244::/64 /122 ipip=Never vxlan=Always nat=false sel=all()']);
  });

  it('keeps several pools in document order; the first of a name wins', () => {
    const text = CLUSTER() + pool('  cidr: 10.244.0.0/18\n', V3, 'a') + pool('  cidr: 10.244.64.0/18\n  vxlanMode: Always\n', V1, 'b') + pool('  cidr: 10.244.128.0/18\n', V3, 'a');
    const { spec, diags } = load(text);
    expect(diags).toEqual([expect.stringMatching(/^SCN_DUPLICATE_NAME@23:18 IPPool a is defined twice/)]);
    expect(calico(spec).ipPools.map((p) => `${p.name} ${formatCidr(p.cidr)}`)).toEqual(['a 10.244.0.0/18', 'b 10.244.64.0/18']);
  });

  it.each([
    ['no spec', 'IPPool', '', /^SCN_MISSING_FIELD@8:1 spec is required/],
    ['no cidr', 'IPPool', '  blockSize: 26\n', /^SCN_MISSING_FIELD@11:1 spec.cidr is required/],
    ['not a prefix', 'IPPool', '  cidr: 10.244.0.0\n', /^SCN_BAD_CIDR@12:9 spec.cidr: "10.244.0.0": IPPool CIDR must be a valid subnet/],
    ['host bits set', 'IPPool', '  cidr: 10.244.1.0/16\n', /^SCN_BAD_CIDR@12:9 spec.cidr: "10.244.1.0\/16": IPPool CIDR must be strictly masked \(10.244.0.0\/16\)/],
    ['link-local', 'IPPool', '  cidr: 169.254.0.0/20\n', /^SCN_BAD_CIDR@12:9 .*IPPool CIDR overlaps with IPv4 link local range 169.254.0.0\/16/],
    ['blockSize out of range', 'IPPool', '  cidr: 10.244.0.0/16\n  blockSize: 33\n', /^SCN_CALICO_BLOCK_SIZE@13:14 spec.blockSize: Invalid value: 33: blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools/],
    ['blockSize not an integer', 'IPPool', '  cidr: 10.244.0.0/16\n  blockSize: "26"\n', /^SCN_WRONG_TYPE@13:14 spec.blockSize must be an integer/],
    ['a pool smaller than its default block', 'IPPool', '  cidr: 10.244.0.0/27\n', /^SCN_CALICO_BLOCK_SIZE@12:9 IP pool size is too small for use with Calico IPAM/],
    ['both encapsulations', 'IPPool', '  cidr: 10.244.0.0/16\n  vxlanMode: Always\n  ipipMode: Always\n', /^SCN_CALICO_ENCAP_CONFLICT@14:13 spec.ipipMode: Always, spec.vxlanMode: Always: ipipMode and vxlanMode cannot both be enabled/],
    ['a mode Calico does not have', 'IPPool', '  cidr: 10.244.0.0/16\n  ipipMode: always\n', /^SCN_BAD_VALUE@13:13 spec.ipipMode must be one of Always, CrossSubnet, Never, not "always"/],
    ['an unbalanced selector', 'IPPool', '  cidr: 10.244.0.0/16\n  nodeSelector: "has(rack"\n', /^SCN_CALICO_BAD_SELECTOR@13:17 spec.nodeSelector: Invalid value: "has\(rack": a "\(" without its "\)"/],
    ['global()', 'IPPool', '  cidr: 10.244.0.0/16\n  nodeSelector: global()\n', /^SCN_CALICO_BAD_SELECTOR@13:17 .*global\(\) selector is not valid for IPPool nodeSelector/],
    ['a typo', 'IPPool', '  cidr: 10.244.0.0/16\n  natOutgong: true\n', /^SCN_UNKNOWN_FIELD@13:3 unknown field spec.natOutgong \(did you mean natOutgoing\?\)/],
  ])('%s', (_what, kind, spec, want) => {
    const text = CLUSTER() + (spec === '' ? `---\napiVersion: ${V3}\nkind: ${kind}\nmetadata: {name: p}\n` : pool(spec));
    expect(load(text).diags).toEqual([expect.stringMatching(want)]);
  });

  it('IPIP on an IPv6 pool', () => {
    const text = CLUSTER('{type: calico}', '  clusterCIDR: fd00:10:244::/56\n') + pool('  cidr: fd00:10:244::/64\n  ipipMode: CrossSubnet\n');
    expect(load(text).diags).toEqual([expect.stringMatching(/^SCN_CALICO_IPIP_IPV6@14:13 spec.ipipMode: CrossSubnet: IPIP is not supported on IPv6 pools/)]);
  });

  it('a disabled pool may be smaller than a block, as in Calico', () => {
    expect(load(CLUSTER() + pool('  cidr: 10.244.0.0/28\n  disabled: true\n')).diags).toEqual([]);
  });

  it('against the cluster: outside clusterCIDR, another family, overlapping', () => {
    expect(load(CLUSTER() + pool('  cidr: 10.0.0.0/8\n')).diags).toEqual([expect.stringMatching(/^SCN_CALICO_POOL_OUTSIDE_CLUSTER@12:9 IPPool p CIDR 10.0.0.0\/8 is not inside clusterCIDR 10.244.0.0\/16/)]);
    expect(load(CLUSTER() + pool('  cidr: fd00::/64\n')).diags).toEqual([expect.stringMatching(/^SCN_BAD_CIDR@12:9 IPPool p is IPv6 but clusterCIDR 10.244.0.0\/16 is IPv4/)]);
    const overlap = load(CLUSTER() + pool('  cidr: 10.244.0.0/17\n', V3, 'a') + pool('  cidr: 10.244.64.0/18\n', V1, 'b'));
    expect(overlap.diags).toEqual([expect.stringMatching(/^SCN_CALICO_POOL_OVERLAP@18:9 IPPool\(b\) CIDR overlaps with IPPool\(a\) CIDR 10.244.0.0\/17/)]);
    expect(poolLine(calico(overlap.spec))).toEqual(['a 10.244.0.0/17 /26 ipip=Never vxlan=Never nat=false sel=all()']);
  });

  it("when every pool is refused, falls back to calico-node's default pool (the errors stand)", () => {
    const { spec, errors } = load(CLUSTER() + pool('  cidr: 10.0.0.0/8\n'));
    expect(errors).toBe(true);
    expect(poolLine(calico(spec))).toEqual(['default-ipv4-ippool 10.244.0.0/16 /26 ipip=Always vxlan=Never nat=true sel=all()']);
  });

  it('warns about fields it does not model, only when they are not at their default', () => {
    const quiet = '  cidr: 10.244.0.0/16\n  allowedUses: [Workload, Tunnel]\n  assignmentMode: Automatic\n  disableBGPExport: false\n  namespaceSelector: ""\n';
    expect(load(CLUSTER() + pool(quiet)).diags).toEqual([]);
    const loud = '  cidr: 10.244.0.0/16\n  allowedUses: [LoadBalancer]\n  assignmentMode: Manual\n  disableBGPExport: true\n  namespaceSelector: "team == \'a\'"\n  ipip: {enabled: true}\n';
    expect(load(CLUSTER() + pool(loud, V1)).diags.map((d) => d.split(' ')[0])).toEqual([
      'SCN_CALICO_FIELD_IGNORED@13:3', 'SCN_CALICO_FIELD_IGNORED@14:3', 'SCN_CALICO_FIELD_IGNORED@15:3', 'SCN_CALICO_FIELD_IGNORED@16:3', 'SCN_CALICO_FIELD_IGNORED@17:3',
    ]);
  });

  it('loads kubectl get ippools -o yaml output (List, status, metadata Calico writes)', () => {
    const list = `---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: ${V1}\n  kind: IPPool\n  metadata:\n    name: default-ipv4-ippool\n    uid: 6c1c\n    resourceVersion: "712"\n    annotations: {projectcalico.org/metadata: '{"creationTimestamp":null}'}\n    generation: 1\n  spec:\n    allowedUses: [Workload, Tunnel]\n    blockSize: 26\n    cidr: 10.244.0.0/16\n    ipipMode: Always\n    natOutgoing: true\n    nodeSelector: all()\n    vxlanMode: Never\n  status:\n    conditions: [{type: Allocatable, status: "True"}]\n`;
    const { spec, diags } = load(CLUSTER() + list);
    expect(diags).toEqual([]);
    expect(poolLine(calico(spec))).toEqual(['default-ipv4-ippool 10.244.0.0/16 /26 ipip=Always vxlan=Never nat=true sel=all()']);
  });
});

describe('IPAMConfiguration / IPAMConfig', () => {
  it.each([[V3, 'IPAMConfiguration'], [V1, 'IPAMConfig'], [V3, 'IPAMConfig']])('%s %s: strictAffinity and maxBlocksPerHost', (api, kind) => {
    const { spec, diags } = load(CLUSTER() + doc(api, kind, 'default', '  strictAffinity: true\n  maxBlocksPerHost: 2\n  autoAllocateBlocks: true\n'));
    expect(diags).toEqual([]);
    expect(calico(spec).ipam).toEqual({ strictAffinity: true, maxBlocksPerHost: 2, pos: { file: 's.yaml', line: 8, col: 1 } });
  });

  it('refuses maxBlocksPerHost without strictAffinity, a name other than default, a second one', () => {
    const noStrict = load(CLUSTER() + doc(V3, 'IPAMConfiguration', 'default', '  maxBlocksPerHost: 3\n'));
    expect(noStrict.diags).toEqual([expect.stringMatching(/^SCN_CALICO_STRICT_AFFINITY@12:21 spec.maxBlocksPerHost: 3: MaxBlocksPerHost requires StrictAffinity to be enabled/)]);
    expect(calico(noStrict.spec).ipam.maxBlocksPerHost).toBe(0);
    expect(load(CLUSTER() + doc(V3, 'IPAMConfiguration', 'ipam', '  strictAffinity: true\n')).diags).toEqual([expect.stringMatching(/^SCN_CALICO_SINGLETON_NAME@10:18 Cannot create an IPAMConfiguration resource with a name other than "default"/)]);
    const two = CLUSTER() + doc(V3, 'IPAMConfiguration', 'default', '  strictAffinity: true\n') + doc(V1, 'IPAMConfig', 'default', '  strictAffinity: false\n');
    expect(load(two).diags).toEqual([expect.stringMatching(/^SCN_DUPLICATE_NAME@16:18 IPAMConfig default is defined twice/)]);
    expect(load(CLUSTER() + doc(V3, 'IPAMConfiguration', 'default', '  maxBlocksPerHost: -1\n')).diags).toEqual([expect.stringMatching(/^SCN_BAD_VALUE@12:21 spec.maxBlocksPerHost: Invalid value: -1: must be between 0 and 1000000, inclusive/)]);
  });

  it('warns about autoAllocateBlocks: false and ipCooldownSeconds', () => {
    const { diags } = load(CLUSTER() + doc(V3, 'IPAMConfiguration', 'default', '  autoAllocateBlocks: false\n  ipCooldownSeconds: 30\n'));
    expect(diags.map((d) => d.split(' ')[0])).toEqual(['SCN_CALICO_FIELD_IGNORED@12:3', 'SCN_CALICO_FIELD_IGNORED@13:3']);
  });
});

describe('FelixConfiguration', () => {
  it.each([V3, V1])('default: natOutgoingAddress (%s), other fields named in one warning', (api) => {
    const { spec, diags } = load(CLUSTER() + doc(api, 'FelixConfiguration', 'default', '  bpfEnabled: false\n  natOutgoingAddress: 192.168.56.200\n  logSeverityScreen: Info\n'));
    expect(diags).toEqual([expect.stringMatching(/^SCN_CALICO_FIELD_IGNORED@12:3 FelixConfiguration default: netsim models natOutgoingAddress only; ignored: bpfEnabled, logSeverityScreen/)]);
    expect(formatIp(calico(spec).felix.natOutgoingAddress ?? { family: 4, value: 0n })).toBe('192.168.56.200');
  });

  it('natOutgoingAddress must be IPv4; empty means unset; per-node and other names are skipped', () => {
    expect(load(CLUSTER() + doc(V3, 'FelixConfiguration', 'default', '  natOutgoingAddress: "fd00::1"\n')).diags).toEqual([expect.stringMatching(/^SCN_BAD_ADDRESS@12:23 spec.natOutgoingAddress: "fd00::1": natOutgoingAddress must be a valid IPv4 address/)]);
    expect(calico(load(CLUSTER() + doc(V3, 'FelixConfiguration', 'default', '  natOutgoingAddress: ""\n')).spec).felix).toEqual({ pos: { file: 's.yaml', line: 8, col: 1 } });
    expect(load(CLUSTER() + doc(V3, 'FelixConfiguration', 'node.n1', '  natOutgoingAddress: 10.0.0.1\n')).diags).toEqual([expect.stringMatching(/^SCN_CALICO_KIND_IGNORED@10:18 per-node FelixConfiguration \(node.n1\) is not modelled; skipped/)]);
    expect(load(CLUSTER() + doc(V3, 'FelixConfiguration', 'mine', '  natOutgoingAddress: 10.0.0.1\n')).diags).toEqual([expect.stringMatching(/^SCN_CALICO_KIND_IGNORED@10:18 Felix reads FelixConfiguration default and node.<nodename> only, not mine/)]);
  });
});

describe('other Calico kinds and other plugins', () => {
  it.each(['BGPFilter', 'NetworkPolicy', 'GlobalNetworkPolicy', 'HostEndpoint', 'KubeControllersConfiguration'])('%s is skipped with a warning', (kind) => {
    for (const api of [V3, V1]) {
      const { diags, errors } = load(CLUSTER() + doc(api, kind, 'x', '  anything: [1, 2]\n'));
      expect(errors).toBe(false);
      expect(diags).toEqual([expect.stringMatching(new RegExp(`^SCN_CALICO_KIND_IGNORED@9:7 netsim does not model Calico ${kind} objects; skipped`))]);
    }
  });

  it('a Calico kind under another apiVersion is an unknown kind', () => {
    expect(load(`${CLUSTER()}---\napiVersion: v1\nkind: IPPool\nmetadata: {name: p}\nspec: {cidr: 10.244.0.0/16}\n`).diags).toEqual([
      expect.stringMatching(/^SCN_UNKNOWN_KIND@8:13 IPPool is a Calico kind, read as apiVersion projectcalico.org\/v3 or crd.projectcalico.org\/v1, not v1/),
    ]);
  });

  it('with another CNI plugin, Calico objects are skipped with a warning (ignored kinds once only)', () => {
    const text = CLUSTER('{type: flannel}') + doc(V3, 'IPPool', 'p', '  cidr: 10.0.0.0/8\n') + doc(V1, 'IPAMConfig', 'default', '  strictAffinity: true\n') + doc(V3, 'BGPFilter', 'x', '  exportV4: []\n');
    const { spec, diags } = load(text);
    expect(spec?.cluster.cni.type).toBe('flannel');
    expect(diags.map((d) => d.split(' ')[0])).toEqual(['SCN_CALICO_NOT_IN_USE@9:7', 'SCN_CALICO_NOT_IN_USE@15:7', 'SCN_CALICO_KIND_IGNORED@21:7']);
    expect(diags[0]).toContain("the cluster's CNI plugin is flannel, not calico: this Calico IPPool is skipped");
  });
});

describe('selectorShapeProblem', () => {
  it.each([
    ['all()', undefined],
    ["rack == 'a' && has(zone)", undefined],
    ['!(a == "x)")', undefined],
    ['has(rack', 'a "(" without its ")"'],
    ['a == "b', 'an unterminated " string'],
    ['a)', 'a ")" without its "("'],
  ])('%s', (sel, want) => {
    expect(selectorShapeProblem(sel)).toBe(want);
  });

  it('accepts every well-formed selector, however nested (property)', () => {
    const atom = fc.constantFrom('all()', 'has(rack)', '!has(zone)', "rack == 'a'", 'zone != "b)"', "rack in {'a', 'b'}", "zone not in {'c'}");
    fc.assert(fc.property(fc.array(atom, { minLength: 1, maxLength: 5 }), fc.constantFrom(' && ', ' || '), fc.nat({ max: 4 }), (atoms, op, depth) => {
      const s = `${'('.repeat(depth)}${atoms.join(op)}${')'.repeat(depth)}`;
      expect(selectorShapeProblem(s)).toBeUndefined();
    }));
  });

  it('refuses what balances but does not parse, with the parser\'s reason', () => {
    expect(selectorShapeProblem("rack == ")).toBeDefined();
    expect(selectorShapeProblem("rack === 'a'")).toBeDefined();
  });
});
