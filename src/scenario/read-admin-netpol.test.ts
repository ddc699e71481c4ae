import { describe, expect, it } from 'vitest';
import { formatCidr } from '../addr/index.js';
import { loadScenario } from './load.js';

const CLUSTER = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  cni: {type: calico}\n  nodes: [{name: n1}]\n';
const anp = (name: string, spec: string): string => `---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
const banp = (name: string, spec: string): string => `---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: ${name}}\nspec: ${spec}\n`;

function load(text: string) {
  const r = loadScenario([{ path: 's.yaml', text: `${CLUSTER}${text}` }]);
  return { spec: r.value, diags: r.diagnostics.filter((d) => d.code !== 'SCN_ANP_CALICO_GAP').map((d) => `${d.code} ${d.message}`) };
}

describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy objects', () => {
  it('reads subjects, ordered rules, every peer and port kind, defaulting protocols to TCP', () => {
    const { spec, diags } = load(anp('a', `{priority: 5, subject: {pods: {namespaceSelector: {matchLabels: {team: a}}, podSelector: {}}},
      ingress: [{name: deny-y, action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: y}}}], ports: [{portNumber: {port: 80}}, {portRange: {protocol: UDP, start: 50, end: 60}}, {namedPort: http}]}],
      egress: [{action: Pass, to: [{networks: [10.0.0.0/8, 'fd00::/8']}, {nodes: {matchLabels: {role: infra}}}]}]}`));
    expect(diags).toEqual([]);
    const p = spec?.adminNetworkPolicies[0];
    expect(p).toMatchObject({ name: 'a', priority: 5, subject: { pods: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: {} } } } });
    expect(p?.ingress[0]).toMatchObject({ name: 'deny-y', action: 'Deny', ports: [{ portNumber: { protocol: 'TCP', port: 80 } }, { portRange: { protocol: 'UDP', start: 50, end: 60 } }, { namedPort: 'http' }] });
    const to = p?.egress[0]?.peers ?? [];
    expect(to[0] !== undefined && 'networks' in to[0] ? to[0].networks.map(formatCidr) : []).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(to[1]).toEqual({ nodes: { matchLabels: { role: 'infra' }, matchExpressions: [] } });
    expect(p?.egress[0]?.ports).toBeUndefined();
  });

  it('reads the BaselineAdminNetworkPolicy default, and refuses another name or a Pass rule', () => {
    expect(load(banp('default', '{subject: {namespaces: {}}, ingress: [{action: Allow, from: [{namespaces: {}}]}]}')).spec?.baselineAdminNetworkPolicy?.ingress).toHaveLength(1);
    const bad = load(`${banp('other', '{subject: {namespaces: {}}}')}${banp('default', '{subject: {namespaces: {}}, egress: [{action: Pass, to: [{namespaces: {}}]}]}')}`);
    expect(bad.diags).toEqual([
      'SCN_BANP_NAME Invalid value: "object": Only one baseline admin network policy with metadata.name="default" can be created in the cluster (this one is named "other")',
      'SCN_ANP_ACTION spec.egress[0].action: Unsupported value: "Pass": supported values: "Allow", "Deny"',
    ]);
  });

  it('words the CRD validation as the API server does', () => {
    const { diags } = load(`${anp('a', '{subject: {}}')}${anp('b', '{priority: -1, subject: {namespaces: {}}, ingress: [{action: deny, from: [{namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}]}]}')}${anp('c', '{priority: 1, subject: {namespaces: {}}, egress: [{action: Allow, to: [{networks: [10.0.0.0/8]}], ports: [{namedPort: web}]}, {action: Deny, to: [{namespaces: {}}], ports: [{portNumber: {port: 0}}]}]}')}`);
    expect(diags).toEqual([
      'SCN_ANP_PRIORITY spec.priority: Required value',
      'SCN_ANP_SUBJECT spec.subject: Invalid value: 0: spec.subject in body should have at least 1 properties',
      'SCN_ANP_PRIORITY spec.priority: Invalid value: -1: spec.priority in body should be greater than or equal to 0',
      'SCN_ANP_ACTION spec.ingress[0].action: Unsupported value: "deny": supported values: "Allow", "Deny", "Pass"',
      'SCN_ANP_BAD_PEER spec.ingress[0].from[0]: Too many: 2: must have at most 1 items',
      'SCN_ANP_BAD_PEER spec.egress[0]: Invalid value: "object": networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
      'SCN_ANP_BAD_PORT spec.egress[1].ports[0].portNumber.port: Invalid value: 0: spec.egress[1].ports[0].portNumber.port in body should be greater than or equal to 1',
    ]);
  });

  it('warns about ANPs nothing enforces (no agent; kube-router) and about shared priorities', () => {
    const r = loadScenario([{ path: 's.yaml', text: `${CLUSTER.replace('  cni: {type: calico}\n', '  networkPolicy: {enforcer: kube-router}\n')}${anp('a', '{priority: 1, subject: {namespaces: {}}}')}${anp('b', '{priority: 1, subject: {namespaces: {}}}')}` }]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SCN_ANP_NOT_ENFORCED', 'SCN_ANP_SAME_PRIORITY']);
    expect(r.value?.adminNetworkPolicies.map((p) => p.name)).toEqual(['a', 'b']);
  });
});
