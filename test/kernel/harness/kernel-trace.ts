/**
 * One packet through a real kernel: build a lab, mark the flow with TRACE, send the packet, and
 * read back what `xtables-monitor --trace` and conntrack saw, in the shape netsim answers in.
 */
import { fileURLToPath } from 'node:url';
import { packetAfterNat } from './conntrack.js';
import { buildLab, type Lab, type LabSpec } from './lab.js';
import { startWatcher } from './monitor.js';
import { finalVerdict, lastSeenPacket, monitorSteps, parseMonitor, traceIds } from './trace-parse.js';
import { inNs, must, run } from './sh.js';
import { python3 } from './python.js';
import type { FlowPacket, TraceOutcome } from './steps.js';

const SENDER = fileURLToPath(new URL('./send_frame.py', import.meta.url));

/** Comment on every rule the harness adds, so the parser can drop them. */
export const HARNESS_COMMENT = 'netsim-harness';

/** The packet to send: ports default to 40000 → 80 (the ICMP echo id is the source port). */
export interface SendSpec {
  readonly src: string;
  readonly dst: string;
  readonly proto: 'tcp' | 'udp' | 'icmp';
  readonly sport?: number;
  readonly dport?: number;
}

/** What the kernel did, plus the raw material for failure messages. */
export interface KernelResult {
  readonly outcome: TraceOutcome;
  readonly monitorText: string;
  readonly rulesetAfterLoad: string;
  readonly conntrack: string;
  readonly notes: readonly string[];
}

/** Builds a lab, traces the packet once, and always deletes the lab. */
export async function traceInKernel(spec: LabSpec, send: SendSpec): Promise<KernelResult> {
  const lab = buildLab(spec);
  try {
    return await traceInLab(lab, spec, send);
  } finally {
    const errors = lab.dispose();
    if (errors.length > 0) throw new Error(`could not delete lab namespaces: ${errors.join('; ')}`);
  }
}

async function traceInLab(lab: Lab, spec: LabSpec, send: SendSpec): Promise<KernelResult> {
  addHarnessRules(lab.host, spec, send);
  const rulesetAfterLoad = inNs(lab.host, 'iptables-save', []);
  const sent: FlowPacket = { src: send.src, dst: send.dst, proto: send.proto, ...(send.proto !== 'icmp' ? { sport: send.sport ?? 40000, dport: send.dport ?? 80 } : {}) };
  const notes: string[] = [];
  let monitorText = '';
  let conntrack = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    const mon = await startWatcher(lab.host, ['xtables-monitor', '--trace'], 0);
    const ct = await startWatcher(lab.host, ['conntrack', '-E', '-e', 'NEW']);
    try {
      const said = sendPacket(lab, send);
      if (said !== '') notes.push(`sender: ${said}`);
      await mon.settle('TRACE:');
    } finally {
      monitorText = await mon.stop();
      conntrack = await ct.stop();
    }
    if (monitorText.includes('TRACE:')) break;
    notes.push(`attempt ${attempt}: the monitor saw no trace; flushing conntrack and sending again`);
    run('ip', ['netns', 'exec', lab.host, 'conntrack', '-F']);
  }
  const log = parseMonitor(monitorText);
  const ids = traceIds(log);
  if (ids.length > 1) notes.push(`the monitor saw ${ids.length} traced packets (${ids.join(', ')}); using the first`);
  const id = ids[0];
  if (id === undefined) throw new Error(`xtables-monitor printed no TRACE line for the packet:\n${monitorText}`);
  const hasRaw = /^\*raw\s*$/m.test(spec.rules);
  const steps = monitorSteps(log, id, {
    ownRule: (_table, rule) => rule.includes(`--comment ${HARNESS_COMMENT}`),
    ownTable: (table) => table === 'raw' && !hasRaw,
  });
  const verdict = finalVerdict(steps);
  let packet: FlowPacket | undefined;
  if (verdict === 'ACCEPT') {
    // The NEW event, or, if the event watcher missed it, the table itself (the entry may still be there).
    packet = packetAfterNat(conntrack, sent) ?? packetAfterNat(run('ip', ['netns', 'exec', lab.host, 'conntrack', '-L']).stdout, sent);
    const untracked = steps.some((s) => 'verdict' in s && (s.verdict === 'NOTRACK' || s.rule.includes('--notrack')));
    if (packet === undefined && !untracked) notes.push('ACCEPT in netfilter but conntrack confirmed no flow: the packet died outside netfilter (routing?)');
  }
  packet ??= lastSeenPacket(log, id, send.proto) ?? sent;
  return { outcome: { verdict, packet, steps }, monitorText, rulesetAfterLoad, conntrack, notes };
}

/**
 * The TRACE rule (first in raw PREROUTING or raw OUTPUT, matching only this flow) and a rule
 * that never matches but uses `-m conntrack`: with the nf_tables backend a namespace has
 * conntrack, and so nat chains, only while some rule needs it (see docs/testing.md).
 */
function addHarnessRules(host: string, spec: LabSpec, send: SendSpec): void {
  const tag = ['-m', 'comment', '--comment', HARNESS_COMMENT];
  const flow = ['-s', `${send.src}/32`, '-d', `${send.dst}/32`, '-p', send.proto, ...l4Match(send), ...tag, '-j', 'TRACE'];
  if (spec.inDev !== undefined) must('ip', ['netns', 'exec', host, 'iptables', '-t', 'raw', '-I', 'PREROUTING', '1', '-i', spec.inDev, ...flow]);
  else must('ip', ['netns', 'exec', host, 'iptables', '-t', 'raw', '-I', 'OUTPUT', '1', ...flow]);
  must('ip', ['netns', 'exec', host, 'iptables', '-t', 'raw', '-A', 'OUTPUT', '-s', '255.255.255.255/32', '-m', 'conntrack', '--ctstate', 'NEW', ...tag, '-j', 'ACCEPT']);
}

function l4Match(send: SendSpec): string[] {
  if (send.proto === 'icmp') return ['-m', 'icmp', '--icmp-type', '8'];
  return ['-m', send.proto, '--sport', String(send.sport ?? 40000), '--dport', String(send.dport ?? 80)];
}

/** Sends the packet; returns what the sender printed (`sendto: EPERM` when OUTPUT dropped it). */
function sendPacket(lab: Lab, send: SendSpec): string {
  const pkt = ['--src', send.src, '--dst', send.dst, '--proto', send.proto, '--sport', String(send.sport ?? (send.proto === 'icmp' ? 1 : 40000)), '--dport', String(send.dport ?? 80)];
  if (lab.sender !== undefined && lab.hostInMac !== undefined && lab.senderMac !== undefined) {
    return inNs(lab.sender, python3(), [SENDER, '--mode', 'frame', '--iface', 'eth0', '--src-mac', lab.senderMac, '--dst-mac', lab.hostInMac, ...pkt]).trim();
  }
  return inNs(lab.host, python3(), [SENDER, '--mode', 'local', ...pkt]).trim();
}
