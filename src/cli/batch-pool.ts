/**
 * `netsim trace --batch FILE --jobs N` on N worker threads (batch-worker.ts). Every trace runs in
 * its own throwaway overlay of the built world (app/batch.ts), so flows are independent and any
 * thread may trace any line: each worker builds the scenario itself (same files, same seed, same
 * world) and is sent chunks of lines as it finishes the ones before, two chunks ahead so it never
 * waits on the main thread. The main thread hands every outcome on in input order, so what is
 * written does not depend on N or on which worker was faster.
 */
import type { Worker } from 'node:worker_threads';
import { type Diagnostic, InternalError } from '../diag/diagnostic.js';
import type { ScenarioFile } from '../scenario/index.js';
import type { LineOutcome } from './batch-line.js';
import type { FlowDefaults } from './flow-line.js';

/** What a worker is started with (its `workerData`). */
export interface BatchJob {
  readonly files: readonly ScenarioFile[];
  readonly seed: number;
  readonly defaults: FlowDefaults;
  /** The batch file's name, for diagnostics (`<stdin>` for `-`). */
  readonly name: string;
}

/** Lines sent to a worker: `lines[k]` is line `first + k + 1` of the batch. */
export interface BatchChunk {
  readonly first: number;
  readonly lines: readonly string[];
}

/** What a worker posts: whether its scenario built (once), then each chunk's outcomes. */
export type WorkerReply =
  | { readonly kind: 'loaded'; readonly ok: boolean; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'traced'; readonly first: number; readonly outcomes: readonly LineOutcome[] };

/** What the main thread does with the workers' news. */
export interface PoolHooks {
  /** The scenario's diagnostics (the first worker to build it reports them), before any line. */
  loaded(diagnostics: readonly Diagnostic[], ok: boolean): void;
  /** Line `index + 1`'s outcome, called in input order. */
  line(outcome: LineOutcome, index: number): void;
}

/** Chunks in flight per worker: one being traced, one waiting. */
const AHEAD = 2;

/**
 * Traces `lines` on `jobs` workers from `start`; resolves true when every line was handed to
 * `hooks.line`, false when the scenario did not build. A worker that fails (a bug) rejects.
 */
export function runBatchPool(start: (job: BatchJob) => Worker, job: BatchJob, lines: readonly string[], jobs: number, hooks: PoolHooks): Promise<boolean> {
  // Small enough that the last chunks keep every worker busy, large enough that messages cost nothing.
  const size = Math.min(64, Math.max(1, Math.ceil(lines.length / (jobs * 16))));
  const workers: Worker[] = [];
  return new Promise<boolean>((resolve, reject) => {
    const results: Array<LineOutcome | undefined> = new Array<LineOutcome | undefined>(lines.length);
    let sent = 0;
    let written = 0;
    let loaded = false;
    let settled = false;
    const stop = (): void => {
      settled = true;
      for (const w of workers) void w.terminate();
    };
    const finish = (ok: boolean): void => {
      stop();
      resolve(ok);
    };
    const fail = (e: unknown): void => {
      if (settled) return;
      stop();
      reject(e instanceof Error ? e : new InternalError(String(e)));
    };
    const send = (w: Worker): void => {
      if (sent >= lines.length) return;
      const first = sent;
      sent = Math.min(lines.length, sent + size);
      w.postMessage({ first, lines: lines.slice(first, sent) } satisfies BatchChunk);
    };
    const take = (w: Worker, reply: WorkerReply): void => {
      if (settled) return;
      if (reply.kind === 'loaded') {
        if (!loaded) {
          loaded = true;
          hooks.loaded(reply.diagnostics, reply.ok);
          if (!reply.ok) return finish(false);
          if (lines.length === 0) return finish(true);
        }
        for (let k = 0; k < AHEAD; k++) send(w);
        return;
      }
      reply.outcomes.forEach((o, k) => (results[reply.first + k] = o));
      for (let o = results[written]; o !== undefined; o = results[written]) {
        results[written] = undefined;
        hooks.line(o, written++);
      }
      if (written === lines.length) return finish(true);
      send(w);
    };
    for (let i = 0; i < jobs; i++) {
      const w = start(job);
      workers.push(w);
      w.on('message', (reply: WorkerReply) => {
        try {
          take(w, reply);
        } catch (e) {
          fail(e);
        }
      });
      w.on('error', fail);
      w.on('exit', (code) => fail(new InternalError(`a trace --batch worker stopped (exit code ${code}) before the batch was traced`)));
    }
  });
}
