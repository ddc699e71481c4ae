/**
 * `netsim trace --batch FILE --jobs N`: the lines traced on N worker threads (the CLI's own worker,
 * bundled: test/helpers/batch-worker.ts) give the same stdout, stderr and exit code, byte for byte,
 * as `--jobs 1`: traced lines, lines the cluster cannot trace, lines `netsim trace` would refuse,
 * comments and blank lines, the terminal's progress, a scenario that does not load; and so do
 * random flows files (fast-check).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { bundleBatchWorker, cliWithWorkers } from '../helpers/batch-worker.js';

let worker: { file: string; remove: () => void } | undefined;
beforeAll(async () => {
  worker = await bundleBatchWorker();
}, 60_000);
afterAll(() => worker?.remove());

/** `netsim trace --batch f ARGS…` on `flows`, with `--jobs N` on worker threads. */
const batch = (jobs: number | string, flows: string, args: readonly string[] = [], files: Record<string, string> = {}, tty = false) =>
  cliWithWorkers(worker?.file ?? '', ['trace', '--batch', 'f', '--jobs', String(jobs), ...args], { f: flows, ...files }, tty);

const MIXED = 'pod-a service-b\n# a comment\n\n  pod-a  nothing \npod-c b-1 --no-reply # why\r\npod-a b-1 --port 0\npod-a 10.96.0.2:80 --seed 5\nnobody b-1\npod-a b-1 --protocol icmp --size 1500\npod-a b-1 --fail node-2\npod-a service-b --all-paths\n';

describe('netsim trace --batch --jobs N', () => {
  it('writes what --jobs 1 writes, byte for byte, for traced, untraceable and refused lines', async () => {
    const one = await batch(1, MIXED);
    expect(one.code).toBe(1);
    expect(one.stdout.trimEnd().split('\n')).toHaveLength(9);
    expect(one.stderr).toContain('CLI_BATCH_NO_FLOW');
    expect(one.stderr).toContain('CLI_BATCH_BAD_LINE');
    for (const jobs of [2, 3, 'auto']) expect(await batch(jobs, MIXED), `--jobs ${jobs}`).toEqual(one);
  }, 120_000);

  it('is what the command without --jobs writes, with the command-level options as every line\'s defaults', async () => {
    const plain = await cli(['trace', '--batch', 'f', '--no-reply', '--protocol', 'udp'], { f: MIXED });
    expect(await batch(2, MIXED, ['--no-reply', '--protocol', 'udp'])).toEqual(plain);
  }, 120_000);

  it('shows the same progress on a terminal (every 100 flows, in order)', async () => {
    const flows = 'pod-a b-1 --no-reply\npod-c service-b\n'.repeat(110);
    const one = await batch(1, flows, [], {}, true);
    const two = await batch(2, flows, [], {}, true);
    expect(one.stderr).toBe('\r\x1b[Ktraced 100 flows\r\x1b[Ktraced 200 flows\r\x1b[K');
    expect(two).toEqual(one);
  }, 120_000);

  it('prints the scenario\'s problems once and exits 1 when it does not load, as --jobs 1 does', async () => {
    const bad = { 'bad.yaml': 'kind: Pod\nmetadata: {name: x}\n' };
    const one = await batch(1, MIXED, ['-f', 'bad.yaml'], bad);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('SCN_NO_CLUSTER');
    expect(await batch(2, MIXED, ['-f', 'bad.yaml'], bad)).toEqual(one);
  }, 120_000);

  it('reads the scenario from standard input once, for every worker', async () => {
    const scenario = (await import('node:fs')).readFileSync('scenarios/default.yaml', 'utf8');
    const one = await cliWithWorkers(worker?.file ?? '', ['trace', '--batch', 'f', '-f', '-'], { f: MIXED, '-': scenario });
    const two = await cliWithWorkers(worker?.file ?? '', ['trace', '--batch', 'f', '--jobs', '2', '-f', '-'], { f: MIXED, '-': scenario });
    expect(two).toEqual(one);
  }, 120_000);

  it('traces on this thread when the CLI has no worker threads to start (an embedding): the same output', async () => {
    expect(await cli(['trace', '--batch', 'f', '--jobs', '2'], { f: MIXED })).toEqual(await batch(1, MIXED));
  }, 120_000);

  it.each([
    ['0', '--jobs must be a whole number from 1 (threads to trace on) or auto (one per core), got 0'],
    ['-1', 'got -1'],
    ['1.5', 'got 1.5'],
    ['two', 'got two'],
    ['', 'got '],
  ])('refuses --jobs %j with a usage error', async (jobs, message) => {
    const r = await cli(['trace', '--batch', 'f', `--jobs=${jobs}`], { f: 'pod-a b-1\n' });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain(message);
  });

  it('refuses --jobs without --batch, and --jobs given twice', async () => {
    expect((await cli(['trace', 'pod-a', 'b-1', '--jobs', '2'])).stderr).toContain('--jobs goes with --batch FILE');
    expect((await cli(['trace', '--batch', 'f', '--jobs', '2', '--jobs', '3'], { f: 'pod-a b-1\n' })).stderr).toContain('--jobs was given 2 times');
  });
});

/** Lines of a random flows file: flows that trace, that the cluster cannot make, that the command refuses; comments, blanks, CRLF. */
const LINE = fc.oneof(
  fc.constantFrom('pod-a service-b', 'pod-a b-1 --no-reply', 'pod-c b-2 --port 8080', 'pod-a 10.96.0.2:80', 'b-1 pod-a --protocol udp --seed 9', 'pod-a service-b --all-paths', 'pod-a service-b --dns'),
  fc.constantFrom('pod-a nothing', 'ghost b-1', 'pod-a b-1 --port nope', 'pod-a b-1 --port 0', 'pod-a', 'pod-a b-1 extra', 'pod-a b-1 --bogus'),
  fc.constantFrom('', '# a comment', '   ', 'pod-a b-1 # trailing\r'),
);

describe('random flows files', () => {
  it('give byte-identical output on 1, 2 and 3 jobs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(LINE, { minLength: 1, maxLength: 30 }), fc.constantFrom(2, 3), async (lines, jobs) => {
        const flows = `${lines.join('\n')}\n`;
        expect(await batch(jobs, flows), flows).toEqual(await batch(1, flows));
      }),
      { numRuns: 8, seed: 13 },
    );
  }, 300_000);
});
