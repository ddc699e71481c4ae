/**
 * One flow, both sides: which netsim path the kernel took, and every way they differ.
 *
 * - **outcome**: the client connected, was refused (a REJECT's ICMP error or a reset), or got
 *   nothing (timeout, ICMP unreachable); netsim's path says `connected` when the SYN is
 *   DELIVERED and the SYN-ACK is DELIVERED back to the client as coming from the address it
 *   connected to, `refused` when REJECTED, `failed` otherwise;
 * - **backend**: the namespace whose listener accepted vs the path's ending namespace;
 * - **receiver**: the source and destination the server saw vs the path's delivered packet
 *   (the source port is skipped after `MASQUERADE --random-fully`, which picks it at random);
 * - **leaves**: for a packet netsim lets out of the model (EXITS_NETWORK), the packet as it
 *   left the last node, from that node's conntrack entry (after SNAT);
 * - **steps NODE** / **reply steps NODE**: the kernel's rule trace of the SYN (and of the
 *   SYN-ACK) at each node vs netsim's netfilter steps in that node's forward (reply) hops, rule
 *   for rule (the client gives up before the SYN is retransmitted, so the kernel's trace holds
 *   one packet each way).
 *
 * With several paths (a Service's random backend), the path is the one reaching the backend
 * the kernel picked (of several that do, the one whose steps differ least, as when a cloud
 * load balancer picked the node at random); when no backend answered, the path whose steps differ least.
 */
import { packetAfterNat } from '../harness/conntrack.js';
import { type Step, sameStep, sideBySide, stepText } from '../harness/steps.js';
import type { FlowCase } from './flows.js';
import { CLIENT_PORT, type KernelFlow } from './kernel-flow.js';
import { type NetsimFlow, type NetsimPath, type TraceJson, nodeSteps, randomSourcePort } from './netsim-side.js';

/** The categories a difference is filed under (expected-difference lists match on them). */
export type DiffKind = 'outcome' | 'backend' | 'receiver' | 'leaves' | `steps ${string}` | `reply steps ${string}` | 'netsim';

/** One difference. */
export interface FlowDiff {
  readonly kind: DiffKind;
  readonly text: string;
}

/** The comparison of one flow. */
export interface FlowComparison {
  readonly path?: NetsimPath;
  readonly diffs: readonly FlowDiff[];
  /** Both sides in full, for a failure message. */
  readonly report: string;
}

type Outcome = 'connected' | 'refused' | 'failed';

function kernelOutcome(k: KernelFlow): Outcome {
  if (k.client.ok) return 'connected';
  return k.client.error === 'ECONNREFUSED' ? 'refused' : 'failed';
}

function netsimOutcome(flow: FlowCase, p: NetsimPath): { outcome: Outcome; why: string } {
  const f = p.forward.ending;
  if (f.disposition === 'REJECTED') return { outcome: 'refused', why: `forward ${f.disposition} in ${f.ns}: ${f.detail}` };
  if (f.disposition !== 'DELIVERED') return { outcome: 'failed', why: `forward ${f.disposition} in ${f.ns}: ${f.detail}` };
  const r = p.reply?.ending;
  if (r === undefined) return { outcome: 'failed', why: 'no reply traced' };
  if (r.disposition !== 'DELIVERED') return { outcome: r.disposition === 'REJECTED' ? 'refused' : 'failed', why: `reply ${r.disposition} in ${r.ns}: ${r.detail}` };
  const seen = `${r.packet.src}:${r.packet.sport} → ${r.packet.dst}:${r.packet.dport}`;
  const want = `${flow.dstIp}:${flow.dport} → ${flow.srcIp}:${CLIENT_PORT}`;
  if (r.ns !== flow.srcNs || seen !== want) return { outcome: 'failed', why: `the SYN-ACK reaches ${r.ns} as ${seen}, the client expects ${want}` };
  return { outcome: 'connected', why: `SYN delivered in ${f.ns}, SYN-ACK delivered to the client as ${seen}` };
}

/**
 * Kernel steps at a node, every trace id in order: one SYN can carry several ids at one node
 * (the id hashes the input interface, which changes from the bridge port to the bridge).
 */
function kernelStepsAt(k: KernelFlow, dir: Direction, node: string): Step[] {
  return ((dir === 'forward' ? k.steps : k.replySteps)[node] ?? []).flatMap((s) => [...s]);
}

/** The SYN (forward) or the SYN-ACK (reply); for UDP the datagram and its echo. */
type Direction = 'forward' | 'reply';

function dirLabel(flow: FlowCase, dir: Direction): string {
  if (flow.proto === 'udp') return dir === 'forward' ? 'request' : 'echo';
  return dir === 'forward' ? 'SYN' : 'SYN-ACK';
}

function traceOf(p: NetsimPath, dir: Direction): TraceJson | undefined {
  return dir === 'forward' ? p.forward : p.reply;
}

function stepsOf(t: TraceJson | undefined, node: string): Step[] {
  return t === undefined ? [] : nodeSteps(t, node);
}

/** Nodes either side saw the packet at. */
function nodesOf(k: KernelFlow, p: NetsimPath, dir: Direction): string[] {
  const kSteps = dir === 'forward' ? k.steps : k.replySteps;
  const fromNetsim = (traceOf(p, dir)?.hops ?? []).map((h) => h.ns).filter((ns) => ns in kSteps);
  return [...new Set([...fromNetsim, ...Object.keys(kSteps).filter((n) => (kSteps[n]?.length ?? 0) > 0)])];
}

interface StepDiff {
  readonly dir: Direction;
  readonly node: string;
  readonly kernel: Step[];
  readonly netsim: Step[];
}

function stepDiffs(k: KernelFlow, p: NetsimPath): StepDiff[] {
  return (['forward', 'reply'] as const).flatMap((dir) =>
    nodesOf(k, p, dir).flatMap((node) => {
      const netsim = stepsOf(traceOf(p, dir), node);
      const kernel = kernelStepsAt(k, dir, node);
      const same = kernel.length === netsim.length && kernel.every((s, i) => sameStep(s, netsim[i] as Step));
      return same ? [] : [{ dir, node, kernel, netsim }];
    }),
  );
}

function choosePath(k: KernelFlow, n: NetsimFlow): NetsimPath | undefined {
  const score = (p: NetsimPath): number => stepDiffs(k, p).reduce((sum, d) => sum + Math.abs(d.kernel.length - d.netsim.length) + d.kernel.filter((s, i) => d.netsim[i] === undefined || !sameStep(s, d.netsim[i] as Step)).length, 0);
  const least = (paths: readonly NetsimPath[]): NetsimPath | undefined => [...paths].sort((a, b) => score(a) - score(b))[0];
  const server = k.server;
  if (server !== undefined) {
    // Several paths may reach that backend (a cloud LB's random node before it): the one whose rule trace matches.
    const hits = n.paths.filter((p) => p.forward.ending.disposition === 'DELIVERED' && p.forward.ending.ns === server.ns);
    if (hits.length > 0) return hits.length === 1 ? hits[0] : least(hits);
  }
  return least(n.paths);
}

const addr = (ip: string, port: number | undefined, withPort: boolean): string => (withPort ? `${ip}:${port}` : ip);

/** netsim's client port stands for whatever port the kernel's client used (a retry's differs). */
const clientPort = (port: number | undefined, k: KernelFlow): number | undefined => (port === CLIENT_PORT ? k.sport : port);

/** Compares one flow. */
export function compareFlow(flow: FlowCase, k: KernelFlow, n: NetsimFlow, names: Readonly<Record<string, string>>): FlowComparison {
  const diffs: FlowDiff[] = [];
  const path = choosePath(k, n);
  if (path === undefined) {
    diffs.push({ kind: 'netsim', text: `netsim gave no path (exit ${n.code}): ${n.stderr.trim()}` });
    return { diffs, report: report(flow, k, n, undefined, diffs, names) };
  }
  const ko = kernelOutcome(k);
  const no = netsimOutcome(flow, path);
  if (ko !== no.outcome) diffs.push({ kind: 'outcome', text: `outcome: kernel ${ko} (${k.client.ok ? 'connected' : k.client.error}), netsim ${no.outcome} (${no.why})` });
  const end = path.forward.ending;
  if (k.server !== undefined) {
    if (end.disposition !== 'DELIVERED' || end.ns !== k.server.ns) {
      const reach = n.paths.map((p) => `${p.forward.ending.disposition} ${p.forward.ending.ns}`).join(', ');
      diffs.push({ kind: 'backend', text: `backend: the kernel delivered to ${k.server.ns}, netsim's paths end: ${reach}` });
    } else {
      const withSport = !randomSourcePort(path.forward);
      const kSrc = addr(k.server.peer[0], k.server.peer[1], withSport);
      const nSrc = addr(end.packet.src, clientPort(end.packet.sport, k), withSport);
      const kDst = `${k.server.local[0]}:${k.server.local[1]}`;
      const nDst = `${end.packet.dst}:${end.packet.dport}`;
      if (kSrc !== nSrc || kDst !== nDst) diffs.push({ kind: 'receiver', text: `the receiver sees: kernel ${kSrc} → ${kDst}, netsim ${nSrc} → ${nDst}` });
    }
  }
  if (end.disposition === 'EXITS_NETWORK') {
    const d = leavingDiff(flow, k, path);
    if (d !== undefined) diffs.push(d);
  }
  for (const d of stepDiffs(k, path)) {
    const first = d.kernel.findIndex((s, i) => d.netsim[i] === undefined || !sameStep(s, d.netsim[i] as Step));
    const at = first === -1 ? Math.min(d.kernel.length, d.netsim.length) : first;
    const kStep = d.kernel[at];
    const nStep = d.netsim[at];
    const label = d.dir === 'forward' ? `steps ${d.node}` : `reply steps ${d.node}`;
    diffs.push({ kind: label as DiffKind, text: `${dirLabel(flow, d.dir)} rules at ${d.node} differ from step ${at + 1}: kernel ${kStep === undefined ? '(none)' : stepText(kStep)} | netsim ${nStep === undefined ? '(none)' : stepText(nStep)}` });
  }
  return { path, diffs, report: report(flow, k, n, path, diffs, names) };
}

/**
 * A packet netsim lets out of the model (EXITS_NETWORK) against the kernel's conntrack entry for
 * the flow at the last node netsim crossed: the reply tuple turned around is the packet as it
 * left that node (after SNAT).
 */
function leavingDiff(flow: FlowCase, k: KernelFlow, path: NetsimPath): FlowDiff | undefined {
  const nodes = path.forward.hops.map((h) => h.ns).filter((ns) => ns in k.conntrack);
  const node = nodes[nodes.length - 1];
  if (node === undefined) return undefined;
  const sent = { src: flow.srcIp, dst: flow.dstIp, proto: flow.proto, sport: k.sport, dport: flow.dport };
  const left = packetAfterNat(k.conntrack[node] ?? '', sent);
  const withSport = !randomSourcePort(path.forward);
  const p = path.forward.ending.packet;
  const nText = `${addr(p.src, clientPort(p.sport, k), withSport)} → ${p.dst}:${p.dport}`;
  if (left === undefined) return { kind: 'leaves', text: `the packet leaving ${node}: netsim ${nText}, the kernel has no conntrack entry for the flow there` };
  const kText = `${addr(left.src, left.sport, withSport)} → ${left.dst}:${left.dport}`;
  return kText === nText ? undefined : { kind: 'leaves', text: `the packet leaving ${node} (conntrack): kernel ${kText}, netsim ${nText}` };
}

function report(flow: FlowCase, k: KernelFlow, n: NetsimFlow, path: NetsimPath | undefined, diffs: readonly FlowDiff[], names: Readonly<Record<string, string>>): string {
  const lines = [
    `flow ${flow.kind}: ${flow.name} (${flow.proto} ${flow.srcIp}:${CLIENT_PORT} → ${flow.dstIp}:${flow.dport})`,
    `netsim: netsim ${n.argv.join(' ')} → ${n.paths.length} path(s): ${n.paths.map((p) => `${(p.probability * 100).toFixed(1)}% ${p.forward.ending.disposition} ${p.forward.ending.ns}`).join('; ')}`,
    ...(path !== undefined ? [`netsim path compared: forward ${path.forward.ending.disposition} in ${path.forward.ending.ns} (${path.forward.ending.detail}), packet ${JSON.stringify(path.forward.ending.packet)}; reply ${path.reply?.ending.disposition ?? '-'} ${JSON.stringify(path.reply?.ending.packet ?? null)}`] : []),
    `kernel client (${names[flow.srcNs]}): ${JSON.stringify(k.client)}`,
    `kernel server: ${k.server === undefined ? 'no listener accepted' : `${k.server.ns} saw ${k.server.peer.join(':')} → ${k.server.local.join(':')}`}`,
    ...(path !== undefined ? (['forward', 'reply'] as const).map((dir) => `${dirLabel(flow, dir)} rules per node (kernel steps / netsim steps): ${nodesOf(k, path, dir).map((node) => `${node} ${kernelStepsAt(k, dir, node).length}/${stepsOf(traceOf(path, dir), node).length}`).join(', ') || 'none'}`) : []),
    ...k.notes.map((x) => `note: ${x}`),
    ...(diffs.length > 0 ? ['differences:', ...diffs.map((d) => `  - ${d.text}`)] : ['no differences']),
  ];
  if (path !== undefined) {
    for (const d of stepDiffs(k, path)) lines.push('', `${dirLabel(flow, d.dir)} rules at ${d.node} (${names[d.node]}):`, sideBySide(d.kernel, d.netsim, 70).replace('netsim (iptables trace -o json)', 'netsim (trace -o json, this node)'));
  }
  return lines.join('\n');
}
