/**
 * Text and JSON renderings of `netsim iptables trace`. The JSON shape is documented in
 * docs/trace-schema.md (section "iptables trace").
 */
import type { HostStep, HostTracePath, HostTraceResult } from '../trace/iptables-trace.js';
import { type PacketJson, packetJson } from '../packet/json.js';
import { packetText } from './packet-text.js';
import { PLAIN, type Style } from './style.js';

/** Version of the `iptables trace` JSON; bumped on incompatible changes. */
export const IPTABLES_TRACE_SCHEMA = 'netsim.iptables-trace/v1';

/** JSON of one path. */
export interface IptablesTraceJson {
  readonly verdict: string;
  readonly rejectWith?: string;
  readonly decidedBy?: string;
  readonly hooks: readonly string[];
  readonly packet: PacketJson;
  readonly steps: readonly Record<string, string | number>[];
  readonly nat: readonly HostTraceResult['nat'][number][];
  readonly probability?: number;
  readonly unmodelled?: HostTraceResult['unmodelled'];
  readonly hints?: HostTraceResult['hints'];
}

function stepJson(s: HostStep): Record<string, string | number> {
  return 'policy' in s
    ? { hook: s.hook, table: s.table, chain: s.chain, policy: s.policy }
    : { hook: s.hook, table: s.table, chain: s.chain, position: s.position, rule: s.rule, verdict: s.verdict };
}

function resultJson(r: HostTraceResult): IptablesTraceJson {
  return {
    verdict: r.verdict,
    ...(r.rejectWith !== undefined ? { rejectWith: r.rejectWith } : {}),
    ...(r.decidedBy !== undefined ? { decidedBy: r.decidedBy } : {}),
    hooks: r.hooks,
    packet: packetJson(r.packet),
    steps: r.steps.map(stepJson),
    nat: r.nat,
    ...(r.unmodelled !== undefined ? { unmodelled: r.unmodelled } : {}),
    ...(r.hints !== undefined ? { hints: r.hints } : {}),
  };
}

/** The JSON document for a single trace, or for all paths (`--all-paths`). */
export function iptablesTraceJson(r: HostTraceResult, paths?: readonly HostTracePath[]): string {
  const doc = {
    schema: IPTABLES_TRACE_SCHEMA,
    ...resultJson(r),
    ...(paths !== undefined ? { paths: paths.map((p) => ({ probability: p.probability, ...resultJson(p) })) } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The human-readable trace: one block per hook, the rules met in order, NAT and the verdict. */
export function iptablesTraceText(input: { readonly packetBefore: HostTraceResult['packet'] }, r: HostTraceResult, style: Style = PLAIN): string {
  const out: string[] = [`${style.bold('packet')}  ${packetText(input.packetBefore)}`];
  for (const hook of r.hooks) {
    out.push('', style.bold(hook));
    for (const s of r.steps.filter((x) => x.hook === hook)) {
      const where = `${s.table.padEnd(6)} ${s.chain}`;
      if ('policy' in s) out.push(`  ${style.dim(where)}  policy ${verdictStyle(s.policy, style)}`);
      else out.push(`  ${style.dim(`${where} #${s.position}`)}  ${s.rule}`, `      → ${verdictStyle(s.verdict, style)}`);
    }
    for (const n of r.nat.filter((x) => x.hook === hook)) out.push(`  ${style.note(`${n.by}: ${n.field} ${n.from} → ${n.to}`)}`);
  }
  for (const u of r.unmodelled ?? []) {
    out.push('', style.note(`? ${u.where}: this rule may or may not match: ${u.match} not modelled; this path assumes it ${u.matched ? 'matched' : 'did not match'}`));
  }
  const reject = r.rejectWith !== undefined ? ` (${r.rejectWith})` : '';
  const by = r.decidedBy !== undefined ? ` by ${r.decidedBy}` : '';
  out.push('', `${style.bold('verdict')} ${verdictStyle(r.verdict, style)}${reject}${by}`, `${style.bold('packet')}  ${packetText(r.packet)}`);
  for (const h of r.hints ?? []) out.push(style.note(`hint: ${h}`));
  return `${out.join('\n')}\n`;
}

/** All paths: a header per path with its probability, then the path's trace. */
export function iptablesPathsText(input: { readonly packetBefore: HostTraceResult['packet'] }, paths: readonly HostTracePath[], style: Style = PLAIN): string {
  return paths
    .map((p, i) => {
      const unknown = p.unmodelled !== undefined ? ' (if the unmodelled matches go this way)' : '';
      return `${style.accent(`path ${i + 1}/${paths.length}  probability ${(p.probability * 100).toFixed(2)}%${unknown}`)}\n${iptablesTraceText(input, p, style)}`;
    })
    .join('\n');
}

function verdictStyle(v: string, style: Style): string {
  if (v === 'ACCEPT') return style.good(v);
  if (v === 'DROP' || v === 'REJECT') return style.bad(v);
  return style.accent(v);
}
