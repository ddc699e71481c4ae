/**
 * syncPodFirewallChains (pod.go): a `KUBE-POD-FW-<h>` chain per actionable pod of this node
 * with an address of the family, and the jumps to it from KUBE-ROUTER-{INPUT,FORWARD,OUTPUT}.
 *
 * kube-router writes the head of the chain with `-I CHAIN 1` (so it reads bottom-up in the
 * payload) and the tail with `-A`; in the kernel the chain is, top to bottom:
 *
 *   -j KUBE-NWPLCY-COMMON                        (INVALID drop, ESTABLISHED accept, some ICMP)
 *   -m addrtype --src-type LOCAL -d POD -j ACCEPT (the node itself may always reach its pods)
 *   [-s POD -j KUBE-NWPLCY-DEFAULT]              (no policy isolates its egress: mark 0x10000)
 *   [-d POD -j KUBE-NWPLCY-DEFAULT]              (no policy isolates its ingress)
 *   [-d POD|-s POD|·] -j KUBE-NWPLCY-<h>         (each selecting policy, last first)
 *   ! --mark 0x10000 -j NFLOG; ! --mark 0x10000 -j REJECT
 *   -j MARK --set-mark 0/0x10000; -j MARK --set-mark 0x20000/0x20000
 *
 * and the top-level chains end (ensureExplicitAccept) with `--mark 0x20000/0x20000 -j ACCEPT`.
 */
import { type Ip, formatIp } from '../../addr/index.js';
import type { KrPolicyInfo } from './info.js';
import { type KrPod, isActionable } from './input.js';
import { KR_CHAINS, KR_MARK, krFamily, networkPolicyChainName, podFirewallChainName } from './names.js';

/** The local pods kube-router firewalls (getLocalPods): actionable, on this node. */
export function localPods(pods: readonly KrPod[], nodeName: string): KrPod[] {
  return pods.filter((p) => p.nodeName === nodeName && isActionable(p));
}

/** The payload lines of every local pod's chain and jumps, for one family. */
export function podChains(pods: readonly KrPod[], policies: readonly KrPolicyInfo[], version: string, family: 4 | 6): string[] {
  const lines: string[] = [];
  for (const pod of pods) {
    const ip = pod.ips.find((a) => a.family === family);
    if (ip === undefined) continue; // not dual-stack: no chain in this family
    const chain = podFirewallChainName(pod.namespace, pod.name, version);
    lines.push(`:${chain}`, ...netpolRules(pod, chain, ip, policies, version, family), ...interceptRules(pod, chain, ip), ...tailRules(pod, chain));
  }
  return lines;
}

/** setupPodNetpolRules: the `-I CHAIN 1` lines, in the order kube-router writes them. */
function netpolRules(pod: KrPod, chain: string, ip: Ip, policies: readonly KrPolicyInfo[], version: string, family: 4 | 6): string[] {
  const addr = formatIp(ip);
  const primary = formatIp(pod.ips[0] as Ip);
  const out: string[] = [];
  let hasIngress = false;
  let hasEgress = false;
  for (const p of policies) {
    // targetPods is keyed by the pod's primary address.
    if (!p.targetPods.some((t) => formatIp(t.ips[0] as Ip) === primary)) continue;
    const target = networkPolicyChainName(p.namespace, p.name, version, krFamily(family));
    const comment = `-m comment --comment "run through nw policy ${p.name}" -j ${target}`;
    if (p.type !== 'egress') hasIngress = true;
    if (p.type !== 'ingress') hasEgress = true;
    const dir = p.type === 'both' ? '' : p.type === 'ingress' ? `-d ${addr} ` : `-s ${addr} `;
    out.push(`-I ${chain} 1 ${dir}${comment} `);
  }
  if (!hasIngress) out.push(`-I ${chain} 1 -d ${addr} -m comment --comment "run through default ingress network policy chain" -j ${KR_CHAINS.default} `);
  if (!hasEgress) out.push(`-I ${chain} 1 -s ${addr} -m comment --comment "run through default egress network policy chain" -j ${KR_CHAINS.default} `);
  out.push(`-I ${chain} 1 -m comment --comment "rule to permit the traffic traffic to pods when source is the pod's local node" -m addrtype --src-type LOCAL -d ${addr} -j ACCEPT `);
  out.push(`-I ${chain} 1 -m comment --comment "common bi-directional traffic policy rules" -j ${KR_CHAINS.common} `);
  return out;
}

/** interceptPodInboundTraffic, then interceptPodOutboundTraffic. */
function interceptRules(pod: KrPod, chain: string, ip: Ip): string[] {
  const addr = formatIp(ip);
  const to = `"rule to jump traffic destined to POD name:${pod.name} namespace: ${pod.namespace} to chain ${chain}"`;
  const from = `"rule to jump traffic from POD name:${pod.name} namespace: ${pod.namespace} to chain ${chain}"`;
  return [
    `-A ${KR_CHAINS.forward} -m comment --comment ${to} -d ${addr} -j ${chain}`,
    `-A ${KR_CHAINS.output} -m comment --comment ${to} -d ${addr} -j ${chain}`,
    `-A ${KR_CHAINS.forward} -m physdev --physdev-is-bridged -m comment --comment ${to} -d ${addr} -j ${chain} `,
    // Go ranges over the defaultChains map (random order); one rule per chain either way.
    ...[KR_CHAINS.input, KR_CHAINS.forward, KR_CHAINS.output].map((top) => `-A ${top} -m comment --comment ${from} -s ${addr} -j ${chain} `),
    `-A ${KR_CHAINS.forward} -m physdev --physdev-is-bridged -m comment --comment ${from} -s ${addr} -j ${chain} `,
  ];
}

/** dropUnmarkedTrafficRules, then the mark that tells the top-level chain to ACCEPT. */
function tailRules(pod: KrPod, chain: string): string[] {
  return [
    `-A ${chain} -m comment --comment "rule to log dropped traffic POD name:${pod.name} namespace: ${pod.namespace}" -m mark ! --mark ${KR_MARK.matched} -j NFLOG --nflog-group 100 -m limit --limit 10/minute --limit-burst 10 `,
    `-A ${chain} -m comment --comment "rule to REJECT traffic destined for POD name:${pod.name} namespace: ${pod.namespace}" -m mark ! --mark ${KR_MARK.matched} -j REJECT `,
    `-A ${chain} -j MARK --set-mark 0/0x10000 `,
    `-A ${chain} -m comment --comment "set mark to ACCEPT traffic that comply to network policies" -j MARK --set-mark ${KR_MARK.passed} `,
  ];
}
