/**
 * `netsim validate` does work linear in the scenario's size, whatever its shape (issue 9): the
 * loader and the diagnostics printer run on each shape of bench/validate-shapes.ts at 60 KB and
 * at four times that, and the function calls they make (counted by V8, test/helpers/work-count.ts,
 * never timed) may grow by at most 6×: linear work grows about 4×, quadratic work 16×.
 */
import { describe, expect, it } from 'vitest';
import { VALID_SHAPES } from '../../bench/validate-shapes.js';
import { formatDiagnostics } from '../../src/render/diagnostics.js';
import { loadScenario } from '../../src/scenario/index.js';
import { countWork } from '../helpers/work-count.js';

const SMALL = 60_000;

function validate(text: string): void {
  const { diagnostics } = loadScenario([{ path: 'big.yaml', text }]);
  formatDiagnostics(diagnostics, () => text);
}

describe('validate: work grows linearly with the input', () => {
  it.each(Object.entries(VALID_SHAPES))('%s', async (_name, make) => {
    const [small, large] = [make(SMALL), make(4 * SMALL)];
    await countWork(() => validate(small)); // first calls compile and cache: not the input's work
    const once = await countWork(() => validate(small));
    const four = await countWork(() => validate(large));
    expect(once).toBeGreaterThan(1000);
    expect(four / once, `calls: ${once} for ${small.length} characters, ${four} for ${large.length}`).toBeLessThan(6);
  });

  it('the counter sees quadratic work', async () => {
    // A loader that rescanned every earlier document for each document would look like this.
    const rescan = (n: number) => () => {
      const docs = Array.from({ length: n }, (_, i) => ({ name: `p${i}` }));
      docs.forEach((d, i) => docs.slice(0, i).some((e) => e.name === d.name));
    };
    const here = /validate-work\.test/;
    expect((await countWork(rescan(800), here)) / (await countWork(rescan(200), here))).toBeGreaterThan(10);
  });
});
