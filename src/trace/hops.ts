/**
 * Turning kernel events into hops and steps: consecutive events of one namespace form a hop; each
 * event becomes one step in the trace vocabulary (one function per event kind, in a table).
 */
import { formatIp } from '../addr/ip.js';
import { InternalError, assertNever } from '../diag/diagnostic.js';
import type { KernelEvent } from '../kernel/events.js';
import { packetJson } from '../packet/json.js';
import type { Hop, Step } from './types.js';

/** The step of one kernel event. */
export function stepOf(e: KernelEvent): Step {
  switch (e.kind) {
    case 'dev-rx':
      return { type: 'receive', dev: e.dev, packet: packetJson(e.packet) };
    case 'dev-tx':
      return { type: 'transmit', dev: e.dev, packet: packetJson(e.packet), ...(e.eth !== undefined ? { eth: e.eth } : {}) };
    case 'veth-cross':
      return { type: 'veth', dev: e.dev, peerNs: e.peerNs, peerDev: e.peerDev };
    case 'bridge-fdb':
      return { type: 'bridge', bridge: e.bridge, inPort: e.inPort, dstMac: e.dstMac, result: e.result, outPorts: e.outPorts };
    case 'route':
      return { type: 'route', table: e.table, dst: formatIp(e.dst), route: e.route, result: e.result };
    case 'neigh':
      return { type: 'neighbor', dev: e.dev, ip: formatIp(e.ip), mac: e.mac ?? null, state: e.state, ...(e.proxyArp !== undefined ? { proxyArp: e.proxyArp } : {}) };
    case 'nf-hook':
      throw new InternalError('nf-hook events are folded into netfilter steps');
    case 'nf-rule':
      return { type: 'netfilter', hook: e.hook, table: e.table, chain: e.chain, position: e.position, rule: e.rule, verdict: e.verdict };
    case 'nf-policy':
      return { type: 'policy', hook: e.hook, table: e.table, chain: e.chain, policy: e.policy };
    case 'nft-hook':
      throw new InternalError('nft-hook events are folded into nft steps');
    case 'nft-rule':
      return { type: 'nft-rule', hook: e.hook, family: e.family, table: e.table, chain: e.chain, position: e.position, rule: e.rule, verdict: e.verdict };
    case 'nft-policy':
      return { type: 'nft-policy', hook: e.hook, family: e.family, table: e.table, chain: e.chain, policy: e.policy };
    case 'conntrack':
      return { type: 'conntrack', action: e.action, entry: e.entry };
    case 'nat':
      return { type: 'nat', hook: e.hook, field: e.field, from: e.from, to: e.to, by: e.by };
    case 'ttl':
      return { type: 'ttl', from: e.from, to: e.to };
    case 'fragment':
      return { type: 'fragment', dev: e.dev, mtu: e.mtu, length: e.length, fragments: e.fragments, first: e.first };
    case 'encap':
      return { type: 'encap', dev: e.dev, outer: e.outer };
    case 'decap':
      return { type: 'decap', dev: e.dev, outer: e.outer };
    case 'deliver':
      return { type: 'deliver', dev: e.dev, packet: packetJson(e.packet) };
    case 'drop':
      return { type: 'drop', reason: e.reason, detail: e.detail };
    default:
      return assertNever(e, 'kernel event');
  }
}

/** Groups events into hops (a new hop whenever the namespace changes). `nf-hook` markers are dropped. */
export function hopsOf(events: readonly KernelEvent[], label: (ns: string) => string): Hop[] {
  const hops: { ns: string; label: string; steps: Step[] }[] = [];
  for (const e of events) {
    if (e.kind === 'nf-hook' || e.kind === 'nft-hook') continue;
    let last = hops[hops.length - 1];
    if (last === undefined || last.ns !== e.ns) {
      last = { ns: e.ns, label: label(e.ns), steps: [] };
      hops.push(last);
    }
    last.steps.push(stepOf(e));
  }
  return hops;
}
