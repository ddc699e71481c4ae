/**
 * Parser for `xtables-monitor --trace` (iptables 1.8.9, nf_tables backend). The format, found by
 * experiment on Linux 6.18 (fixtures in test/fixtures/kernel-diff/monitor/):
 *
 *   PACKET: 2 88bcefe9 IN=eth0 OUT=eth1 MACSRC=… SRC=192.168.0.1 DST=10.180.0.5 LEN=40 … SPORT=40000 DPORT=8080 SYN MARK=0x4000
 *    TRACE: 2 88bcefe9 nat:KUBE-SERVICES:rule:0xd:JUMP:KUBE-SVC-X  -4 -t nat -A KUBE-SERVICES -d 172.30.0.10/32 … -j KUBE-SVC-X
 *    TRACE: 2 88bcefe9 filter:B:rule:0x9:0xfffffffb  -4 -t filter -A B -m addrtype --dst-type LOCAL -j RETURN
 *    TRACE: 2 88bcefe9 nat:POSTROUTING:policy:ACCEPT
 *
 * `2` is NFPROTO_IPV4, the hex word is the trace id (one per packet), then `table:chain:` and either
 * `rule:HANDLE:VERDICT` followed by two spaces and the rule as `iptables-save` prints it (with a
 * `-4 -t TABLE` prefix), or `policy:VERDICT`. A PACKET line precedes each base chain with the
 * packet as that chain sees it. Verdicts: ACCEPT, DROP, CONTINUE (a non-terminal target or no
 * target), JUMP:X, GOTO:X, and RETURN printed as its raw code 0xfffffffb. Extension targets do not
 * name themselves: DNAT/SNAT/MASQUERADE answer ACCEPT, MARK answers CONTINUE, REJECT answers DROP.
 * Implicit returns at the end of a user chain print nothing.
 */
import { kernelVerdictName, netsimVerdict } from './rule-text.js';
import type { FlowPacket, Step } from './steps.js';

/** One PACKET line: its trace id and its KEY=VALUE words. */
export interface MonitorPacket {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** One TRACE line. `rule` is the iptables-save text without the `-4 -t TABLE` prefix. */
export interface MonitorTrace {
  readonly id: string;
  readonly table: string;
  readonly chain: string;
  readonly kind: 'rule' | 'policy' | 'return';
  readonly handle?: number;
  /** As printed (`JUMP:X`, `0xfffffffb`, `ACCEPT`). */
  readonly verdict: string;
  readonly rule?: string;
  /** The packet as the base chain this line belongs to saw it (the last PACKET line before it). */
  readonly packet?: MonitorPacket;
}

/** Everything the monitor printed, in order; lines it does not understand are kept for messages. */
export interface MonitorLog {
  readonly traces: readonly MonitorTrace[];
  readonly packets: readonly MonitorPacket[];
  readonly unknown: readonly string[];
}

const TRACE_RE = /^\s*TRACE: (\d+) ([0-9a-f]+) ([^:\s]+):([^:\s]+):(rule|policy|return)(?::(.*))?$/;
const RULE_RE = /^(0x[0-9a-f]+):(\S+)(?:\s+(.*))?$/;
const PACKET_RE = /^\s*PACKET: (\d+) ([0-9a-f]+)\s*(.*)$/;

/** Parses the whole output of `xtables-monitor --trace`. */
export function parseMonitor(text: string): MonitorLog {
  const traces: MonitorTrace[] = [];
  const packets: MonitorPacket[] = [];
  const unknown: string[] = [];
  let last: MonitorPacket | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const p = PACKET_RE.exec(line);
    if (p !== null) {
      last = { id: p[2] as string, fields: packetFields(p[3] ?? '') };
      packets.push(last);
      continue;
    }
    const t = traceLine(line, last);
    if (t !== undefined) traces.push(t);
    else unknown.push(line);
  }
  return { traces, packets, unknown };
}

function traceLine(line: string, packet: MonitorPacket | undefined): MonitorTrace | undefined {
  const m = TRACE_RE.exec(line);
  if (m === null) return undefined;
  const [, , id, table, chain, kind, rest] = m as unknown as [string, string, string, string, string, MonitorTrace['kind'], string | undefined];
  const base = { id, table, chain, kind, ...(packet !== undefined && packet.id === id ? { packet } : {}) };
  if (kind !== 'rule') return { ...base, verdict: (rest ?? '').trim() };
  const r = RULE_RE.exec((rest ?? '').trim());
  if (r === null) return undefined;
  const text = (r[3] ?? '').trim().replace(/^-4 -t \S+ /, '').replace(/^-6 -t \S+ /, '');
  return { ...base, handle: Number.parseInt(r[1] as string, 16), verdict: r[2] as string, rule: text };
}

function packetFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of text.trim().split(/\s+/)) {
    const eq = word.indexOf('=');
    if (eq > 0) out[word.slice(0, eq)] = word.slice(eq + 1);
    else if (word !== '') out[word] = '';
  }
  return out;
}

/** What the harness itself added to the kernel and must not be reported as a step. */
export interface HarnessFilter {
  /** True for a rule the harness inserted (the TRACE rules, the conntrack switch). */
  readonly ownRule: (table: string, rule: string) => boolean;
  /** True for a table that exists in the kernel only because the harness created it (raw, when the rules file has none). */
  readonly ownTable: (table: string) => boolean;
}

const HOOKS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/**
 * The steps of one packet (trace id) in netsim's shape: the hook is the base chain being
 * walked, verdicts are put in netsim's words, and the harness's own rules and tables are dropped.
 */
export function monitorSteps(log: MonitorLog, id: string, filter: HarnessFilter): Step[] {
  const steps: Step[] = [];
  let hook = '?';
  for (const t of log.traces) {
    if (t.id !== id) continue;
    if (HOOKS.has(t.chain)) hook = t.chain;
    if (filter.ownTable(t.table)) continue;
    if (t.kind === 'policy') steps.push({ hook, table: t.table, chain: t.chain, policy: t.verdict });
    else if (t.kind === 'rule' && t.rule !== undefined && !filter.ownRule(t.table, t.rule)) {
      steps.push({ hook, table: t.table, chain: t.chain, rule: t.rule, verdict: netsimVerdict(t.rule, t.verdict) });
    }
  }
  return steps;
}

/** The trace ids in the order they first appear. */
export function traceIds(log: MonitorLog): string[] {
  return [...new Set(log.traces.map((t) => t.id))];
}

/** DROP or REJECT if a step ended the packet that way, otherwise ACCEPT. */
export function finalVerdict(steps: readonly Step[]): 'ACCEPT' | 'DROP' | 'REJECT' {
  for (const s of steps) {
    const v = 'policy' in s ? s.policy : s.verdict;
    if (v === 'DROP' || v === 'REJECT') return v;
  }
  return 'ACCEPT';
}

/** The packet the last traced base chain saw (before that chain's own NAT). */
export function lastSeenPacket(log: MonitorLog, id: string, proto: string): FlowPacket | undefined {
  const mine = log.packets.filter((p) => p.id === id);
  const p = mine[mine.length - 1];
  if (p === undefined) return undefined;
  const f = p.fields;
  const port = (k: string): number | undefined => (f[k] !== undefined ? Number(f[k]) : undefined);
  const sport = port('SPORT');
  const dport = port('DPORT');
  return {
    src: f['SRC'] ?? '?',
    dst: f['DST'] ?? '?',
    proto,
    ...(sport !== undefined ? { sport } : {}),
    ...(dport !== undefined ? { dport } : {}),
  };
}

/** The raw verdict names the monitor printed for a trace id (for sanity checks in messages). */
export function rawVerdicts(log: MonitorLog, id: string): string[] {
  return log.traces.filter((t) => t.id === id).map((t) => `${t.table}:${t.chain}:${t.kind}:${kernelVerdictName(t.verdict)}`);
}
