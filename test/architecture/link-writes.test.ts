/**
 * Every write to a namespace's `links` goes through link-index.ts (`putLink`, `dropLink`), which
 * keeps the index of a large namespace's devices: a write past it would leave the index stale
 * and the build's answers wrong. Tests may build namespaces by hand.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modulesUnder } from '../browser/purity.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OWNER = 'src/kernel/link/link-index.ts';
/** `x.links[…] =`, `x.links.name =`, `delete x.links…`, `Object.assign(x.links`. */
const WRITE = /\blinks(\[[^\]]+\]|\.\w+)\s*=[^=]|delete\s+[\w.]*links\b|Object\.assign\(\s*[\w.]*links\b/;

describe('writes to ns.links', () => {
  it('happen only in link-index.ts', () => {
    const wrong: string[] = [];
    for (const file of modulesUnder(join(ROOT, 'src'), [])) {
      const rel = relative(ROOT, file);
      if (rel === OWNER || rel.endsWith('.test.ts')) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (WRITE.test(line)) wrong.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(wrong).toEqual([]);
  });
});
