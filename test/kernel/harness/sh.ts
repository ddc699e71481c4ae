/** Synchronous process helpers for the kernel tests (tests may do I/O; src/ may not). */
import { spawnSync } from 'node:child_process';

/** What a finished command left behind. */
export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without a shell; never throws for a non-zero exit. */
export function run(cmd: string, args: readonly string[], input?: string): Ran {
  const r = spawnSync(cmd, [...args], { encoding: 'utf8', input: input ?? '', timeout: 20_000 });
  const err = r.error !== undefined ? `${r.error.message}\n` : '';
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: err + (r.stderr ?? '') };
}

/** Runs a command and throws with its output when it fails. */
export function must(cmd: string, args: readonly string[], input?: string): string {
  const r = run(cmd, args, input);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** `ip netns exec NS cmd args…`, throwing on failure. */
export function inNs(ns: string, cmd: string, args: readonly string[], input?: string): string {
  return must('ip', ['netns', 'exec', ns, cmd, ...args], input);
}

/** Whether a program is on PATH. */
export function onPath(program: string): boolean {
  return run('sh', ['-c', `command -v ${program}`]).code === 0;
}

/** Waits without blocking the event loop. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
