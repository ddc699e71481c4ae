import { describe, expect, it } from 'vitest';
import { traceBatch } from '../../src/app/batch.js';
import { loadAndBuild } from '../../src/app/scenario.js';
import { defaultScenarioFiles } from '../../src/scenario/default.js';
import { cli } from '../helpers/cli.js';

const FLOWS = 'pod-a service-b\n# a comment\n\npod-a nothing\npod-a b-2 --port 99999\npod-c b-1 --no-reply\n';

describe('netsim trace --batch', () => {
  it('writes one JSON line per flow, errors with their line number, and fails when a line did', async () => {
    const r = await cli(['trace', '--batch', 'flows.txt'], { 'flows.txt': FLOWS });
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { line: number; error?: string; trace?: { schema: string; disposition: string } });
    expect(lines.map((l) => [l.line, l.error ?? l.trace?.disposition])).toEqual([
      [1, 'DELIVERED'],
      [4, 'destination: no pod, Service, node or IP called nothing'],
      [5, '--port 99999 is not a port: ports are 1–65535'],
      [6, 'DELIVERED'],
    ]);
    expect(lines[0]?.trace?.schema).toBe('netsim.trace/v1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('2 lines of flows.txt could not be traced');
  });

  it('reads the flows from standard input with -, and each trace equals the single trace', async () => {
    const batch = await cli(['trace', '--batch', '-'], {}, {}, 'pod-a service-b --seed 3\n');
    const single = await cli(['trace', 'pod-a', 'service-b', '--seed', '3', '-o', 'json']);
    expect(batch.code).toBe(0);
    expect((JSON.parse(batch.stdout) as { trace: unknown }).trace).toEqual(JSON.parse(single.stdout));
  });

  it('refuses SRC/DST beside --batch, and two readers of standard input', async () => {
    expect((await cli(['trace', 'pod-a', 'b', '--batch', 'f'])).stderr).toContain('--batch takes the flows from its file');
    expect((await cli(['trace', '--batch', '-', '-f', '-'])).stderr).toContain('both want standard input');
    expect((await cli(['trace', 'pod-a'])).stderr).toContain('want SRC and DST (or --batch FILE)');
  });

  it('the library form takes queries and answers each', () => {
    const built = loadAndBuild(defaultScenarioFiles()).built!;
    const results = traceBatch(built, [{ src: 'pod-a', dst: 'service-b', seed: 1 }, { src: 'pod-a', dst: 'nope', seed: 1 }]);
    expect(results.map((r) => ('error' in r ? r.error : r.run.trips[0]?.forward.ending.disposition))).toEqual(['DELIVERED', 'destination: no pod, Service, node or IP called nope']);
  });
});
