/**
 * A Kubernetes NetworkPolicy as the Calico policy Felix receives, in the two steps Calico takes:
 *
 * 1. libcalico-go `k8s/conversion` K8sNetworkPolicyToCalico: a namespaced policy
 *    `knp.default.<name>`, order 1000, selector podSelector + `projectcalico.org/orchestrator ==
 *    'k8s'` (k8sSelectorToCalico); each rule becomes one Calico rule per protocol (sorted; one
 *    port entry without protocol and port allows all) and per peer; a peer's podSelector gets
 *    the orchestrator term too, ipBlock becomes nets/notNets, a port is a number, a name or
 *    `port:endPort`, and the numeric ports of a protocol are merged into ranges (SimplifyPorts);
 * 2. the syncer's update processor (updateprocessors/networkpolicyprocessor.go, rules.go): the
 *    key `<namespace>/knp.default.<name>` in tier `default`; the policy selector ANDed with
 *    `projectcalico.org/namespace == '<ns>'`; each rule selector ANDed with its namespace part:
 *    the namespaceSelector with `pcns.` before each label (`{}` → `has(projectcalico.org/namespace)`),
 *    or the policy's own namespace when there is none (getEndpointSelector).
 *
 * Selectors are built as trees shaped as Calico's parser shapes the text those steps write, so
 * their canonical text and ipset names come out as Felix's. Layer `cluster`: it reads the policy
 * layer's shapes and writes the calico plugin's structural types.
 */
import type { Cidr } from '../addr/cidr.js';
import { canonicalCidr } from '../addr/cidr.js';
import { CALICO_LABELS, type CalicoSelector, type FelixPolicy, type FelixPolicyRule, type FelixPort, NAMESPACE_LABEL_PREFIX, andOf, inSet, prefixLabels } from '../cni/calico/felix/index.js';
import type { LabelSelector, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpecObject } from '../policy/api.js';

/** names.K8sNetworkPolicyNamePrefix. */
export const K8S_POLICY_PREFIX = 'knp.default.';

/** The order calico-kube-controllers gives every converted policy. */
export const K8S_POLICY_ORDER = 1000;

const ORCHESTRATOR: CalicoSelector = { op: '==', label: CALICO_LABELS.orchestrator, value: 'k8s' };

/**
 * k8sSelectorToCalico's terms, as parsed: for a pod selector the orchestrator term first, then
 * matchLabels by key, then matchExpressions in order. A namespace selector with no terms is `all()`.
 */
export function k8sSelectorTerms(s: LabelSelector | undefined, kind: 'pod' | 'namespace'): CalicoSelector[] {
  const terms: CalicoSelector[] = kind === 'pod' ? [ORCHESTRATOR] : [];
  if (s === undefined) return terms;
  if (kind === 'namespace' && Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0) return [{ op: 'all' }];
  for (const k of Object.keys(s.matchLabels).sort()) terms.push({ op: '==', label: k, value: s.matchLabels[k] as string });
  for (const e of s.matchExpressions) {
    if (e.operator === 'In') terms.push(inSet('in', e.key, e.values));
    else if (e.operator === 'NotIn') terms.push(inSet('not in', e.key, e.values));
    else if (e.operator === 'Exists') terms.push({ op: 'has', label: e.key });
    else terms.push({ op: '!', operand: { op: 'has', label: e.key } });
  }
  return terms;
}

/** `strings.Replace(nsSelector, "all()", "has(projectcalico.org/namespace)")` on the tree. */
export function allToHasNamespace(sel: CalicoSelector): CalicoSelector {
  if (sel.op === 'all') return { op: 'has', label: CALICO_LABELS.namespace };
  if (sel.op === '&&') return { op: '&&', operands: sel.operands.map(allToHasNamespace) };
  if (sel.op === '!') return { op: '!', operand: allToHasNamespace(sel.operand) };
  return sel;
}

/** getEndpointSelector's namespace part for a namespaceSelector: `pcns.` before each key, `all()` → `has(projectcalico.org/namespace)`. */
export function namespaceSelectorPart(s: LabelSelector): CalicoSelector {
  return allToHasNamespace(prefixLabels(andOf(k8sSelectorTerms(s, 'namespace')), NAMESPACE_LABEL_PREFIX));
}

/** getEndpointSelector for a peer of a policy in `ns`: `(<namespace part>) && (<pod part>)`. */
export function peerSelector(peer: NetworkPolicyPeer, ns: string): CalicoSelector {
  const pod = andOf(k8sSelectorTerms(peer.podSelector, 'pod'));
  const nsPart =
    peer.namespaceSelector === undefined
      ? ({ op: '==', label: CALICO_LABELS.namespace, value: ns } as const)
      : namespaceSelectorPart(peer.namespaceSelector);
  return { op: '&&', operands: [nsPart, pod] };
}

/** k8sPortToCalico: a number, `port:endPort`, or a name. */
function calicoPort(p: NetworkPolicyPort): FelixPort | undefined {
  if (p.port === undefined) return undefined;
  if (typeof p.port === 'string') return { name: p.port };
  return { first: p.port, last: p.endPort ?? p.port };
}

/** SimplifyPorts: named ports first as given, then the numeric ones merged into sorted ranges. */
export function simplifyPorts(ports: readonly FelixPort[]): FelixPort[] {
  if (ports.length <= 1) return [...ports];
  const named = ports.filter((p) => 'name' in p);
  const nums: number[] = [];
  for (const p of ports) if (!('name' in p)) for (let i = p.first; i <= p.last; i++) nums.push(i);
  if (nums.length <= 1) return [...ports];
  nums.sort((a, b) => a - b);
  const out: FelixPort[] = [...named];
  let i = 0;
  while (i < nums.length) {
    const first = nums[i] as number;
    let last = first;
    while (i + 1 < nums.length && (nums[i + 1] as number) <= last + 1) last = nums[++i] as number;
    out.push({ first, last });
    i++;
  }
  return out;
}

/** The protocols of a rule's ports, sorted, each with its ports (undefined: all ports); `''` = any protocol. */
function protocolPorts(ports: readonly NetworkPolicyPort[]): Array<[string, FelixPort[] | undefined]> {
  if (ports.length === 0) return [['', undefined]];
  const byProto = new Map<string, FelixPort[] | undefined>();
  for (const p of ports) {
    const port = calicoPort(p);
    if (port === undefined) byProto.set(p.protocol, undefined);
    else if (!byProto.has(p.protocol) || byProto.get(p.protocol) !== undefined) byProto.set(p.protocol, [...(byProto.get(p.protocol) ?? []), port]);
  }
  return [...byProto.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One Calico rule of one K8s rule, with where it came from (for explanations). */
export interface ConvertedRule extends FelixPolicyRule {
  /** Index of the Kubernetes rule in `spec.ingress` / `spec.egress`. */
  readonly k8sRule: number;
}

/** k8sRuleToCalico: one rule per protocol (sorted) and peer, after the update processor's selector step. */
export function k8sRuleToCalico(peers: readonly NetworkPolicyPeer[], ports: readonly NetworkPolicyPort[], ns: string, ingress: boolean, k8sRule: number): ConvertedRule[] {
  const out: ConvertedRule[] = [];
  for (const [proto, list] of protocolPorts(ports)) {
    const protocol = proto === '' ? undefined : (proto.toLowerCase() as 'tcp' | 'udp' | 'sctp');
    const dstPorts = list === undefined ? undefined : simplifyPorts(list);
    for (const peer of peers.length === 0 ? [undefined] : peers) {
      const side: Pick<FelixPolicyRule, 'srcSelector' | 'srcNets' | 'notSrcNets'> = peer === undefined ? {} : peerFields(peer, ns);
      const base = { k8sRule, ...(protocol !== undefined ? { protocol } : {}), ...(dstPorts !== undefined ? { dstPorts } : {}) };
      if (ingress) out.push({ ...base, ...side });
      else out.push({ ...base, ...renameToDst(side) });
    }
  }
  return out;
}

function peerFields(peer: NetworkPolicyPeer, ns: string): Pick<FelixPolicyRule, 'srcSelector' | 'srcNets' | 'notSrcNets'> {
  if (peer.ipBlock !== undefined) {
    const nets: Cidr[] = [canonicalCidr(peer.ipBlock.cidr)];
    const notNets = peer.ipBlock.except.map(canonicalCidr);
    return notNets.length > 0 ? { srcNets: nets, notSrcNets: notNets } : { srcNets: nets };
  }
  return { srcSelector: peerSelector(peer, ns) };
}

function renameToDst(s: Pick<FelixPolicyRule, 'srcSelector' | 'srcNets' | 'notSrcNets'>): Pick<FelixPolicyRule, 'dstSelector' | 'dstNets' | 'notDstNets'> {
  return {
    ...(s.srcSelector !== undefined ? { dstSelector: s.srcSelector } : {}),
    ...(s.srcNets !== undefined ? { dstNets: s.srcNets } : {}),
    ...(s.notSrcNets !== undefined ? { notDstNets: s.notSrcNets } : {}),
  };
}

/** A converted policy, its rules carrying their Kubernetes rule index. */
export interface ConvertedPolicy extends FelixPolicy {
  readonly inbound: readonly ConvertedRule[];
  readonly outbound: readonly ConvertedRule[];
  /** `namespace/name` of the Kubernetes object. */
  readonly k8sName: string;
}

/** K8sNetworkPolicyToCalico, then the update processor: what Felix gets for `np`. */
export function k8sNetworkPolicyToFelix(np: NetworkPolicySpecObject): ConvertedPolicy {
  const ingress = np.policyTypes.includes('Ingress');
  const egress = np.policyTypes.includes('Egress');
  const selectorTerms = k8sSelectorTerms(np.podSelector, 'pod');
  const nsTerm: CalicoSelector = { op: '==', label: CALICO_LABELS.namespace, value: np.namespace };
  return {
    name: `${np.namespace}/${K8S_POLICY_PREFIX}${np.name}`,
    tier: 'default',
    order: K8S_POLICY_ORDER,
    // `(<selector>) && projectcalico.org/namespace == '<ns>'`.
    selector: { op: '&&', operands: [andOf(selectorTerms), nsTerm] },
    // No type given means Ingress (the API server always gives one).
    ingress: ingress || !egress,
    egress,
    inbound: np.ingress.flatMap((r, i) => k8sRuleToCalico(r.from, r.ports, np.namespace, true, i)),
    outbound: np.egress.flatMap((r, i) => k8sRuleToCalico(r.to, r.ports, np.namespace, false, i)),
    k8sName: `${np.namespace}/${np.name}`,
  };
}
