/**
 * `netsim trace --batch --jobs N` in-process: the CLI's worker (src/cli/batch-worker.ts) bundled
 * by esbuild into one file a worker thread can run (vitest compiles TypeScript for its own
 * threads only), and a CliIo that starts workers on it, as the built CLI's nodeIo does.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { runCli } from '../../src/cli/run.js';
import type { CliRun } from './cli.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** The bundled worker, in a temporary folder; `remove` deletes it. */
export async function bundleBatchWorker(): Promise<{ file: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-worker-'));
  const file = join(dir, 'batch-worker.mjs');
  await build({ entryPoints: [join(ROOT, 'src/cli/batch-worker.ts')], bundle: true, platform: 'node', format: 'esm', outfile: file, logLevel: 'silent', banner: { js: "import { createRequire as netsimCreateRequire } from 'node:module'; const require = netsimCreateRequire(import.meta.url);" } });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `netsim ARGV…` in-process as `cli` does, with worker threads on `worker` (a bundle) and stderr a terminal when `tty`. */
export async function cliWithWorkers(worker: string, argv: readonly string[], files: Record<string, string> = {}, tty = false): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    readFile: (p) => files[p] ?? readFileSync(p, 'utf8'),
    readStdin: () => files['-'] ?? '',
    readDir: (p) => readdirSync(p),
    isTTY: false,
    stderrIsTTY: tty,
    env: {},
    startWorker: (workerData) => new Worker(worker, { workerData }),
  });
  return { code, stdout, stderr };
}
