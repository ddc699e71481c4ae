/**
 * The upstream e2e model (test/helpers/netpol.ts) as a netsim scenario, so the datapath can be
 * asked what the evaluator is: namespaces x, y, z (one node each, node-1…node-3, so pod x/b is
 * 10.244.1.12 as in the model), pods serving 80 and 81 on TCP, UDP and SCTP, and the policies
 * written back as `networking.k8s.io/v1` YAML.
 */
import { stringify } from 'yaml';
import { formatCidr, formatIp } from '../../src/addr/index.js';
import type { LabelSelector, NetworkPolicyPeer, NetworkPolicySpecObject, PolicyLabels } from '../../src/policy/index.js';
import { modelIp, modelPod } from './netpol.js';

/** What the scenario holds. */
export interface E2eScenario {
  readonly pods: readonly string[];
  readonly policies: readonly NetworkPolicySpecObject[];
  readonly nsLabels?: Readonly<Record<string, PolicyLabels>>;
  readonly podLabels?: Readonly<Record<string, PolicyLabels>>;
  /** The `spec.cni` flow mapping (default: the bridge plugin). */
  readonly cni?: string;
  /** `spec.networkPolicy.enforcer` (default: the plugin's). */
  readonly enforcer?: string;
}

const NODE_OF: Readonly<Record<string, string>> = { x: 'node-1', y: 'node-2', z: 'node-3' };

/** The scenario's YAML. */
export function e2eScenarioYaml(s: E2eScenario): string {
  const cluster = [
    'apiVersion: netsim.dev/v1alpha1',
    'kind: Cluster',
    'metadata: {name: netpol-e2e}',
    'spec:',
    '  clusterCIDR: 10.244.0.0/16',
    '  serviceCIDR: 10.96.0.0/12',
    '  nodeNetwork: 192.168.56.0/24',
    ...(s.cni === undefined ? [] : [`  cni: ${s.cni}`]),
    ...(s.enforcer === undefined ? [] : [`  networkPolicy: {enforcer: ${s.enforcer}}`]),
    '  nodes: [{name: node-0}, {name: node-1}, {name: node-2}, {name: node-3}]',
  ].join('\n');
  const namespaces = ['x', 'y', 'z'].map((ns) => stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...s.nsLabels?.[ns] } } }));
  const pods = s.pods.map((key) => {
    const p = modelPod(key, s.podLabels?.[key]);
    return stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, labels: { ...p.labels } },
      spec: { nodeName: NODE_OF[p.namespace] ?? 'node-0', containers: p.containers.map((c) => ({ name: 'agnhost', ports: c.ports.map((x) => ({ ...x })) })) },
      status: { podIP: formatIpOf(key) },
    });
  });
  return [cluster, ...namespaces, ...pods, ...s.policies.map(policyYaml)].join('\n---\n');
}

function formatIpOf(key: string): string {
  return formatIp(modelIp(key));
}

/** A policy as the API server would print it (defaults applied, which is also valid input). */
export function policyYaml(p: NetworkPolicySpecObject): string {
  return stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: p.name, namespace: p.namespace },
    spec: {
      podSelector: selector(p.podSelector),
      policyTypes: [...p.policyTypes],
      ingress: p.ingress.map((r) => ({ from: r.from.map(peer), ports: r.ports.map((x) => ({ ...x })) })),
      egress: p.egress.map((r) => ({ to: r.to.map(peer), ports: r.ports.map((x) => ({ ...x })) })),
    },
  });
}

function selector(s: LabelSelector): Record<string, unknown> {
  return { matchLabels: { ...s.matchLabels }, matchExpressions: s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values.length > 0 ? { values: [...e.values] } : {}) })) };
}

function peer(p: NetworkPolicyPeer): Record<string, unknown> {
  if (p.ipBlock !== undefined) return { ipBlock: { cidr: formatCidr(p.ipBlock.cidr), except: p.ipBlock.except.map(formatCidr) } };
  return { ...(p.podSelector ? { podSelector: selector(p.podSelector) } : {}), ...(p.namespaceSelector ? { namespaceSelector: selector(p.namespaceSelector) } : {}) };
}
