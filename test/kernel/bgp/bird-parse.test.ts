/**
 * Every BIRD golden (test/golden/bird/*.conf, written by src/render/bird-config.test.ts) is a
 * configuration BIRD 2 accepts: `bird -p -c FILE` parses it and exits 0. Root only (the BIRD
 * suites run together), skipped with a printed reason when not root or when bird2 is missing.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { birdUnavailable } from './bird-available.js';
import { run } from '../harness/sh.js';

const DIR = fileURLToPath(new URL('../../golden/bird/', import.meta.url));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.conf')).sort();
const skip = birdUnavailable();
if (skip !== undefined) console.warn(`[kernel-diff] SKIPPED bird -p on ${FILES.length} BIRD goldens: ${skip}`);
else console.warn(`[kernel-diff] running bird -p on ${FILES.length} BIRD goldens`);

describe.skipIf(skip !== undefined)('BIRD 2 parses every exported configuration', () => {
  it.each(FILES)('%s', (file) => {
    const r = run('bird', ['-p', '-c', `${DIR}${file}`]);
    expect(r.stderr.trim(), `bird -p -c ${file}`).toBe('');
    expect(r.code).toBe(0);
  });
});
