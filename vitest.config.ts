import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One worker per core, not vitest's cores − 1: on a 2-core machine that default is one worker,
    // and the kernel suites spend most of their time waiting on the kernel (probes, timeouts),
    // so the two scenario shards and the rest ran one after another.
    maxWorkers: Math.max(availableParallelism(), 2),
  },
});
