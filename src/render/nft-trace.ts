/**
 * `netsim nft trace` output in the shape of `nft monitor trace`: for each base chain entered a
 * `trace id ID FAMILY TABLE CHAIN packet: …` line, then `… rule RULE (verdict V)` for every rule
 * that matched, and `… policy accept` when the policy decided (with `meta mark 0x…` when the
 * packet carries a mark, and the trailing space nft prints). The packet line keeps what netsim
 * models (devices, addresses, ports); the kernel's also shows Ethernet, TTL, id, length and
 * TCP window. JSON: the `iptables trace` document with an `nft` list of those events.
 */
import { formatIp } from '../addr/ip.js';
import type { Packet } from '../packet/packet.js';
import type { HostTracePath, HostTraceResult, NftTraceEvent } from '../trace/iptables-trace.js';
import { iptablesTraceJson } from './iptables-trace.js';
import { packetText } from './packet-text.js';
import { PLAIN, type Style } from './style.js';

/** The id netsim prints where the kernel prints a random 32-bit trace id. */
export const NETSIM_TRACE_ID = '00000001';

const L4_NAMES: Readonly<Record<string, string>> = { tcp: 'tcp', udp: 'udp', sctp: 'sctp' };

/** `iif "eth0" oif "eth1" ip saddr A ip daddr B tcp sport S tcp dport D`. */
export function nftPacketText(p: Packet, inDev: string | undefined, outDev: string | undefined): string {
  const parts: string[] = [];
  if (inDev !== undefined) parts.push(`iif "${inDev}"`);
  if (outDev !== undefined) parts.push(`oif "${outDev}"`);
  const ip = p.ip.family === 4 ? 'ip' : 'ip6';
  parts.push(`${ip} saddr ${formatIp(p.ip.src)} ${ip} daddr ${formatIp(p.ip.dst)}`);
  const l4 = p.l4;
  const name = L4_NAMES[l4.proto];
  if (name !== undefined && 'sport' in l4) parts.push(`${name} sport ${l4.sport} ${name} dport ${l4.dport}`);
  else if (l4.proto === 'icmp' || l4.proto === 'icmpv6') parts.push(`${l4.proto === 'icmp' ? 'icmp' : 'icmpv6'} type ${l4.type}`);
  return parts.join(' ');
}

/** One `nft monitor trace` line. */
export function nftTraceLine(e: NftTraceEvent, id: string = NETSIM_TRACE_ID): string {
  const head = `trace id ${id} ${e.family} ${e.table} ${e.chain}`;
  switch (e.kind) {
    case 'nft-hook':
      return `${head} packet: ${nftPacketText(e.packet, e.inDev, e.outDev)} `;
    case 'nft-rule':
      return `${head} rule ${e.rule} (verdict ${e.verdict})`;
    case 'nft-policy':
      return `${head} policy ${e.policy} ${e.mark !== 0 ? `meta mark 0x${e.mark.toString(16).padStart(8, '0')} ` : ''}`;
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** The text of one trace: the monitor lines, NAT, the verdict and the packet after. */
export function nftTraceText(input: { readonly packetBefore: Packet }, r: HostTraceResult, style: Style = PLAIN): string {
  const out = [`${style.bold('packet')}  ${packetText(input.packetBefore)}`, ''];
  for (const e of r.nft ?? []) out.push(nftTraceLine(e));
  if (r.nat.length > 0) out.push('');
  for (const n of r.nat) out.push(style.note(`${n.hook} ${n.by}: ${n.field} ${n.from} → ${n.to}`));
  const reject = r.rejectWith !== undefined ? ` (${r.rejectWith})` : '';
  const by = r.decidedBy !== undefined ? ` by ${r.decidedBy}` : '';
  out.push('', `${style.bold('verdict')} ${r.verdict}${reject}${by}`, `${style.bold('packet')}  ${packetText(r.packet)}`);
  for (const h of r.hints ?? []) out.push(style.note(`hint: ${h}`));
  return `${out.join('\n')}\n`;
}

/** Every path (`--all-paths`), each with its probability. */
export function nftPathsText(input: { readonly packetBefore: Packet }, paths: readonly HostTracePath[], style: Style = PLAIN): string {
  return paths.map((p, i) => `${style.accent(`path ${i + 1}/${paths.length}  probability ${(p.probability * 100).toFixed(2)}%`)}\n${nftTraceText(input, p, style)}`).join('\n');
}

/** JSON: the iptables trace document plus the nft events. */
export function nftTraceJson(r: HostTraceResult, paths?: readonly HostTracePath[]): string {
  const doc = JSON.parse(iptablesTraceJson(r, paths)) as Record<string, unknown>;
  const lines = (x: HostTraceResult) => (x.nft ?? []).map((e) => nftTraceLine(e));
  doc['nft'] = lines(r);
  if (paths !== undefined) doc['paths'] = (doc['paths'] as Record<string, unknown>[]).map((p, i) => ({ ...p, nft: lines(paths[i] as HostTracePath) }));
  return `${JSON.stringify(doc, null, 2)}\n`;
}
