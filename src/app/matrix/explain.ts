/**
 * `netsim policy explain SRC DST`: the policies that select either end (by direction), the
 * evaluator's verdict in Kubernetes terms, and, when denied, the smallest change that would
 * allow it as a YAML fragment — checked by re-running the evaluator with the change applied
 * before it is shown.
 */
import { stringify } from 'yaml';
import { formatCidr } from '../../addr/index.js';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import { resolveEndpoint } from '../../cluster/lookup.js';
import { policyWorldOf } from '../../cluster/netpol-world.js';
import { InternalError } from '../../diag/diagnostic.js';
import {
  type NetworkPolicyPeer, type PolicyEndpoint, type PolicyProtocol, type PolicyQuery, type PolicyType, type PolicyWorld, type RuleSuggestion,
  allowed, applySuggestions, endpointName, explainVerdict, isolatingPolicies, suggestAllow,
} from '../../policy/index.js';

/** What to explain. */
export interface ExplainRequest {
  readonly src: string;
  readonly dst: string;
  readonly protocol: PolicyProtocol;
  readonly port: number;
}

/** The explanation, as text. */
export function explainPolicy(built: BuiltCluster, req: ExplainRequest): { text: string; allowed: boolean } | { problem: string } {
  const src = policyEndpoint(built, req.src, undefined);
  if ('problem' in src) return { problem: `source: ${src.problem}` };
  const dst = policyEndpoint(built, req.dst, src.pod?.namespace);
  if ('problem' in dst) return { problem: `destination: ${dst.problem}` };
  const world = policyWorldOf(built.spec);
  const q: PolicyQuery = { src, dst, protocol: req.protocol, port: req.port };
  const v = allowed(world, q);
  const lines = [
    `${endpointName(src)} → ${endpointName(dst)}: ${req.protocol} ${req.port}`,
    '',
    ...selecting(world, 'source', src),
    ...selecting(world, 'destination', dst),
    '',
    `verdict: ${v.allowed ? 'allowed' : 'denied'}`,
    `  ${explainVerdict(world, q, v)}`,
  ];
  const enforcer = built.spec.cluster.networkPolicy.enforcer;
  if (enforcer === 'none' && world.policies.length > 0) lines.push(`  (nothing enforces NetworkPolicy in this cluster, enforcer none: the datapath lets it through whatever the verdict)`);
  if (!v.allowed) lines.push('', ...suggestionText(world, q));
  return { text: `${lines.join('\n')}\n`, allowed: v.allowed };
}

/** A pod (with its address) or an address; Services are refused: policy sees the backend pod. */
function policyEndpoint(built: BuiltCluster, text: string, namespace: string | undefined): PolicyEndpoint | { problem: string } {
  const r = resolveEndpoint(built, text, namespace === undefined ? {} : { namespace });
  if ('problem' in r) return r;
  const e = r.endpoint;
  if (e.kind === 'pod') return { pod: e.pod.pod, ip: e.ip };
  if (e.kind === 'service') return { problem: `${e.label} is a Service: NetworkPolicy judges the backend pod after DNAT; name the pod` };
  return { ip: e.ip };
}

/** The policies selecting an end, for each direction, the one this connection meets first. */
function selecting(world: PolicyWorld, role: 'source' | 'destination', e: PolicyEndpoint): string[] {
  const head = `${role} ${endpointName(e)}:`;
  if (e.pod === undefined) return [`${head} not a pod: no policy selects it (only ipBlock peers match it)`];
  if (e.pod.hostNetwork) return [`${head} a hostNetwork pod: no policy selects it`];
  const types: readonly PolicyType[] = role === 'source' ? ['Egress', 'Ingress'] : ['Ingress', 'Egress'];
  return [head, ...types.map((t) => {
    const ps = isolatingPolicies(world, e.pod as NonNullable<PolicyEndpoint['pod']>, t).map((p) => `${p.namespace}/${p.name}`);
    const other = (role === 'source') === (t === 'Egress') ? '' : ' (not this connection\'s direction)';
    return `  ${t.toLowerCase()}${other}: ${ps.length === 0 ? 'not isolated, no policy selects it' : `selected by ${ps.join(', ')}`}`;
  })];
}

/** The suggested rules as YAML, verified to flip the verdict. */
function suggestionText(world: PolicyWorld, q: PolicyQuery): string[] {
  const rules = suggestAllow(world, q);
  if (rules === undefined || rules.length === 0) return ['no single rule can allow it: an endpoint without an address cannot be named by an ipBlock'];
  if (!allowed(applySuggestions(world, rules), q).allowed) throw new InternalError(`policy explain: the suggested change does not allow ${endpointName(q.src)} → ${endpointName(q.dst)}`);
  const out = [`smallest change that allows it (checked: with it, the evaluator allows this connection):`];
  for (const r of rules) {
    const field = r.type === 'Ingress' ? 'ingress' : 'egress';
    out.push('', `# add to spec.${field} of NetworkPolicy ${r.policy.namespace}/${r.policy.name}`, ruleYaml(r).trimEnd());
  }
  return out;
}

/** The rule as a YAML list item, as it would sit under `spec.ingress:` or `spec.egress:`. */
export function ruleYaml(r: RuleSuggestion): string {
  const peers = [peerObject(r.peer)];
  const rule = r.type === 'Ingress' ? { from: peers, ports: [r.port] } : { to: peers, ports: [r.port] };
  return stringify([rule], { indentSeq: false, lineWidth: 0 });
}

function peerObject(p: NetworkPolicyPeer): Record<string, unknown> {
  if (p.ipBlock !== undefined) return { ipBlock: { cidr: formatCidr(p.ipBlock.cidr) } };
  const sel = (s: NonNullable<NetworkPolicyPeer['podSelector']>): Record<string, unknown> => (Object.keys(s.matchLabels).length === 0 ? {} : { matchLabels: { ...s.matchLabels } });
  return { ...(p.namespaceSelector ? { namespaceSelector: sel(p.namespaceSelector) } : {}), ...(p.podSelector ? { podSelector: sel(p.podSelector) } : {}) };
}

