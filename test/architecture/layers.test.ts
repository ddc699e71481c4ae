/**
 * The layers of docs/architecture.md, checked: a module imports only its own layer and the
 * layers before it in LAYERS; the plugin layers (cni, proxy, and later policy, bgp) never import
 * each other; web/ never imports src/cli/.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modulesUnder } from '../browser/purity.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** Bottom to top; a group in one entry are siblings. */
const LAYERS: readonly (readonly string[])[] = [['hash'], ['diag'], ['addr'], ['packet'], ['sim'], ['kernel'], ['cni', 'proxy', 'policy', 'bgp'], ['cluster'], ['scenario'], ['trace'], ['render'], ['app'], ['cli']];
const rank = (layer: string): number => LAYERS.findIndex((g) => g.includes(layer));

/** `from → to` for every relative import that crosses a layer of src/. */
function crossings(): { from: string; to: string; file: string }[] {
  const out: { from: string; to: string; file: string }[] = [];
  for (const file of modulesUnder(join(ROOT, 'src'), [])) {
    const from = relative(join(ROOT, 'src'), file).split('/')[0] ?? '';
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const to = relative(join(ROOT, 'src'), resolve(dirname(file), m[1] ?? '')).split('/')[0] ?? '';
      if (to !== from) out.push({ from, to, file: relative(ROOT, file) });
    }
  }
  return out;
}

describe('layers', () => {
  it('every folder of src/ is a known layer', () => {
    const folders = new Set(modulesUnder(join(ROOT, 'src'), []).map((f) => relative(join(ROOT, 'src'), f).split('/')[0]));
    for (const f of folders) expect(rank(f ?? ''), `src/${f} is not in LAYERS`).toBeGreaterThanOrEqual(0);
  });

  it('imports point down, and siblings do not import each other', () => {
    const wrong = crossings().filter((c) => rank(c.to) >= rank(c.from)).map((c) => `${c.file}: ${c.from} → ${c.to}`);
    expect(wrong).toEqual([]);
  });

  it('the playground does not import the CLI', () => {
    const wrong = modulesUnder(join(ROOT, 'web'), []).filter((f) => /from '\.\.\/src\/cli\//.test(readFileSync(f, 'utf8')));
    expect(wrong).toEqual([]);
  });
});
