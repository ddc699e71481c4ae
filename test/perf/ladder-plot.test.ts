/**
 * The bench's ladder chart (bench/ladder-plot.ts) is a pure function of the rungs: a golden
 * SVG for fixed figures, one polyline per series with a marker per rung, in node order
 * whatever order the rungs come in.
 */
import { describe, expect, it } from 'vitest';
import type { Rung } from '../../bench/ladder-one.js';
import { ladderSvg } from '../../bench/ladder-plot.js';

const rung = (nodes: number, scale: number): Rung => ({
  nodes,
  pods: nodes * 30,
  services: Math.min(nodes * 10, 10_000),
  loadMs: 30 * scale,
  buildMs: 50 * scale,
  buildCpuMs: 45 * scale,
  firstTraceMs: 5 * scale,
  medianTraceMs: 2 + scale / 100,
  tracesPerSecond: 1000 / scale,
  peakRssMiB: 100 + 3 * nodes,
});
const RUNGS = [rung(10, 1), rung(100, 9), rung(1000, 80), rung(5000, 300)];

describe('ladder chart', () => {
  it('is the golden SVG for fixed rungs', async () => {
    await expect(ladderSvg(RUNGS)).toMatchFileSnapshot('../golden/bench/ladder.svg');
  });

  it('draws every series through every rung, in node order', () => {
    const svg = ladderSvg([...RUNGS].reverse());
    expect(svg).toBe(ladderSvg(RUNGS));
    expect(svg.match(/<polyline /g)).toHaveLength(5);
    expect(svg.match(/<circle /g)).toHaveLength(5 * RUNGS.length);
    const xs = /points="([^"]+)"/.exec(svg)![1]!.split(' ').map((p) => Number(p.split(',')[0]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });
});
