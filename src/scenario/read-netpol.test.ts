import { describe, expect, it } from 'vitest';
import { formatCidr } from '../addr/index.js';
import { loadScenario } from './load.js';

const cluster = (extra = ''): string => `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n${extra}  nodes: [{name: n1}]\n`;
const np = (spec: string, meta = 'name: p, namespace: x'): string => `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {${meta}}\nspec: ${spec}\n`;
const KR = '  networkPolicy: {enforcer: kube-router}\n';

function load(text: string) {
  const r = loadScenario([{ path: 's.yaml', text }]);
  return { spec: r.value, diags: r.diagnostics.map((d) => `${d.code} ${d.message}`) };
}

describe('NetworkPolicy objects', () => {
  it('reads the spec with its defaults: policyTypes [Ingress], plus Egress with egress rules; protocol TCP', () => {
    const { spec, diags } = load(`${cluster(KR)}${np('{podSelector: {matchLabels: {app: db}}, ingress: [{from: [{podSelector: {}}], ports: [{port: 5432}]}]}')}${np('{egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]}', 'name: q, namespace: x')}`);
    expect(diags.filter((d) => !d.startsWith('SCN_NETPOL_NOT_SIMULATED'))).toEqual([]);
    const [p, q] = spec?.networkPolicies ?? [];
    expect(p).toMatchObject({ name: 'p', namespace: 'x', policyTypes: ['Ingress'], podSelector: { matchLabels: { app: 'db' }, matchExpressions: [] } });
    expect(p?.ingress).toEqual([{ from: [{ podSelector: { matchLabels: {}, matchExpressions: [] } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    expect(q?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(q?.podSelector).toEqual({ matchLabels: {}, matchExpressions: [] });
    const block = q?.egress[0]?.to[0]?.ipBlock;
    expect([block?.cidr, ...(block?.except ?? [])].map((c) => (c === undefined ? '' : formatCidr(c)))).toEqual(['10.0.0.0/8', '10.1.0.0/16']);
    // Its namespace exists (created implicitly, with the label Kubernetes sets).
    expect(spec?.namespaces.find((n) => n.name === 'x')?.labels).toEqual({ 'kubernetes.io/metadata.name': 'x' });
  });

  it('keeps nil and empty selectors apart, and a named port, endPort and protocols', () => {
    const { spec } = load(`${cluster(KR)}${np('{ingress: [{from: [{namespaceSelector: {}}, {namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}}], ports: [{port: http, protocol: UDP}, {port: 80, endPort: 90}, {protocol: SCTP}]}]}')}`);
    const rule = spec?.networkPolicies[0]?.ingress[0];
    expect(rule?.from).toEqual([
      { namespaceSelector: { matchLabels: {}, matchExpressions: [] } },
      { namespaceSelector: { matchLabels: { team: 'a' }, matchExpressions: [] }, podSelector: { matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] } },
    ]);
    expect(rule?.ports).toEqual([{ protocol: 'UDP', port: 'http' }, { protocol: 'TCP', port: 80, endPort: 90 }, { protocol: 'SCTP' }]);
  });

  it('reads a null rule or port as the zero value, as the API server decodes it: allow all, every TCP port', () => {
    const { spec } = load(`${cluster(KR)}${np('\n  ingress:\n  -\n  egress:\n  - ports:\n    -')}`);
    expect(spec?.networkPolicies[0]?.ingress).toEqual([{ from: [], ports: [] }]);
    expect(spec?.networkPolicies[0]?.egress).toEqual([{ to: [], ports: [{ protocol: 'TCP' }] }]);
    expect(load(`${cluster(KR)}${np('{ingress: [{from: [null]}]}')}`).diags).toContain('SCN_NETPOL_BAD_PEER spec.ingress[0].from[0]: Required value: must specify a peer (podSelector, namespaceSelector or ipBlock)');
  });

  it('takes a CIDR with host bits as its network, as the API server does without StrictIPCIDRValidation', () => {
    const { spec, diags } = load(`${cluster(KR)}${np('{ingress: [{from: [{ipBlock: {cidr: 10.244.1.10/4}}]}]}')}`);
    expect(diags.filter((d) => d.includes('CIDR'))).toEqual([]);
    const c = spec?.networkPolicies[0]?.ingress[0]?.from[0]?.ipBlock?.cidr;
    expect(c === undefined ? '' : formatCidr(c)).toBe('0.0.0.0/4');
  });

  it.each([
    ['{podSelector: {matchExpressions: [{key: a, operator: In}]}}', "SCN_NETPOL_BAD_SELECTOR spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ['{podSelector: {matchExpressions: [{key: a, operator: Exists, values: [x]}]}}', "SCN_NETPOL_BAD_SELECTOR spec.podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    ['{podSelector: {matchExpressions: [{key: a, operator: in, values: [x]}]}}', 'SCN_NETPOL_BAD_SELECTOR spec.podSelector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator (In, NotIn, Exists, DoesNotExist)'],
    ['{ingress: [{from: [{}]}]}', 'SCN_NETPOL_BAD_PEER spec.ingress[0].from[0]: Required value: must specify a peer (podSelector, namespaceSelector or ipBlock)'],
    ['{egress: [{to: [{namespaceSelector: {}, ipBlock: {cidr: 10.0.0.0/8}}]}]}', 'SCN_NETPOL_BAD_PEER spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer'],
    ['{egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/8]}}]}]}', 'SCN_NETPOL_EXCEPT_OUTSIDE_CIDR spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr` (10.0.0.0/8)'],
    ['{egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: ["fd00::/64"]}}]}]}', 'SCN_NETPOL_EXCEPT_OUTSIDE_CIDR spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "fd00::/64": must be a strict subset of `cidr` (10.0.0.0/8)'],
    ['{egress: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}', 'SCN_BAD_CIDR spec.egress[0].to[0].ipBlock.cidr: "10.0.0.0/33" is not a prefix like 10.244.0.0/16 or fd00::/64'],
    ['{egress: [{to: [{ipBlock: {except: [10.0.0.0/9]}}]}]}', 'SCN_MISSING_FIELD spec.egress[0].to[0].ipBlock.cidr is required'],
    ['{ingress: [{ports: [{endPort: 90}]}]}', 'SCN_NETPOL_BAD_PORT spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified'],
    ['{ingress: [{ports: [{port: 90, endPort: 80}]}]}', 'SCN_NETPOL_BAD_PORT spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`'],
    ['{ingress: [{ports: [{port: 80, protocol: ICMP}]}]}', 'SCN_BAD_VALUE spec.ingress[0].ports[0].protocol must be one of TCP, UDP, SCTP, not "ICMP"'],
    ['{policyTypes: [Ingress, Egress, Ingress]}', 'SCN_NETPOL_POLICY_TYPE spec.policyTypes: Invalid value: 3 entries: may not specify more than two policyTypes'],
  ])('%s', (spec, want) => {
    expect(load(`${cluster(KR)}${np(spec)}`).diags).toContain(want);
  });

  it('refuses a second policy of the same name in a namespace, not in another', () => {
    const { spec, diags } = load(`${cluster(KR)}${np('{}')}${np('{}')}${np('{}', 'name: p, namespace: y')}`);
    expect(diags).toContain('SCN_DUPLICATE_NAME NetworkPolicy x/p is defined twice; this one is ignored');
    expect(spec?.networkPolicies.map((p) => `${p.namespace}/${p.name}`)).toEqual(['x/p', 'y/p']);
  });
});

describe('who enforces NetworkPolicy', () => {
  it.each([
    ['', 'bridge', 'none'],
    ['  cni: {type: flannel}\n', 'flannel', 'none'],
    ['  cni: {type: flannel}\n  networkPolicy: {enforcer: canal}\n', 'flannel', 'canal'],
    ['  cni: {type: flannel}\n  networkPolicy: {enforcer: kube-router}\n', 'flannel', 'kube-router'],
    ['  networkPolicy: {enforcer: kube-router}\n', 'bridge', 'kube-router'],
    ['  cni: {type: calico}\n', 'calico', 'calico'],
  ])('%j: %s runs %s', (extra, cni, enforcer) => {
    const { spec, diags } = load(cluster(extra));
    expect(spec?.cluster.cni.type).toBe(cni);
    expect(spec?.cluster.networkPolicy).toEqual({ enforcer });
    expect(diags).toEqual([]);
  });

  it.each([
    ['  cni: {type: calico}\n  networkPolicy: {enforcer: kube-router}\n', 'with cni calico, Felix enforces NetworkPolicy'],
    ['  cni: {type: flannel}\n  networkPolicy: {enforcer: calico}\n', 'Felix beside flannel is canal'],
    ['  networkPolicy: {enforcer: canal}\n', 'it needs cni flannel'],
  ])('refuses %j', (extra, why) => {
    expect(load(cluster(extra)).diags.join('\n')).toMatch(new RegExp(`SCN_NETPOL_ENFORCER spec.networkPolicy.enforcer: .*${why}`));
  });

  it('warns once when policies exist and nothing enforces them, naming them', () => {
    const { diags } = load(`${cluster()}${np('{}')}${np('{}', 'name: q, namespace: y')}`);
    expect(diags).toEqual([
      'SCN_NETPOL_NOT_ENFORCED 2 NetworkPolicies (x/p, y/q) but nothing enforces them: cni bridge has no policy agent, so every pod reaches every pod; set Cluster spec.networkPolicy.enforcer (kube-router), or use cni calico',
    ]);
  });

  it('says the datapath does not apply them yet when an agent would', () => {
    const { diags } = load(`${cluster(KR)}${np('{}')}`);
    expect(diags).toEqual(['SCN_NETPOL_NOT_SIMULATED 1 NetworkPolicy (x/p) would be enforced by kube-router, but netsim does not apply NetworkPolicy in the datapath yet: traces ignore them']);
  });

  it('is silent for calico: Felix applies them in the datapath', () => {
    expect(load(`${cluster('  cni: {type: calico}\n')}${np('{}')}`).diags).toEqual([]);
  });

  it('is silent without policies', () => {
    expect(load(cluster()).diags).toEqual([]);
  });
});
