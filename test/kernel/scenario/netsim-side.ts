/**
 * The netsim side of a flow: `netsim trace SRC DST --port P --family F --all-paths -o json [-f FILE]`, run
 * in-process, read into the few fields the comparison needs (schema netsim.trace/v1,
 * docs/trace-schema.md): each path's forward and reply endings and, per node, the netfilter
 * steps in the harness's {@link Step} shape.
 */
import { readFileSync } from 'node:fs';
import type { Step } from '../harness/steps.js';
import type { FlowCase } from './flows.js';

/** The CLI's I/O contract (src/cli/io.ts), restated as the harness does. */
interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): string;
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}
/** `runCli` from src/cli/run.ts. */
export type RunCli = (argv: readonly string[], io: CliIo) => Promise<number>;

/** A packet as the trace JSON prints it. */
export interface PacketJson {
  readonly src: string;
  readonly dst: string;
  readonly proto: string;
  readonly sport?: number;
  readonly dport?: number;
}

/** The parts of a trace step the comparison reads (others are kept for messages). */
export interface StepJson {
  readonly type: string;
  readonly [k: string]: unknown;
}

/** One trace (forward or reply). */
export interface TraceJson {
  readonly hops: readonly { readonly ns: string; readonly steps: readonly StepJson[] }[];
  readonly ending: { readonly disposition: string; readonly ns: string; readonly detail: string; readonly packet: PacketJson };
}

/** One path (one random outcome). */
export interface NetsimPath {
  readonly probability: number;
  readonly forward: TraceJson;
  readonly reply?: TraceJson;
}

/** What netsim said about a flow. */
export interface NetsimFlow {
  readonly argv: readonly string[];
  readonly code: number;
  readonly stderr: string;
  readonly paths: readonly NetsimPath[];
}

/** Traces the flow with every random outcome. */
export async function traceInNetsim(runCli: RunCli, fileArgs: readonly string[], flow: FlowCase): Promise<NetsimFlow> {
  const proto = flow.proto === 'udp' && !flow.dstArg.startsWith('svc/') ? ['--protocol', 'udp'] : [];
  // Always the flow's family: on a dual-stack cluster a name alone means the first family, which
  // for a Service with `ipFamilies: [IPv6, IPv4]` is IPv6.
  const family = ['--family', String(flow.family)];
  const argv = ['trace', flow.srcArg, flow.dstArg, '--port', String(flow.dport), ...proto, ...family, '--all-paths', ...fileArgs, '-o', 'json'];
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readFile: (p) => readFileSync(p, 'utf8'), isTTY: false, env: { NO_COLOR: '1' } });
  let paths: NetsimPath[] = [];
  try {
    const doc = JSON.parse(stdout) as { paths?: NetsimPath[] };
    paths = doc.paths ?? [];
  } catch {
    stderr += `\n(stdout was not JSON: ${stdout.slice(0, 400)})`;
  }
  return { argv, code, stderr, paths };
}

/** The netfilter steps netsim recorded in `node`'s namespace, hop after hop, in the harness's shape. */
export function nodeSteps(trace: TraceJson, node: string): Step[] {
  const out: Step[] = [];
  for (const hop of trace.hops) {
    if (hop.ns !== node) continue;
    // The outer packet of a tunnel is not the flow's: the kernel clears the TRACE mark when it
    // encapsulates (skb_scrub_packet → nf_reset_trace) and the harness traces only the flow's
    // TCP/UDP packets, so only the inner packet's rules are compared (the outer headers are
    // compared by capture, vxlan.diff.test.ts).
    let outer = false;
    for (const s of hop.steps) {
      if (s.type === 'encap' || s.type === 'decap') outer = s.type === 'encap';
      if (s.type === 'receive' && isRecordish(s['packet']) && Array.isArray(s['packet']['encap'])) outer = true;
      if (outer) continue;
      const where = { hook: String(s['hook']), table: String(s['table']), chain: String(s['chain']) };
      if (s.type === 'netfilter') out.push({ ...where, rule: String(s['rule']), verdict: String(s['verdict']) });
      else if (s.type === 'policy') out.push({ ...where, policy: String(s['policy']) });
    }
  }
  return out;
}

function isRecordish(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a MASQUERADE with `--random-fully` decided the source port (then it is not comparable). */
export function randomSourcePort(trace: TraceJson): boolean {
  return trace.hops.some((h) => h.steps.some((s) => s.type === 'netfilter' && String(s['verdict']) === 'MASQUERADE' && String(s['rule']).includes('--random-fully')));
}
