/**
 * buildNetworkPoliciesInfo (policy.go): each NetworkPolicy resolved against the listers into
 * what the chains are written from: the selected pods, and per rule the peer pods, the ipBlock
 * set entries, the numeric ports and the named ports resolved to (port, pods) pairs.
 *
 * Where Go iterates a map (named ports by number), netsim takes ascending order; kube-router's
 * own order varies from sync to sync, which changes set names' indexes but not verdicts.
 */
import { type Ip, formatCidr, formatIp } from '../../addr/index.js';
import type { IPBlock, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpecObject, PolicyProtocol } from '../api.js';
import { selectorMatches } from '../selector.js';
import { namespaceLabels } from '../world.js';
import { type KrPod, type KubeRouterInput, isActionable } from './input.js';

/** `kubeIngressPolicyType` / `kubeEgressPolicyType` / `kubeBothPolicyType`. */
export type KrPolicyType = 'ingress' | 'egress' | 'both';

/** protocolAndPort: no port means the whole protocol; endPort only when ≥ port. */
export interface KrPort {
  readonly protocol: PolicyProtocol;
  readonly port?: number;
  readonly endPort?: number;
}

/** endPoints: a named port resolved to one number, and the pods (all their addresses) that declare it so. */
export interface KrNamedEndpoints {
  readonly protocol: PolicyProtocol;
  readonly port: number;
  readonly ips: readonly Ip[];
}

/** One hash:net entry of an ipBlock set: `cidr timeout 0 [nomatch]`. */
export interface KrIpBlockEntry {
  readonly cidr: string;
  readonly nomatch: boolean;
}

/** ingressRule / egressRule: the peers (from or to) and ports of one rule. */
export interface KrRule {
  /** `from`/`to` empty: every source (destination). */
  readonly matchAllPeers: boolean;
  /** The actionable pods the rule's selector peers select (duplicates kept, as kube-router keeps them). */
  readonly peerPods: readonly KrPod[];
  readonly ipBlocks: Readonly<Record<4 | 6, readonly KrIpBlockEntry[]>>;
  /** `ports` empty: every port. */
  readonly matchAllPorts: boolean;
  readonly ports: readonly KrPort[];
  readonly namedPorts: readonly KrNamedEndpoints[];
}

/** networkPolicyInfo. */
export interface KrPolicyInfo {
  readonly name: string;
  readonly namespace: string;
  readonly type: KrPolicyType;
  /** The actionable pods the policy selects, one per primary address (targetPods is keyed by podIP). */
  readonly targetPods: readonly KrPod[];
  readonly ingress: readonly KrRule[];
  readonly egress: readonly KrRule[];
}

/** name → protocol → number → addresses (namedPort2eps). */
type NamedPortIndex = Map<string, Map<PolicyProtocol, Map<number, Ip[]>>>;

/** Every policy, in the lister's order. */
export function buildPolicyInfos(input: KubeRouterInput): KrPolicyInfo[] {
  return input.policies.map((p) => policyInfo(input, p));
}

function policyType(p: NetworkPolicySpecObject): KrPolicyType {
  const ing = p.policyTypes.includes('Ingress');
  const eg = p.policyTypes.includes('Egress');
  return ing && eg ? 'both' : eg ? 'egress' : 'ingress';
}

/** ListPodsByNamespaceAndLabels, then isNetPolActionable. */
function podsIn(input: KubeRouterInput, namespace: string, matches: (pod: KrPod) => boolean): KrPod[] {
  return input.pods.filter((pod) => pod.namespace === namespace && matches(pod) && isActionable(pod));
}

function policyInfo(input: KubeRouterInput, p: NetworkPolicySpecObject): KrPolicyInfo {
  const byIp = new Map<string, KrPod>();
  const ingressPorts: NamedPortIndex = new Map();
  for (const pod of podsIn(input, p.namespace, (q) => selectorMatches(p.podSelector, q.labels))) {
    byIp.set(formatIp(pod.ips[0] as Ip), pod);
    grabNamedPorts(pod, ingressPorts);
  }
  const ingress = p.ingress.map((r) => ruleInfo(input, p, r.from, r.ports, ingressPorts));
  const egress = p.egress.map((r) => {
    const index: NamedPortIndex = new Map();
    // A rule with no `to` and a named port resolves it on the pods of the policy's own namespace.
    if (r.to.length === 0 && r.ports.some((port) => typeof port.port === 'string')) {
      for (const pod of podsIn(input, p.namespace, () => true)) grabNamedPorts(pod, index);
    }
    return ruleInfo(input, p, r.to, r.ports, index, { grabFromPeers: true });
  });
  return { name: p.name, namespace: p.namespace, type: policyType(p), targetPods: [...byIp.values()], ingress, egress };
}

function ruleInfo(input: KubeRouterInput, p: NetworkPolicySpecObject, peers: readonly NetworkPolicyPeer[], ports: readonly NetworkPolicyPort[], index: NamedPortIndex, opts: { grabFromPeers?: boolean } = {}): KrRule {
  const peerPods: KrPod[] = [];
  const ipBlocks: Record<4 | 6, KrIpBlockEntry[]> = { 4: [], 6: [] };
  for (const peer of peers) {
    for (const pod of peerPodsOf(input, p.namespace, peer)) {
      peerPods.push(pod);
      if (opts.grabFromPeers === true) grabNamedPorts(pod, index);
    }
    if (peer.ipBlock !== undefined && peer.podSelector === undefined && peer.namespaceSelector === undefined) {
      const family = peer.ipBlock.cidr.addr.family;
      ipBlocks[family].push(...ipBlockEntries(peer.ipBlock));
    }
  }
  const numeric: KrPort[] = [];
  const named: KrNamedEndpoints[] = [];
  for (const port of ports) {
    if (typeof port.port === 'string') named.push(...resolveNamed(index, port.port, port.protocol));
    else numeric.push(numericPort(port));
  }
  return { matchAllPeers: peers.length === 0, peerPods, ipBlocks, matchAllPorts: ports.length === 0, ports: numeric, namedPorts: named };
}

/** evalPodPeer: a namespaceSelector lists namespaces by label (then pods by podSelector, or all); a podSelector alone looks in the policy's namespace. */
function peerPodsOf(input: KubeRouterInput, policyNs: string, peer: NetworkPolicyPeer): KrPod[] {
  const { podSelector, namespaceSelector } = peer;
  const podOk = (pod: KrPod) => podSelector === undefined || selectorMatches(podSelector, pod.labels);
  if (namespaceSelector !== undefined) {
    const world = { namespaces: input.namespaces, policies: [] };
    return namespacesOf(input)
      .filter((ns) => selectorMatches(namespaceSelector, namespaceLabels(world, ns)))
      .flatMap((ns) => podsIn(input, ns, podOk));
  }
  if (podSelector !== undefined) return podsIn(input, policyNs, podOk);
  return [];
}

/** The namespaces the lister knows: those declared, then any a pod lives in. */
function namespacesOf(input: KubeRouterInput): string[] {
  return [...new Set([...input.namespaces.map((n) => n.name), ...input.pods.map((p) => p.namespace)])];
}

/**
 * evalIPBlockPeer: the cidr, then each except as `nomatch`. hash:net cannot hold a /0, so
 * `0.0.0.0/0` becomes 0.0.0.0/1 + 128.0.0.0/1 and `::/0` becomes 2000::/3 + fd00::/8 (only
 * global unicast and ULA: kube-router's choice, narrower than the API's "everything").
 */
export function ipBlockEntries(block: IPBlock): KrIpBlockEntry[] {
  const halves = (nomatch: boolean, family: 4 | 6): KrIpBlockEntry[] =>
    (family === 4 ? ['0.0.0.0/1', '128.0.0.0/1'] : ['2000::/3', 'fd00::/8']).map((cidr) => ({ cidr, nomatch }));
  const family = block.cidr.addr.family;
  const one = (text: string, prefix: number, nomatch: boolean) => (prefix === 0 ? halves(nomatch, family) : [{ cidr: text, nomatch }]);
  return [
    ...one(formatCidr(block.cidr), block.cidr.prefix, false),
    ...block.except.filter((e) => e.addr.family === family).flatMap((e) => one(formatCidr(e), e.prefix, true)),
  ];
}

function numericPort(port: NetworkPolicyPort): KrPort {
  if (port.port === undefined) return { protocol: port.protocol };
  const num = port.port as number;
  return port.endPort !== undefined && port.endPort >= num ? { protocol: port.protocol, port: num, endPort: port.endPort } : { protocol: port.protocol, port: num };
}

/** processNetworkPolicyPorts for a named port: every number it resolves to on the indexed pods. */
function resolveNamed(index: NamedPortIndex, name: string, protocol: PolicyProtocol): KrNamedEndpoints[] {
  const byNumber = index.get(name)?.get(protocol);
  if (byNumber === undefined) return [];
  return [...byNumber.entries()].sort(([a], [b]) => a - b).map(([port, ips]) => ({ protocol, port, ips }));
}

/** grabNamedPortFromPod: every container port (named or not) of the pod, with the pod's addresses. */
function grabNamedPorts(pod: KrPod, index: NamedPortIndex): void {
  for (const c of pod.containers) {
    for (const port of c.ports) {
      const name = port.name ?? '';
      const byProto = index.get(name) ?? new Map<PolicyProtocol, Map<number, Ip[]>>();
      index.set(name, byProto);
      const byNumber = byProto.get(port.protocol) ?? new Map<number, Ip[]>();
      byProto.set(port.protocol, byNumber);
      byNumber.set(port.containerPort, [...(byNumber.get(port.containerPort) ?? []), ...pod.ips]);
    }
  }
}
