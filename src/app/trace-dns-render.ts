/**
 * Showing a DNS trace: the resolution block (resolv.conf, the search rule, each query and its
 * answer), the query packet's trace, then the connection's; and the same as JSON, the
 * netsim.trace/v1 document of the connection with a `resolution` member (docs/trace-schema.md).
 */
import { formatIp } from '../addr/ip.js';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import type { ZoneAnswer } from '../cluster/dns/zone.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import type { Style } from '../render/style.js';
import type { DnsOutcome, DnsTraceRun, Resolution } from './trace-dns.js';
import { traceRunJson, traceRunText } from './trace.js';

function answerText(a: ZoneAnswer): string {
  if (a.rcode !== 'NOERROR') return `${a.rcode}  (${a.what})`;
  if (a.type === 'CNAME') return `CNAME ${a.target}  (${a.what})`;
  return `${a.addrs.map(formatIp).join(' ')}  (${a.what})`;
}

function outcomeText(o: DnsOutcome): string {
  switch (o.kind) {
    case 'resolved':
      return `${o.name}${o.cname === undefined ? '' : ` → CNAME ${o.cname}`} → ${o.addrs.map(formatIp).join(', ')}${o.addrs.length > 1 ? '; connecting to the first, as a client taking the first answer would' : ''}`;
    case 'nxdomain':
    case 'no-answer':
    case 'outside':
      return o.detail;
    default:
      return o satisfies never;
  }
}

/** The disposition a lookup that gave no address ends the whole trace with. */
export function unresolvedDisposition(o: DnsOutcome): string {
  return o.kind === 'outside' ? 'EXITS_NETWORK' : o.kind === 'nxdomain' ? 'NXDOMAIN' : 'NO_ANSWER';
}

function resolutionText(r: Resolution, style: Style): string {
  const conf = r.resolvConf;
  const lines = [
    `${style.bold('resolve')} ${r.name} for ${r.client}`,
    ...r.notes.map((n) => `    note       ${n}`),
    `    resolv.conf  search ${conf.searches.join(' ') || '(none)'}; nameserver ${conf.nameservers.map(formatIp).join(' ') || '(none)'}; options ${conf.options.map((o) => (o.value === undefined ? o.name : `${o.name}:${o.value}`)).join(' ') || '(none)'}`,
    `    search     ${r.rule}`,
    ...r.queries.map((q) => `    query      ${q.name} → ${answerText(q.answer)}`),
    `    ${style.bold('answer')}     ${outcomeText(r.outcome)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `netsim trace POD NAME` for a DNS name: resolution, the query's trace, the connection's trace. */
export function dnsTraceText(built: BuiltCluster, run: DnsTraceRun, style: Style): string {
  const r = run.resolution;
  const parts = [resolutionText(r, style)];
  if (r.lookup !== undefined) parts.push(`${style.bold('lookup')}  the query, udp to port 53 (each name above takes this path)\n\n${traceRunText(built, r.lookup, style)}`);
  if (run.connection !== undefined) parts.push(`${style.bold('connection')}  to the answer\n\n${traceRunText(built, run.connection, style)}`);
  else parts.push(`${style.bold('result')}  ${unresolvedDisposition(r.outcome)}: ${outcomeText(r.outcome)}\n`);
  return parts.join('\n');
}

/** The JSON: the connection's netsim.trace/v1 document (or a disposition alone) with `resolution`. */
export function dnsTraceJson(run: DnsTraceRun, warnings: readonly Diagnostic[] = []): string {
  const r = run.resolution;
  const resolution = {
    name: r.name,
    client: r.client,
    resolvConf: { nameservers: r.resolvConf.nameservers.map(formatIp), searches: r.resolvConf.searches, options: r.resolvConf.options },
    notes: r.notes,
    search: r.rule,
    queries: r.queries.map((q) => ({ name: q.name, ...answerJson(q.answer) })),
    outcome: outcomeJson(r.outcome),
    ...(r.lookup !== undefined ? { lookup: JSON.parse(traceRunJson(r.lookup)) as unknown } : {}),
  };
  if (run.connection !== undefined) {
    const doc = JSON.parse(traceRunJson(run.connection, warnings)) as Record<string, unknown>;
    return `${JSON.stringify({ ...doc, resolution }, null, 2)}\n`;
  }
  const doc = { schema: 'netsim.trace/v1', disposition: unresolvedDisposition(r.outcome), resolution };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function answerJson(a: ZoneAnswer): Record<string, unknown> {
  if (a.rcode !== 'NOERROR') return { rcode: a.rcode, detail: a.what };
  if (a.type === 'CNAME') return { rcode: a.rcode, type: 'CNAME', target: a.target, detail: a.what };
  return { rcode: a.rcode, type: 'A', addresses: a.addrs.map(formatIp), detail: a.what };
}

function outcomeJson(o: DnsOutcome): Record<string, unknown> {
  if (o.kind !== 'resolved') return { kind: o.kind, detail: o.detail };
  return { kind: o.kind, name: o.name, addresses: o.addrs.map(formatIp), detail: o.what, ...(o.cname === undefined ? {} : { cname: o.cname }) };
}
