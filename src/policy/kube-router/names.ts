/**
 * kube-router's names (pkg/controllers/netpol, v2.6.3, the release k3s embeds): chains and
 * ipsets carry `base32(sha256(…))[:16]` of what identifies them, and the jumps it keeps at fixed
 * positions carry a UUID of the same kind in their comment, so kube-router finds them again.
 *
 * - `KUBE-POD-FW-<h>`: one chain per local pod, h over namespace + name + sync version
 *   (podFirewallChainName): every sync writes new chains and drops the old ones;
 * - `KUBE-NWPLCY-<h>`: one chain per policy and family, h over namespace + name + version + family
 *   (networkPolicyChainName);
 * - `KUBE-SRC-<h>` / `KUBE-DST-<h>`: ipsets of a policy's selected pods and of each rule's peers,
 *   named ports and ipBlocks; IPv6 sets are prefixed `inet6:` (utils.IPSetName), which is why
 *   the hash stops at 16 characters (ipset names are at most 31).
 */
import { base32Std, sha256Bytes } from '../../hash/index.js';

/** The family names kube-router hashes into names (`string(v1.IPv4Protocol)`). */
export type KrFamily = 'IPv4' | 'IPv6';

/** `4 | 6` → `IPv4 | IPv6`. */
export function krFamily(family: 4 | 6): KrFamily {
  return family === 4 ? 'IPv4' : 'IPv6';
}

/** Chain names kube-router always has. */
export const KR_CHAINS = {
  input: 'KUBE-ROUTER-INPUT',
  forward: 'KUBE-ROUTER-FORWARD',
  output: 'KUBE-ROUTER-OUTPUT',
  default: 'KUBE-NWPLCY-DEFAULT',
  common: 'KUBE-NWPLCY-COMMON',
} as const;

/** The built-in chains kube-router jumps from, with its chain for each (defaultChains). */
export const KR_TOP_CHAINS = [
  ['INPUT', KR_CHAINS.input],
  ['FORWARD', KR_CHAINS.forward],
  ['OUTPUT', KR_CHAINS.output],
] as const;

/** Marks: 0x10000 "a policy (or the default chain) accepted it", 0x20000 "passed the pod's firewall". */
export const KR_MARK = { matched: '0x10000/0x10000', passed: '0x20000/0x20000' } as const;

/** `base32(sha256(text))[:16]`. */
export function krHash(text: string): string {
  return base32Std(sha256Bytes(text)).slice(0, 16);
}

/** podFirewallChainName: `KUBE-POD-FW-` + hash(namespace + name + version). */
export function podFirewallChainName(namespace: string, pod: string, version: string): string {
  return `KUBE-POD-FW-${krHash(namespace + pod + version)}`;
}

/** networkPolicyChainName: `KUBE-NWPLCY-` + hash(namespace + name + version + family). */
export function networkPolicyChainName(namespace: string, policy: string, version: string, family: KrFamily): string {
  return `KUBE-NWPLCY-${krHash(namespace + policy + version + family)}`;
}

/** utils.IPSetName: IPv6 sets live beside IPv4 ones under an `inet6:` prefix. */
export function ipSetName(name: string, family: KrFamily): string {
  return family === 'IPv6' && !name.startsWith('inet6:') ? `inet6:${name}` : name;
}

type SetPrefix = 'KUBE-SRC-' | 'KUBE-DST-';

function setName(prefix: SetPrefix, hashed: string, family: KrFamily): string {
  return ipSetName(prefix + krHash(hashed), family);
}

/** The ipsets of one policy, named as policy.go's policy…IPSetName functions name them. */
export const krSetNames = {
  /** policySourcePodIPSetName: the selected pods, as egress sources. */
  targetSource: (ns: string, policy: string, f: KrFamily) => setName('KUBE-SRC-', ns + policy + f, f),
  /** policyDestinationPodIPSetName: the selected pods, as ingress destinations. */
  targetDestination: (ns: string, policy: string, f: KrFamily) => setName('KUBE-DST-', ns + policy + f, f),
  /** policyIndexedSourcePodIPSetName: ingress rule `rule`'s peer pods. */
  ingressPeers: (ns: string, policy: string, rule: number, f: KrFamily) => setName('KUBE-SRC-', `${ns}${policy}ingressrule${rule}${f}pod`, f),
  /** policyIndexedDestinationPodIPSetName: egress rule `rule`'s peer pods. */
  egressPeers: (ns: string, policy: string, rule: number, f: KrFamily) => setName('KUBE-DST-', `${ns}${policy}egressrule${rule}${f}pod`, f),
  /** policyIndexedSourceIPBlockIPSetName: ingress rule `rule`'s ipBlocks. */
  ingressIpBlock: (ns: string, policy: string, rule: number, f: KrFamily) => setName('KUBE-SRC-', `${ns}${policy}ingressrule${rule}${f}ipblock`, f),
  /** policyIndexedDestinationIPBlockIPSetName: egress rule `rule`'s ipBlocks. */
  egressIpBlock: (ns: string, policy: string, rule: number, f: KrFamily) => setName('KUBE-DST-', `${ns}${policy}egressrule${rule}${f}ipblock`, f),
  /** policyIndexedIngressNamedPortIPSetName: the pods behind resolved named port `ep` of ingress rule `rule`. */
  ingressNamedPort: (ns: string, policy: string, rule: number, ep: number, f: KrFamily) => setName('KUBE-DST-', `${ns}${policy}ingressrule${rule}${ep}${f}namedport`, f),
  /** policyIndexedEgressNamedPortIPSetName: the same for egress rule `rule`. */
  egressNamedPort: (ns: string, policy: string, rule: number, ep: number, f: KrFamily) => setName('KUBE-DST-', `${ns}${policy}egressrule${rule}${ep}${f}namedport`, f),
};

/**
 * ensureTopLevelChains' addUUIDForRuleSpec: hash(chain + the rule's words joined without
 * spaces), appended to the rule's comment as ` - <uuid>`; the words are the rule as kube-router
 * passes them to iptables, before the UUID is added.
 */
export function topLevelRuleUuid(chain: string, words: readonly string[]): string {
  return krHash(chain + words.join(''));
}
