/**
 * The CliIo of the real process: Node's file system and streams. Output files are written to
 * a temporary file in the same folder and renamed over the target, so a failed or interrupted
 * write never leaves a half-written file (rename within one file system is atomic).
 */
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CliIo } from './io.js';

/** Writes `data` to `path` via `.NAME.PID.tmp` beside it, then renames; removes the temporary file on failure. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  // A directory in the way would otherwise be replaced only if empty, or fail with a vaguer error.
  if (statOrUndefined(path)?.isDirectory() === true) throw Object.assign(new Error(`${path}: is a directory`), { code: 'EISDIR' });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'wx', 0o666);
  try {
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone: nothing to clean up.
    }
    throw e;
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The worker of `trace --batch --jobs N`, beside this file: dist/cli/batch-worker.js in the bundle (scripts/build-cli.mjs), dist/src/cli/batch-worker.js from tsc. */
const BATCH_WORKER = new URL('./batch-worker.js', import.meta.url);

/** Binds the CLI to this process. */
export function nodeIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readFile: (p) => readFileSync(p),
    // File descriptor 0: all of stdin, whether a pipe, a file or a terminal (until EOF).
    readStdin: () => readFileSync(0),
    readDir: (p) => readdirSync(p),
    writeFile: writeFileAtomic,
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    // worker_threads is fetched when a worker is started: importing it costs every run a few ms.
    startWorker: (workerData) => new (process.getBuiltinModule('node:worker_threads').Worker)(BATCH_WORKER, { workerData }),
  };
}
