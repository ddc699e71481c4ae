/**
 * syncNetworkPolicyChains (policy.go): one `KUBE-NWPLCY-<h>` chain per policy and family, and
 * the ipsets its rules match. Every rule is a pair (appendRuleToPolicyChain): the match with
 * `-j MARK --set-xmark 0x10000/0x10000`, then the same match with `-m mark --mark
 * 0x10000/0x10000 -j RETURN`, so the first rule that matches marks the packet and leaves.
 *
 * Ingress rules match `src` in the peers' set and `dst` in the policy's selected pods
 * (KUBE-DST-…); egress rules `src` in the selected pods (KUBE-SRC-…) and `dst` in the peers'.
 * A policy of both types keeps both kinds in one chain, which the pod chain runs for traffic
 * in either direction (see docs/netpol.md: kube-router's deviations).
 */
import { formatIp } from '../../addr/index.js';
import { expandElement } from '../../kernel/netfilter/ipset/index.js';
import type { KrIpBlockEntry, KrNamedEndpoints, KrPolicyInfo, KrPort, KrRule } from './info.js';
import type { KrPod } from './input.js';
import { KR_MARK, type KrFamily, krFamily, krSetNames, networkPolicyChainName } from './names.js';

/** One ipset as kube-router's handler holds it before `ipset restore`: `create NAME TYPE timeout 0`. */
export interface KrSet {
  readonly name: string;
  readonly type: 'hash:ip' | 'hash:net';
  /** Elements as `ipset save` prints them (`10.244.1.5 timeout 0`, `10.1.0.0/16 timeout 0 nomatch`). */
  readonly members: readonly string[];
}

/** What one family's policy chains add: payload lines (chain declarations first) and sets. */
export interface KrPolicyChains {
  readonly lines: readonly string[];
  readonly sets: readonly KrSet[];
}

/** The writer state of one family: the lines so far and the sets by name (RefreshSet keeps the first type). */
class Writer {
  readonly lines: string[] = [];
  readonly sets = new Map<string, KrSet>();
  constructor(readonly family: 4 | 6) {}
  refresh(name: string, type: KrSet['type'], members: readonly string[]): void {
    this.sets.set(name, { name, type: this.sets.get(name)?.type ?? type, members });
  }
}

/** getIPsFromPods: each pod's first address of the family. */
function firstIps(pods: readonly KrPod[], family: 4 | 6): string[] {
  return pods.flatMap((p) => {
    const ip = p.ips.find((a) => a.family === family);
    return ip === undefined ? [] : [`${formatIp(ip)} timeout 0`];
  });
}

function endpointIps(ep: KrNamedEndpoints, family: 4 | 6): string[] {
  return ep.ips.filter((a) => a.family === family).map((a) => `${formatIp(a)} timeout 0`);
}

/** hash:net entries as `ipset save` prints them: a full-length prefix loses its `/32` (`/128`). */
function blockMembers(entries: readonly KrIpBlockEntry[], family: 4 | 6): string[] {
  return entries.map((e) => `${expandElement('hash:net', family, e.cidr)?.[0] ?? e.cidr} timeout 0${e.nomatch ? ' nomatch' : ''}`);
}

/** appendRuleToPolicyChain: the MARK rule and the RETURN rule for one match. */
function appendPolicyRule(w: Writer, chain: string, comment: string, m: { src?: string; dst?: string; port?: KrPort | KrNamedEndpoints }): void {
  const args = ['-A', chain, '-m', 'comment', '--comment', `"${comment}"`];
  if (m.src !== undefined) args.push('-m', 'set', '--match-set', m.src, 'src');
  if (m.dst !== undefined) args.push('-m', 'set', '--match-set', m.dst, 'dst');
  if (m.port !== undefined) {
    args.push('-p', m.port.protocol);
    const end = 'endPort' in m.port ? m.port.endPort : undefined;
    if (m.port.port !== undefined) args.push('--dport', end === undefined ? String(m.port.port) : `${m.port.port}:${end}`);
  }
  w.lines.push(`${[...args, '-j', 'MARK', '--set-xmark', KR_MARK.matched].join(' ')} `);
  w.lines.push(`${[...args, '-m', 'mark', '--mark', KR_MARK.matched, '-j', 'RETURN'].join(' ')} `);
}

/** The policy chains and sets of one family. */
export function policyChains(policies: readonly KrPolicyInfo[], version: string, family: 4 | 6): KrPolicyChains {
  const w = new Writer(family);
  const f = krFamily(family);
  for (const p of policies) {
    const chain = networkPolicyChainName(p.namespace, p.name, version, f);
    w.lines.push(`:${chain}`);
    const targets = p.targetPods.flatMap((pod) => pod.ips.filter((a) => a.family === family).map((a) => `${formatIp(a)} timeout 0`));
    if (p.type !== 'egress') {
      const dst = krSetNames.targetDestination(p.namespace, p.name, f);
      w.refresh(dst, 'hash:ip', targets);
      p.ingress.forEach((r, i) => ingressRule(w, { p, chain, f, target: dst }, r, i));
    }
    if (p.type !== 'ingress') {
      const src = krSetNames.targetSource(p.namespace, p.name, f);
      w.refresh(src, 'hash:ip', targets);
      p.egress.forEach((r, i) => egressRule(w, { p, chain, f, target: src }, r, i));
    }
  }
  return { lines: w.lines, sets: [...w.sets.values()] };
}

interface Ctx {
  readonly p: KrPolicyInfo;
  readonly chain: string;
  readonly f: KrFamily;
  /** The selected pods' set: KUBE-DST-… for ingress, KUBE-SRC-… for egress. */
  readonly target: string;
}

/** processIngressRules for rule `i`. */
function ingressRule(w: Writer, c: Ctx, r: KrRule, i: number): void {
  const { p, chain, f } = c;
  const fromPods = `rule to ACCEPT traffic from source pods to dest pods selected by policy name ${p.name} namespace ${p.namespace}`;
  const fromAll = `rule to ACCEPT traffic from all sources to dest pods selected by policy name: ${p.name} namespace ${p.namespace}`;
  const fromBlocks = `rule to ACCEPT traffic from specified ipBlocks to dest pods selected by policy name: ${p.name} namespace ${p.namespace}`;
  const namedSet = (ep: number, type: KrSet['type'], e: KrNamedEndpoints) => {
    const name = krSetNames.ingressNamedPort(p.namespace, p.name, i, ep, f);
    w.refresh(name, type, endpointIps(e, w.family));
    return name;
  };
  if (r.peerPods.length > 0) {
    const src = krSetNames.ingressPeers(p.namespace, p.name, i, f);
    w.refresh(src, 'hash:ip', firstIps(r.peerPods, w.family));
    for (const port of r.ports) appendPolicyRule(w, chain, fromPods, { src, dst: c.target, port });
    r.namedPorts.forEach((e, ep) => appendPolicyRule(w, chain, fromPods, { src, dst: namedSet(ep, 'hash:ip', e), port: e }));
    if (r.ports.length === 0 && r.namedPorts.length === 0) appendPolicyRule(w, chain, fromPods, { src, dst: c.target });
  }
  if (r.matchAllPeers && !r.matchAllPorts) {
    for (const port of r.ports) appendPolicyRule(w, chain, fromAll, { dst: c.target, port });
    r.namedPorts.forEach((e, ep) => appendPolicyRule(w, chain, fromAll, { dst: namedSet(ep, 'hash:ip', e), port: e }));
  }
  if (r.matchAllPeers && r.matchAllPorts) appendPolicyRule(w, chain, fromAll, { dst: c.target });
  const blocks = r.ipBlocks[w.family];
  if (blocks.length > 0) {
    const src = krSetNames.ingressIpBlock(p.namespace, p.name, i, f);
    w.refresh(src, 'hash:net', blockMembers(blocks, w.family));
    if (!r.matchAllPorts) {
      for (const port of r.ports) appendPolicyRule(w, chain, fromBlocks, { src, dst: c.target, port });
      r.namedPorts.forEach((e, ep) => appendPolicyRule(w, chain, fromBlocks, { src, dst: namedSet(ep, 'hash:net', e), port: e }));
    } else appendPolicyRule(w, chain, fromBlocks, { src, dst: c.target });
  }
}

/** processEgressRules for rule `i`. */
function egressRule(w: Writer, c: Ctx, r: KrRule, i: number): void {
  const { p, chain, f } = c;
  const toPods = `rule to ACCEPT traffic from source pods to dest pods selected by policy name ${p.name} namespace ${p.namespace}`;
  const toAll = `rule to ACCEPT traffic from source pods to all destinations selected by policy name: ${p.name} namespace ${p.namespace}`;
  const toBlocks = `rule to ACCEPT traffic from source pods to specified ipBlocks selected by policy name: ${p.name} namespace ${p.namespace}`;
  if (r.peerPods.length > 0) {
    const dst = krSetNames.egressPeers(p.namespace, p.name, i, f);
    w.refresh(dst, 'hash:ip', firstIps(r.peerPods, w.family));
    for (const port of r.ports) appendPolicyRule(w, chain, toPods, { src: c.target, dst, port });
    r.namedPorts.forEach((e, ep) => {
      const named = krSetNames.egressNamedPort(p.namespace, p.name, i, ep, f);
      w.refresh(named, 'hash:ip', endpointIps(e, w.family));
      appendPolicyRule(w, chain, toPods, { src: c.target, dst: named, port: e });
    });
    if (r.ports.length === 0 && r.namedPorts.length === 0) appendPolicyRule(w, chain, toPods, { src: c.target, dst });
  }
  if (r.matchAllPeers && !r.matchAllPorts) {
    for (const port of r.ports) appendPolicyRule(w, chain, toAll, { src: c.target, port });
    // A named port with no `to`: the number alone, to any destination (no set of the pods that name it).
    for (const e of r.namedPorts) appendPolicyRule(w, chain, toAll, { src: c.target, port: e });
  }
  if (r.matchAllPeers && r.matchAllPorts) appendPolicyRule(w, chain, toAll, { src: c.target });
  const blocks = r.ipBlocks[w.family];
  if (blocks.length > 0) {
    const dst = krSetNames.egressIpBlock(p.namespace, p.name, i, f);
    w.refresh(dst, 'hash:net', blockMembers(blocks, w.family));
    // Named ports towards an ipBlock are not rendered at all (no rule): kube-router loops over numeric ports only.
    if (!r.matchAllPorts) for (const port of r.ports) appendPolicyRule(w, chain, toBlocks, { src: c.target, dst, port });
    else appendPolicyRule(w, chain, toBlocks, { src: c.target, dst });
  }
}
