/**
 * The evaluator's verdict in Kubernetes terms, for a person: which policy and rule let the
 * connection through, or which policies isolate the pod that refused it.
 *
 *   dropped by default deny: pod y/b is selected by NetworkPolicy y/deny-all (ingress), no rule allows x/a on TCP 80
 *   allowed by NetworkPolicy y/allow-web ingress rule #1 (from namespaceSelector kubernetes.io/metadata.name=x)
 *
 *   dropped by AdminNetworkPolicy deny-slytherin (priority 10) ingress rule #1 "deny-from-slytherin" (Deny): y/b to x/a on TCP 80
 *   passed by AdminNetworkPolicy p (priority 5) ingress rule #2 "pass-all", then allowed by NetworkPolicy x/allow ingress rule #1 (…)
 *
 * Rules are numbered from 1 in the text (`#1` is `spec.ingress[0]`).
 */
import { formatCidr, formatIp } from '../addr/index.js';
import type { NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpecObject, PolicyType } from './api.js';
import type { PolicyQuery, PolicyVerdict, SideVerdict } from './evaluate.js';
import { formatSelector } from './selector.js';
import type { AdminRuleRef } from './tiers.js';
import { type PolicyEndpoint, type PolicyWorld, podKey } from './world.js';

/** One line saying why the connection is allowed or dropped. */
export function explainVerdict(world: PolicyWorld, q: PolicyQuery, v: PolicyVerdict): string {
  const packet = `${q.protocol} ${q.port}`;
  const flow = `${endpointName(q.src)} to ${endpointName(q.dst)} on ${packet}`;
  for (const [type, sv] of [['Egress', v.egress], ['Ingress', v.ingress]] as const) {
    if (sv.kind === 'admin' && sv.decision.action === 'Deny') return `${passedText(sv.pass, type)}dropped by ${adminRuleText(sv.decision, type)} (Deny): ${flow}`;
    if (sv.kind === 'denied') {
      const text = type === 'Egress' ? denied(sv.policies, q.src, 'egress', `${endpointName(q.dst)} on ${packet}`) : denied(sv.policies, q.dst, 'ingress', `${endpointName(q.src)} on ${packet}`);
      return passedText(sv.pass, type) + text;
    }
  }
  const parts = [allowedBy(world, 'Egress', v.egress), allowedBy(world, 'Ingress', v.ingress)].filter((s) => s !== '');
  return parts.length === 0 ? `allowed: no NetworkPolicy isolates ${endpointName(q.src)} (egress) or ${endpointName(q.dst)} (ingress)` : parts.join('; ');
}

/** `AdminNetworkPolicy <name> (priority <p>) ingress rule #<n> "<rule name>"` (the name only when the rule has one). */
export function adminRuleText(r: AdminRuleRef, type: PolicyType): string {
  const name = r.ruleName === '' ? '' : ` ${JSON.stringify(r.ruleName)}`;
  const priority = r.priority === undefined ? '' : ` (priority ${r.priority})`;
  return `${r.tier} ${r.policy}${priority} ${type === 'Ingress' ? 'ingress' : 'egress'} rule #${r.ruleIndex + 1}${name}`;
}

/** `passed by <ANP rule>, then ` before what the later tiers said, when an ANP rule passed the side on. */
function passedText(pass: AdminRuleRef | undefined, type: PolicyType): string {
  return pass === undefined ? '' : `passed by ${adminRuleText(pass, type)}, then `;
}

/** A pod as `ns/name`, anything else by its address. */
export function endpointName(e: PolicyEndpoint): string {
  if (e.pod !== undefined) return podKey(e.pod);
  return e.ip === undefined ? '(unknown address)' : formatIp(e.ip);
}

function denied(policies: readonly string[], self: PolicyEndpoint, dir: 'ingress' | 'egress', what: string): string {
  const by = policies.length === 1 ? `NetworkPolicy ${policies[0]}` : `NetworkPolicies ${policies.join(', ')}`;
  const target = dir === 'ingress' ? what : `traffic to ${what}`;
  return `dropped by default deny: pod ${endpointName(self)} is selected by ${by} (${dir}), no rule allows ${target}`;
}

function allowedBy(world: PolicyWorld, type: PolicyType, v: SideVerdict): string {
  if (v.kind === 'admin') return `${passedText(v.pass, type)}allowed by ${adminRuleText(v.decision, type)}`;
  if (v.kind !== 'allowed') return v.pass === undefined ? '' : `${passedText(v.pass, type)}allowed: no NetworkPolicy or baseline rule applies`;
  const policy = world.policies.find((p) => `${p.namespace}/${p.name}` === v.policy);
  const dir = type === 'Ingress' ? 'ingress' : 'egress';
  const detail = policy === undefined ? '' : ` (${ruleText(policy, type, v)})`;
  return `${passedText(v.pass, type)}allowed by NetworkPolicy ${v.policy} ${dir} rule #${v.ruleIndex + 1}${detail}`;
}

function ruleText(p: NetworkPolicySpecObject, type: PolicyType, v: Extract<SideVerdict, { kind: 'allowed' }>): string {
  const rule = type === 'Ingress' ? { peers: p.ingress[v.ruleIndex]?.from ?? [], ports: p.ingress[v.ruleIndex]?.ports ?? [] } : { peers: p.egress[v.ruleIndex]?.to ?? [], ports: p.egress[v.ruleIndex]?.ports ?? [] };
  const dir = type === 'Ingress' ? 'from' : 'to';
  const peer = v.peerIndex === undefined ? undefined : rule.peers[v.peerIndex];
  const port = v.portIndex === undefined ? undefined : rule.ports[v.portIndex];
  return `${dir} ${peer === undefined ? 'anywhere' : peerText(peer)}, ${port === undefined ? 'any port' : `on ${portText(port)}`}`;
}

/** A peer as a person reads it: `namespaceSelector ns=y and podSelector app=b`, `ipBlock 10.0.0.0/8 except 10.1.0.0/16`. */
export function peerText(peer: NetworkPolicyPeer): string {
  if (peer.ipBlock !== undefined) {
    const except = peer.ipBlock.except.map(formatCidr).join(', ');
    return `ipBlock ${formatCidr(peer.ipBlock.cidr)}${except === '' ? '' : ` except ${except}`}`;
  }
  const parts: string[] = [];
  if (peer.namespaceSelector !== undefined) parts.push(`namespaceSelector ${formatSelector(peer.namespaceSelector)}`);
  if (peer.podSelector !== undefined) parts.push(`podSelector ${formatSelector(peer.podSelector)}`);
  return parts.join(' and ');
}

/** A port entry: `TCP 80`, `TCP 80-82`, `TCP serve-80`, `UDP` (every port). */
export function portText(port: NetworkPolicyPort): string {
  if (port.port === undefined) return `${port.protocol} (every port)`;
  return `${port.protocol} ${port.port}${port.endPort === undefined ? '' : `-${port.endPort}`}`;
}
