/**
 * readSources (each document read as soon as the fast reader parses it) against the way it
 * replaces: parseSources for every file, then readDocuments. Same raw objects (fields compared
 * by path and value), same parse and reader diagnostics in the same order, with both YAML
 * readers, on the example scenarios mutated and split across files (a later file or document
 * the fast reader declines drops what was read of that file).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, editArb } from '../../test/helpers/mutate.js';
import { goldenScenarios } from '../../test/helpers/scenarios.js';
import { readDocuments } from './documents.js';
import { loadScenario } from './load.js';
import { emptyRaw } from './raw.js';
import { readSources } from './read-sources.js';
import { type LoadOptions, type ScenarioFile, parseSources } from './source.js';

const dir = join(import.meta.dirname, '../../scenarios');
const SEEDS = goldenScenarios(dir).map((n) => readFileSync(join(dir, n), 'utf8'));

/** The raw objects as data: a field is its path and value (its context is the document it came from). */
function shown(raw: unknown): string {
  return JSON.stringify(raw, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'object' && v !== null && 'ctx' in v && 'path' in v) {
      const f = v as { path: unknown; value: unknown; ctx: { src: { file: string } } };
      return { field: f.path, value: f.value, file: f.ctx.src.file };
    }
    return v;
  });
}

function reference(files: readonly ScenarioFile[], options: LoadOptions): { raw: string; parsed: unknown; read: unknown } {
  const { docs, diagnostics } = parseSources(files, options);
  const raw = emptyRaw();
  const read = [] as Parameters<typeof readDocuments>[2];
  readDocuments(docs, raw, read);
  return { raw: shown(raw), parsed: diagnostics, read };
}

function same(files: readonly ScenarioFile[]): void {
  for (const yamlReader of ['fast', 'library'] as const) {
    const want = reference(files, { yamlReader });
    const got = readSources(files, { yamlReader });
    expect(got.parsed).toEqual(want.parsed);
    expect(got.read).toEqual(want.read);
    expect(shown(got.raw)).toBe(want.raw);
  }
}

/** A text cut into up to three files at document boundaries. */
function split(text: string, cuts: readonly number[]): ScenarioFile[] {
  const docs = text.split(/^(?=---$)/m);
  const at = [...new Set(cuts.map((c) => Math.floor(c * docs.length)))].sort((a, b) => a - b);
  const files: ScenarioFile[] = [];
  let from = 0;
  for (const to of [...at, docs.length]) {
    if (to <= from) continue;
    files.push({ path: `f${files.length}.yaml`, text: docs.slice(from, to).join('') });
    from = to;
  }
  return files;
}

describe('readSources = parseSources then readDocuments', () => {
  it('every example scenario, whole', () => {
    for (const text of SEEDS) same([{ path: 's.yaml', text }]);
  });

  it('mutated examples, split across files', () => {
    const arb = fc.tuple(fc.constantFrom(...SEEDS), fc.array(editArb, { maxLength: 6 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { maxLength: 2 }));
    fc.assert(fc.property(arb, ([seed, edits, cuts]) => same(split(applyEdits(seed, edits), cuts))), { numRuns: 300 });
  });

  it('the loader\'s diagnostics keep their order when the fast reader declines a later file part-way', () => {
    const good = SEEDS[0] ?? '';
    // The second file reads fast up to an anchor, which leaves the file to yaml.
    const files = [{ path: 'a.yaml', text: good }, { path: 'b.yaml', text: `apiVersion: v1\nkind: Pod\nmetadata: {name: p, bad: 1}\n---\nx: &a 1\n` }];
    same(files);
    const [fast, library] = [loadScenario(files), loadScenario(files, { yamlReader: 'library' })];
    expect(fast.diagnostics).toEqual(library.diagnostics);
  });
});
