/**
 * The pool of `trace --batch --jobs N` with stand-in workers that answer after random delays: the
 * outcomes reach the main thread in input order whatever the order the workers finish in, every
 * line once; a scenario that does not build stops the batch; a worker that fails or stops rejects.
 */
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineOutcome } from './batch-line.js';
import { type BatchChunk, type BatchJob, runBatchPool } from './batch-pool.js';

const JOB: BatchJob = { files: [], seed: 1, defaults: {}, name: 'f' };

/** A worker that builds (or not) and traces each line `t` as `{ json: t }` after `delay(line)` ms. */
function fakeWorker(delay: (line: number) => number, ok = true): { worker: Worker; terminated: () => boolean } {
  const w = new EventEmitter();
  let terminated = false;
  const api = Object.assign(w, {
    postMessage: (chunk: BatchChunk) => {
      setTimeout(() => w.emit('message', { kind: 'traced', first: chunk.first, outcomes: chunk.lines.map((t): LineOutcome => (t === '' ? { empty: true } : { json: t })) }), delay(chunk.first));
    },
    terminate: () => {
      terminated = true;
      return Promise.resolve(0);
    },
  });
  setTimeout(() => w.emit('message', { kind: 'loaded', ok, diagnostics: [] }), delay(-1));
  return { worker: api as unknown as Worker, terminated: () => terminated };
}

async function run(lines: readonly string[], jobs: number, delay: (line: number) => number): Promise<{ ok: boolean; seen: string[]; order: number[] }> {
  const seen: string[] = [];
  const order: number[] = [];
  const ok = await runBatchPool(() => fakeWorker(delay).worker, JOB, lines, jobs, {
    loaded: () => undefined,
    line: (o, i) => {
      seen.push('json' in o ? o.json : '');
      order.push(i);
    },
  });
  return { ok, seen, order };
}

describe('runBatchPool', () => {
  it('hands every outcome on once, in input order, whatever order the workers answer in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', 'b', ''), { maxLength: 200 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(5), { minLength: 1 }), async (lines, jobs, delays) => {
        const r = await run(lines, jobs, (line) => delays[(line + 1) % delays.length] ?? 0);
        expect(r.ok).toBe(true);
        expect(r.order).toEqual(lines.map((_l, i) => i));
        expect(r.seen).toEqual(lines);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('stops, resolving false, when the scenario does not build; every worker is terminated', async () => {
    const made: Array<ReturnType<typeof fakeWorker>> = [];
    let loaded: boolean | undefined;
    const ok = await runBatchPool(() => (made.push(fakeWorker(() => 0, false)), made.at(-1)?.worker as Worker), JOB, ['a', 'b'], 2, { loaded: (_d, built) => (loaded = built), line: () => expect.fail('no line without a cluster') });
    expect([ok, loaded, made.map((m) => m.terminated())]).toEqual([false, false, [true, true]]);
  });

  it('rejects when a worker fails or stops before the batch is done', async () => {
    const failing = (): Worker => {
      const { worker } = fakeWorker(() => 20);
      setTimeout(() => (worker as unknown as EventEmitter).emit('error', new Error('boom')), 1);
      return worker;
    };
    await expect(runBatchPool(failing, JOB, ['a'], 1, { loaded: () => undefined, line: () => undefined })).rejects.toThrow('boom');
    const exiting = (): Worker => {
      const w = Object.assign(new EventEmitter(), { postMessage: () => undefined, terminate: () => Promise.resolve(0) });
      setTimeout(() => w.emit('exit', 1), 1);
      return w as unknown as Worker;
    };
    await expect(runBatchPool(exiting, JOB, ['a'], 1, { loaded: () => undefined, line: () => undefined })).rejects.toThrow('stopped (exit code 1)');
  });
});
