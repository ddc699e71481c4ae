/**
 * A worker thread of `netsim trace --batch FILE --jobs N` (started by batch-pool.ts): it loads and
 * builds the scenario from the texts the main thread read (the same files and seed build the same
 * world), says whether that worked, then traces each chunk of lines it is sent and posts their
 * outcomes back. It writes nothing itself: the main thread prints, in input order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadAndBuild } from '../app/scenario.js';
import { InternalError } from '../diag/diagnostic.js';
import { type BatchContext, batchLineOutcome } from './batch-line.js';
import type { BatchChunk, BatchJob, WorkerReply } from './batch-pool.js';

/** The part of a MessagePort a worker uses. */
interface Port {
  postMessage(message: WorkerReply): void;
  on(event: 'message', listener: (chunk: BatchChunk) => void): unknown;
}

/** Builds `job`'s scenario, reports it on `port`, then answers every chunk sent. */
export function serveBatch(port: Port, job: BatchJob): void {
  const loaded = loadAndBuild(job.files, job.seed);
  port.postMessage({ kind: 'loaded', ok: loaded.built !== undefined, diagnostics: loaded.diagnostics });
  if (loaded.built === undefined) return;
  const ctx: BatchContext = { built: loaded.built, warnings: loaded.diagnostics.filter((d) => d.severity === 'warning'), defaults: job.defaults };
  port.on('message', (chunk) => {
    const outcomes = chunk.lines.map((text, k) => batchLineOutcome(ctx, text, { file: job.name, line: chunk.first + k + 1 }));
    port.postMessage({ kind: 'traced', first: chunk.first, outcomes });
  });
}

if (parentPort !== null) {
  if (workerData === null || typeof workerData !== 'object') throw new InternalError('a trace --batch worker was started without its job');
  serveBatch(parentPort as unknown as Port, workerData as BatchJob);
}
