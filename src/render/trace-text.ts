/**
 * The human trace of `netsim trace`: a header with the flow, one block per hop (namespace), the
 * steps in order, NAT changes and the chosen backend made visible, the disposition in one line,
 * then the reply path. One formatting function per step type, in a table.
 */
import { assertNever } from '../diag/diagnostic.js';
import type { Hop, Step, Trace } from '../trace/types.js';
import { SUCCESS_DISPOSITIONS } from '../trace/types.js';
import type { PacketJson } from '../packet/json.js';
import { PLAIN, type Style } from './style.js';

/** `tcp 10.244.0.2:40000 → 10.96.0.10:80` from the JSON packet form. */
export function packetJsonText(p: PacketJson): string {
  const host = (a: string) => (a.includes(':') ? `[${a}]` : a);
  if (p.sport !== undefined && p.dport !== undefined) return `${p.proto} ${host(p.src)}:${p.sport} → ${host(p.dst)}:${p.dport}`;
  return `${p.proto} ${p.src} → ${p.dst} (type ${p.icmpType ?? '?'} code ${p.icmpCode ?? '?'})`;
}

/**
 * An encapsulated packet, header by header as on the wire: each outer IP (with UDP and VXLAN for
 * VXLAN, and the inner Ethernet addresses), then the inner packet. Nothing for a plain packet.
 */
function encapLines(p: PacketJson): string[] {
  if (p.encap === undefined) return [];
  const pad = ' '.repeat(11);
  const outer = p.encap.map((o) =>
    o.kind === 'vxlan'
      ? `${pad}  outer  ip ${o.src} → ${o.dst} ttl ${o.ttl}  udp ${o.sport} → ${o.dport}  vxlan vni ${o.vni}  inner eth ${o.innerSrcMac} → ${o.innerDstMac}`
      : `${pad}  outer  ip ${o.src} → ${o.dst} ttl ${o.ttl}  ipip`,
  );
  return [...outer, `${pad}  inner  ${packetJsonText(p)}  ttl ${p.ttl}`];
}

/** Names an address for people (`pod default/b-2`), when it belongs to something in the scenario. */
export type AddressNamer = (addr: string) => string | undefined;

const NO_NAMES: AddressNamer = () => undefined;

/** One line (or two, for a rule and its verdict) per step. */
function stepLines(s: Step, style: Style, nameOf: AddressNamer): string[] {
  const tag = (t: string) => style.dim(`${t.padEnd(10)} `);
  switch (s.type) {
    case 'receive':
      if (s.packet.encap !== undefined) return [`${tag('receive')}${s.dev}`, ...encapLines(s.packet)];
      return [`${tag('receive')}${s.dev}  ${packetJsonText(s.packet)}  ttl ${s.packet.ttl}`];
    case 'transmit':
      if (s.packet.encap !== undefined) return [`${tag('transmit')}${s.dev}${s.eth !== undefined ? `  eth ${s.eth.src} → ${s.eth.dst}` : ''}`, ...encapLines(s.packet)];
      return [`${tag('transmit')}${s.dev}  ${packetJsonText(s.packet)}  ttl ${s.packet.ttl}`];
    case 'veth':
      return [`${tag('veth')}${s.dev} → ${s.peerDev} in ${s.peerNs}`];
    case 'bridge':
      return [`${tag('bridge')}${s.bridge}: from ${s.inPort}, ${s.dstMac} ${s.result}${s.outPorts.length > 0 ? ` → ${s.outPorts.join(', ')}` : ''}`];
    case 'route':
      return [`${tag('route')}${s.dst} → ${s.result} (table ${s.table}: ${s.route})`];
    case 'neighbor':
      return [`${tag('neighbor')}${s.ip} dev ${s.dev} ${s.mac !== null ? `lladdr ${s.mac} ` : ''}${s.state}${s.proxyArp !== undefined ? `, answered by proxy ARP on ${s.proxyArp.dev} in ${s.proxyArp.ns}` : ''}`];
    case 'netfilter':
      return [`${tag(s.table)}${style.dim(`${where(s.hook, s.chain)} #${s.position}`)}  ${s.rule}`, `${' '.repeat(11)}  → ${verdictStyle(s.verdict, style)}`];
    case 'policy':
      return [`${tag(s.table)}${style.dim(where(s.hook, s.chain))}  policy ${verdictStyle(s.policy, style)}`];
    case 'nft-rule':
      return [`${tag('nft')}${style.dim(`${s.family} ${s.table} ${s.chain} #${s.position}`)}  ${s.rule}`, `${' '.repeat(11)}  → ${verdictStyle(s.verdict, style)}`];
    case 'nft-policy':
      return [`${tag('nft')}${style.dim(`${s.family} ${s.table} ${s.chain}`)}  policy ${verdictStyle(s.policy, style)}`];
    case 'conntrack':
      return [`${tag('conntrack')}${s.action}: ${s.entry}`];
    case 'nat': {
      // Name the new address: after DNAT this is the backend the Service chose.
      const who = s.field === 'src' || s.field === 'dst' ? nameOf(s.to) : undefined;
      return [`${tag(s.by)}${style.note(`${s.field} ${s.from} → ${s.to}`)}${who !== undefined ? style.accent(`  (${who})`) : ''}`];
    }
    case 'ttl':
      return [`${tag('ttl')}${s.from} → ${s.to}`];
    case 'fragment':
      return [`${tag('fragment')}${style.note(`${s.length} bytes > mtu ${s.mtu} of ${s.dev}, DF clear: ${s.fragments} fragments`)} (the trace follows the first, ${s.first} bytes)`];
    case 'encap':
      return [`${tag('encap')}${s.dev}: ${s.outer}`];
    case 'decap':
      return [`${tag('decap')}${s.dev}: ${s.outer}`];
    case 'deliver':
      return [`${tag('deliver')}${style.good(`to a socket, via ${s.dev}`)}  ${packetJsonText(s.packet)}`];
    case 'drop':
      return [`${tag('drop')}${style.bad(`${s.reason}: ${s.detail}`)}`];
    case 'note':
      return [`${tag('note')}${style.note(s.text)}`];
    default:
      return assertNever(s, 'step');
  }
}

/** `PREROUTING` for a built-in chain, `PREROUTING/KUBE-SERVICES` for a chain reached from a hook. */
function where(hook: string, chain: string): string {
  return hook === chain ? chain : `${hook}/${chain}`;
}

function verdictStyle(v: string, style: Style): string {
  if (v === 'ACCEPT' || v === 'accept') return style.good(v);
  if (v === 'DROP' || v === 'REJECT' || v === 'drop') return style.bad(v);
  return style.accent(v);
}

function hopBlock(h: Hop, n: number, style: Style, nameOf: AddressNamer): string[] {
  return [style.bold(`[${n}] ${h.label}`) + style.dim(`  (netns ${h.ns})`), ...h.steps.flatMap((s) => stepLines(s, style, nameOf).map((l) => `    ${l}`))];
}

/** One direction: hops, then the disposition line. */
export function traceText(t: Trace, style: Style = PLAIN, nameOf: AddressNamer = NO_NAMES): string {
  const lines = t.hops.flatMap((h, i) => [...hopBlock(h, i + 1, style, nameOf), '']);
  const ok = SUCCESS_DISPOSITIONS.has(t.ending.disposition);
  const disp = ok ? style.good(t.ending.disposition) : style.bad(t.ending.disposition);
  lines.push(`${style.bold('result')}  ${disp}: ${t.ending.detail}`, `${style.bold('packet')}  ${packetJsonText(t.ending.packet)}`);
  return lines.join('\n');
}

/** The whole round trip: a header, the forward trace, and the reply. */
export function roundTripText(
  input: { readonly header: string; readonly forward: Trace; readonly reply?: Trace; readonly probability?: number },
  style: Style = PLAIN,
  nameOf: AddressNamer = NO_NAMES,
): string {
  const parts = [style.bold(input.header) + (input.probability !== undefined ? style.accent(`  (probability ${(input.probability * 100).toFixed(2)}%)`) : ''), '', traceText(input.forward, style, nameOf)];
  if (input.reply !== undefined) parts.push('', style.bold('reply'), '', traceText(input.reply, style, nameOf));
  return `${parts.join('\n')}\n`;
}
