/**
 * The upstream NetworkPolicy e2e model (test/e2e/network/netpol/model.go): namespaces x, y, z,
 * pods a, b, c labelled `pod=<name>`, each serving ports 80 and 81 on TCP, UDP and SCTP with
 * container ports named `serve-<port>-<protocol>`. Short builders for policies, and truth tables
 * written as upstream prints them (`-` header, `.` connected, `X` blocked).
 */
import { type Cidr, cidr, ip, type Ip } from '../../src/addr/index.js';
import {
  type LabelSelector, type NetworkPolicyEgressRule, type NetworkPolicyIngressRule, type NetworkPolicyPeer, type NetworkPolicyPort,
  type NetworkPolicySpecObject, type PolicyLabels, type PolicyProtocol, type PolicyType, type MatrixPod, type PolicyNamespace, type PolicyWorld,
  defaultPolicyTypes, matrixBooleans, policyMatrix,
} from '../../src/policy/index.js';
import { formatTruthTable } from '../../src/render/truth-table.js';

const PROTOCOLS: readonly PolicyProtocol[] = ['TCP', 'UDP', 'SCTP'];
const NAMESPACES = ['x', 'y', 'z'] as const;

/** The address of pod `ns/name` in the model: 10.244.<ns>.<pod>. */
export function modelIp(key: string): Ip {
  const [ns = 'x', name = 'a'] = key.split('/');
  return ip(`10.244.${NAMESPACES.indexOf(ns as 'x') + 1}.${name.charCodeAt(0) - 96 + 10}`);
}

/** A model pod (`x/a`), labels `pod=a` plus `extra`. */
export function modelPod(key: string, extra: PolicyLabels = {}): MatrixPod {
  const [namespace = 'x', name = 'a'] = key.split('/');
  const ports = [80, 81].flatMap((port) => PROTOCOLS.map((protocol) => ({ name: `serve-${port}-${protocol.toLowerCase()}`, containerPort: port, protocol })));
  return { namespace, name, labels: { pod: name, ...extra }, hostNetwork: false, containers: [{ ports }], ip: modelIp(key) };
}

/** Namespaces x, y, z with the label Kubernetes sets, plus `extra[ns]`. */
export function modelNamespaces(extra: Readonly<Record<string, PolicyLabels>> = {}): PolicyNamespace[] {
  return NAMESPACES.map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name, ...extra[name] } }));
}

/** A selector: matchLabels and optional expressions. */
export function sel(matchLabels: PolicyLabels = {}, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector {
  return { matchLabels, matchExpressions };
}

/** The namespace selector `kubernetes.io/metadata.name=<ns>`. */
export const nsSel = (ns: string): LabelSelector => sel({ 'kubernetes.io/metadata.name': ns });

/**
 * A policy `ns/name` selecting `podSelector`. As upstream's SetSpecIngressRules and
 * SetSpecEgressRules do, giving `ingress` (even `[]`) lists Ingress in policyTypes and giving
 * `egress` lists Egress; `types` overrides both; with neither, the API server's default applies.
 */
export function policy(
  key: string,
  podSelector: LabelSelector,
  spec: { ingress?: NetworkPolicyIngressRule[]; egress?: NetworkPolicyEgressRule[]; types?: PolicyType[] },
): NetworkPolicySpecObject {
  const [namespace = 'x', name = 'p'] = key.split('/');
  const ingress = spec.ingress ?? [];
  const egress = spec.egress ?? [];
  const given: PolicyType[] = spec.types ?? [...(spec.ingress === undefined ? [] : ['Ingress' as const]), ...(spec.egress === undefined ? [] : ['Egress' as const])];
  return { namespace, name, podSelector, policyTypes: defaultPolicyTypes(given, egress.length), ingress, egress };
}

/** An ingress rule. */
export const from = (peers: NetworkPolicyPeer[] = [], ports: NetworkPolicyPort[] = []): NetworkPolicyIngressRule => ({ from: peers, ports });
/** An egress rule. */
export const to = (peers: NetworkPolicyPeer[] = [], ports: NetworkPolicyPort[] = []): NetworkPolicyEgressRule => ({ to: peers, ports });
/** A port entry (protocol TCP unless given). */
export const port = (p?: number | string, protocol: PolicyProtocol = 'TCP', endPort?: number): NetworkPolicyPort => ({
  protocol,
  ...(p === undefined ? {} : { port: p }),
  ...(endPort === undefined ? {} : { endPort }),
});
/** An ipBlock peer. */
export const ipBlock = (c: string, except: string[] = []): NetworkPolicyPeer => ({ ipBlock: { cidr: cidr(c), except: except.map((e): Cidr => cidr(e)) } });

/** Parses an upstream-style table (whitespace-separated; `-` header row) into pods and cells. */
export function parseTable(text: string): { pods: string[]; cells: boolean[][] } {
  const rows = text.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const pods = (rows[0] ?? []).slice(1);
  const cells = rows.slice(1).map((r) => r.slice(1).map((c) => c === '.'));
  return { pods, cells };
}

/**
 * The evaluator's table for `pods` against the expected one, loopback cells ignored as
 * upstream does (`ignoreLoopback = true`): both tables print with the expected diagonal.
 */
export function compareTable(world: PolicyWorld, pods: readonly MatrixPod[], packet: { protocol: PolicyProtocol; port: number }, expected: string): { got: string; want: string } {
  const want = parseTable(expected);
  const got = matrixBooleans(policyMatrix(world, pods, packet)).map((row, i) => row.map((c, j) => (i === j ? (want.cells[i]?.[j] ?? c) : c)));
  return { got: formatTruthTable({ pods: want.pods, cells: got }), want: formatTruthTable(want) };
}
