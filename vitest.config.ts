import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import WaitingSuitesFirst from './test/sequencer.js';

/** As root the kernel suites run, and they mostly wait on the kernel: two workers more then. */
const waitingWorkers = process.getuid?.() === 0 ? 2 : 0;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One worker per core, not vitest's cores − 1: on a 2-core machine that default is one worker,
    // and the kernel suites spend most of their time waiting on the kernel (probes, timeouts),
    // so the two scenario shards and the rest ran one after another.
    // As root, two more: the kernel suites (started first, test/sequencer.ts) wait beside the
    // CPU-bound ones instead of holding the only two workers.
    maxWorkers: Math.max(availableParallelism(), 2) + waitingWorkers,
    sequence: { sequencer: WaitingSuitesFirst },
  },
});
