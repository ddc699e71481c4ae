/**
 * The netsim side: `netsim iptables trace … -o json` run in-process through `runCli`, its JSON
 * reduced to {@link TraceOutcome}s. `runCli` is imported lazily so the harness (and its parser
 * tests) load even where the CLI is absent or broken.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FlowPacket, Step, TraceOutcome } from './steps.js';

/** The CLI's I/O contract (src/cli/io.ts), restated so this file compiles without it. */
interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): string;
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}
type RunCli = (argv: readonly string[], io: CliIo) => Promise<number>;

const RUN_TS = fileURLToPath(new URL('../../../src/cli/run.ts', import.meta.url));

/** `runCli`, or why it cannot be had. */
export async function loadRunCli(): Promise<{ runCli: RunCli } | { missing: string }> {
  if (!existsSync(RUN_TS)) return { missing: 'src/cli/run.ts does not exist yet' };
  try {
    const mod = (await import(pathToFileURL(RUN_TS).href)) as { runCli?: unknown };
    if (typeof mod.runCli !== 'function') return { missing: 'src/cli/run.ts does not export runCli' };
    return { runCli: mod.runCli as RunCli };
  } catch (e) {
    return { missing: `src/cli/run.ts failed to load: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** What one netsim run produced. */
export interface NetsimResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The single trace (or the first path with --all-paths). */
  readonly outcome?: TraceOutcome;
  /** With --all-paths: every path. */
  readonly paths: readonly TraceOutcome[];
}

/** Runs netsim in-process with the given arguments (`-o json` is appended). */
export async function runNetsim(runCli: RunCli, argv: readonly string[]): Promise<NetsimResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    readFile: (p) => readFileSync(p, 'utf8'),
    isTTY: false,
    env: { NO_COLOR: '1' },
  };
  const code = await runCli([...argv, '-o', 'json'], io);
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return { code, stdout, stderr, paths: [] };
  }
  const outcome = toOutcome(doc);
  const paths = isRecord(doc) && Array.isArray(doc['paths']) ? doc['paths'].map(toOutcome).filter((o): o is TraceOutcome => o !== undefined) : [];
  return { code, stdout, stderr, ...(outcome !== undefined ? { outcome } : {}), paths };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toOutcome(doc: unknown): TraceOutcome | undefined {
  if (!isRecord(doc) || !Array.isArray(doc['steps']) || !isRecord(doc['packet'])) return undefined;
  const verdict = doc['verdict'];
  if (verdict !== 'ACCEPT' && verdict !== 'DROP' && verdict !== 'REJECT') return undefined;
  return { verdict, packet: toPacket(doc['packet']), steps: doc['steps'].filter(isRecord).map(toStep) };
}

function toPacket(p: Record<string, unknown>): FlowPacket {
  const proto = String(p['proto']);
  return {
    src: String(p['src']),
    dst: String(p['dst']),
    proto,
    ...(typeof p['sport'] === 'number' ? { sport: p['sport'] } : {}),
    ...(typeof p['dport'] === 'number' ? { dport: p['dport'] } : {}),
  };
}

function toStep(s: Record<string, unknown>): Step {
  const base = { hook: String(s['hook'] ?? '?'), table: String(s['table']), chain: String(s['chain']) };
  if (typeof s['policy'] === 'string') return { ...base, policy: s['policy'] };
  return { ...base, rule: String(s['rule']), verdict: String(s['verdict']) };
}
