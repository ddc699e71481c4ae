/**
 * The shape both sides of the differential test are reduced to: netsim's `iptables trace -o json`
 * and the kernel's `xtables-monitor --trace` end up as the same {@link TraceOutcome}, so a test
 * compares plain data and prints the two step lists side by side when they differ.
 */

/** A rule that matched (`rule` as iptables-save prints it) or a built-in chain's policy that decided. */
export type Step =
  | { readonly hook: string; readonly table: string; readonly chain: string; readonly rule: string; readonly verdict: string }
  | { readonly hook: string; readonly table: string; readonly chain: string; readonly policy: string };

/** The packet as it leaves the host (after DNAT/SNAT). Ports are absent for ICMP. */
export interface FlowPacket {
  readonly src: string;
  readonly dst: string;
  readonly proto: string;
  readonly sport?: number;
  readonly dport?: number;
}

/** One path through the host's hooks. */
export interface TraceOutcome {
  readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  readonly packet: FlowPacket;
  readonly steps: readonly Step[];
}

/** One line of text per step, the way the side-by-side view shows it. */
export function stepText(s: Step): string {
  const where = `${s.hook} ${s.table}/${s.chain}`;
  return 'policy' in s ? `${where} policy ${s.policy}` : `${where} ${s.rule} => ${s.verdict}`;
}

/** `src:sport > dst:dport proto`. */
export function packetText(p: FlowPacket): string {
  const port = (n: number | undefined): string => (n === undefined ? '' : `:${n}`);
  return `${p.src}${port(p.sport)} > ${p.dst}${port(p.dport)} ${p.proto}`;
}

/** Whether two steps are the same (every field). */
export function sameStep(a: Step, b: Step): boolean {
  return stepText(a) === stepText(b);
}

/** Differences between two outcomes, as short sentences; empty when they agree. */
export function outcomeDifferences(kernel: TraceOutcome, netsim: TraceOutcome, opts: { readonly ignoreSport?: boolean } = {}): string[] {
  const diffs: string[] = [];
  if (kernel.verdict !== netsim.verdict) diffs.push(`verdict: kernel ${kernel.verdict}, netsim ${netsim.verdict}`);
  const kp = comparablePacket(kernel.packet, opts.ignoreSport === true);
  const np = comparablePacket(netsim.packet, opts.ignoreSport === true);
  if (packetText(kp) !== packetText(np)) diffs.push(`packet after NAT: kernel ${packetText(kp)}, netsim ${packetText(np)}`);
  const n = Math.max(kernel.steps.length, netsim.steps.length);
  for (let i = 0; i < n; i++) {
    const k = kernel.steps[i];
    const s = netsim.steps[i];
    if (k === undefined || s === undefined || !sameStep(k, s)) {
      diffs.push(`steps differ from step ${i + 1}`);
      break;
    }
  }
  return diffs;
}

function comparablePacket(p: FlowPacket, ignoreSport: boolean): FlowPacket {
  const base = { src: p.src, dst: p.dst, proto: p.proto };
  if (p.proto === 'icmp') return base;
  return {
    ...base,
    ...(p.sport !== undefined && !ignoreSport ? { sport: p.sport } : {}),
    ...(p.dport !== undefined ? { dport: p.dport } : {}),
  };
}

/**
 * The two step lists next to each other, one row per position, `!` marking rows that differ.
 * Long rules wrap inside their column so both stay readable in a terminal or CI log.
 */
export function sideBySide(kernel: readonly Step[], netsim: readonly Step[], width = 78): string {
  const rows: string[] = [`     ${'kernel (xtables-monitor --trace)'.padEnd(width)} | netsim (iptables trace -o json)`];
  rows.push(`     ${'-'.repeat(width)}-+-${'-'.repeat(width)}`);
  const n = Math.max(kernel.length, netsim.length);
  for (let i = 0; i < n; i++) {
    const k = kernel[i];
    const s = netsim[i];
    const mark = k !== undefined && s !== undefined && sameStep(k, s) ? ' ' : '!';
    const left = wrap(k === undefined ? '(none)' : stepText(k), width);
    const right = wrap(s === undefined ? '(none)' : stepText(s), width);
    for (let j = 0; j < Math.max(left.length, right.length); j++) {
      const prefix = j === 0 ? `${mark}${String(i + 1).padStart(3)} ` : '     ';
      rows.push(`${prefix}${(left[j] ?? '').padEnd(width)} | ${right[j] ?? ''}`);
    }
  }
  return rows.join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.length === 0 ? [''] : lines;
}
