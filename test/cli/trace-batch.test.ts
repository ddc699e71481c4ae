/**
 * `netsim trace --batch FILE|-`: a line is accepted exactly when `netsim trace WORDS -o json`
 * accepts the same words, and then gives the same JSON; errors carry a code and FILE:LINE:COL;
 * the command's flow options are every line's defaults; progress only on a terminal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceBatch } from '../../src/app/batch.js';
import { loadAndBuild } from '../../src/app/scenario.js';
import { runCli } from '../../src/cli/run.js';
import { lineWords, parseFlowLine } from '../../src/cli/flow-line.js';
import { defaultScenarioFiles } from '../../src/scenario/default.js';
import { cli } from '../helpers/cli.js';

type Line = { schema?: string; disposition?: string; flow?: { packet: { proto: string } }; reply?: unknown; error?: { code: string; message: string; at: string } };
const parse = (stdout: string): Line[] => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);

describe('netsim trace --batch', () => {
  it('writes one JSON line per flow in file order, an error line for a bad one, and exits 1', async () => {
    const r = await cli(['trace', '--batch', 'flows.txt'], { 'flows.txt': 'pod-a service-b\n# a comment\n\n  pod-a  nothing \npod-c b-1 --no-reply # why\r\n' });
    const lines = parse(r.stdout);
    expect(lines.map((l) => l.disposition ?? l.error?.code)).toEqual(['DELIVERED', 'CLI_BATCH_NO_FLOW', 'DELIVERED']);
    expect(lines[1]?.error).toEqual({ code: 'CLI_BATCH_NO_FLOW', message: 'destination: no pod, Service, node or IP called nothing', at: 'flows.txt:4:10' });
    expect(lines[2]?.reply).toBeUndefined();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('flows.txt:4:10: error[CLI_BATCH_NO_FLOW]: destination: no pod, Service, node or IP called nothing\n  |\n4 |   pod-a  nothing \n  |          ^\n');
    expect(r.stderr).toContain('1 line of flows.txt could not be traced');
  });

  it('reads standard input with -, and exits 0 when every line was traced', async () => {
    const batch = await cli(['trace', '--batch', '-'], {}, {}, 'pod-a service-b --seed 3\n');
    const single = await cli(['trace', 'pod-a', 'service-b', '--seed', '3', '-o', 'json']);
    expect(batch.code).toBe(0);
    expect(batch.stderr).toBe('');
    expect(batch.stdout).toBe(`${JSON.stringify(JSON.parse(single.stdout))}\n`);
  });

  it("takes the command's flow options as every line's defaults, which a line overrides", async () => {
    const r = await cli(['trace', '--batch', 'f', '--no-reply', '--protocol', 'udp', '--port', '8080'], { f: 'pod-a b-1\npod-a b-1 --reply --protocol tcp\n' });
    expect(r.code, r.stderr).toBe(0);
    const [first, second] = parse(r.stdout);
    expect([first?.flow?.packet.proto, first?.reply === undefined]).toEqual(['udp', true]);
    expect([second?.flow?.packet.proto, second?.reply === undefined]).toEqual(['tcp', false]);
  });

  it('shows progress on stderr only when stderr is a terminal', async () => {
    const flows = 'pod-a b-1 --no-reply\n'.repeat(100);
    for (const tty of [true, false]) {
      let stderr = '';
      const code = await runCli(['trace', '--batch', 'f'], { stdout: () => undefined, stderr: (s) => (stderr += s), readFile: () => flows, isTTY: false, stderrIsTTY: tty, env: {} });
      expect(code).toBe(0);
      expect(stderr).toBe(tty ? '\r\x1b[Ktraced 100 flows\r\x1b[K' : '');
    }
  });

  it('refuses SRC/DST beside --batch, two readers of standard input, bad command-level values and a missing file', async () => {
    expect((await cli(['trace', 'pod-a', 'b', '--batch', 'f'])).stderr).toContain('--batch takes the flows from its file');
    expect((await cli(['trace', '--batch', '-', '-f', '-'])).stderr).toContain('both want standard input');
    expect((await cli(['trace', 'pod-a'])).stderr).toContain('want SRC and DST (or --batch FILE)');
    const port = await cli(['trace', '--batch', 'f', '--port', '0'], { f: 'pod-a b-1\n' });
    expect([port.code, port.stderr]).toEqual([2, expect.stringContaining('--port 0 is not a port')]);
    const missing = await cli(['trace', '--batch', 'nosuch-flows.txt']);
    expect([missing.code, missing.stdout]).toEqual([1, '']);
    expect(missing.stderr).toContain('FILE_UNREADABLE');
  });

  it('the library form takes queries and answers each', () => {
    const built = loadAndBuild(defaultScenarioFiles()).built!;
    const results = traceBatch(built, [{ src: 'pod-a', dst: 'service-b', seed: 1 }, { src: 'pod-a', dst: 'nope', seed: 1 }]);
    expect(results.map((r) => ('error' in r ? r.error : r.run.trips[0]?.forward.ending.disposition))).toEqual(['DELIVERED', 'destination: no pod, Service, node or IP called nope']);
  });
});

describe('a flow line', () => {
  it('is split into words with their columns, up to a word starting with #', () => {
    expect(lineWords('  pod-a\tb-1 --port=80 #x y')).toEqual([{ text: 'pod-a', col: 3 }, { text: 'b-1', col: 9 }, { text: '--port=80', col: 13 }]);
    expect(lineWords('# only a comment')).toEqual([]);
  });

  it.each([
    ['pod-a b-1 --seed x', 'CLI_BATCH_BAD_LINE', 11, '--seed must be a whole number'],
    ['pod-a b-1 --port 80 --port 81', 'CLI_BATCH_BAD_LINE', 21, '--port was given 2 times'],
    ['pod-a 10.0.0.1:0', 'CLI_BATCH_BAD_LINE', 7, '10.0.0.1:0: port 0 is not a port'],
    ['pod-a b-1 --protocol icmp --port 80', 'CLI_BATCH_BAD_LINE', 11, '--protocol icmp has no ports'],
    ['pod-a b-1 --family 5', 'CLI_BATCH_BAD_LINE', 11, '--family must be one of 4, 6'],
    ['pod-a b-1 --fail node-2', 'CLI_BATCH_BAD_LINE', 11, 'unknown option --fail'],
    ['pod-a b-1 b-2', 'CLI_BATCH_BAD_LINE', 11, 'unexpected word b-2'],
  ])('%s: %s at column %d', (text, code, col, message) => {
    const r = parseFlowLine(text, { file: 'f', line: 3 });
    expect('diagnostic' in r && r.diagnostic).toMatchObject({ code, pos: { file: 'f', line: 3, col } });
    expect('diagnostic' in r && r.diagnostic.message).toContain(message);
  });
});

/** Words a flow line may hold: names, addresses, and the flow options with good and bad values (not the command's own -o or --fail, which a line refuses: see above). */
const WORD = fc.constantFrom(
  'pod-a', 'b-1', 'service-b', 'nothing', '10.96.0.2:80', '10.244.1.2', '--port', '80', '8080', '70000', 'http', '--protocol', 'udp', 'icmp', 'tcp',
  '--seed', '7', '-1', '--no-reply', '--all-paths', '--size', '1500', '--no-df', '--family', '4', '6', '--dns', '--no-dns',
);

describe('a flow line and the trace command agree', () => {
  it('on which words are traced, and then on the JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(WORD, { minLength: 1, maxLength: 6 }), async (words) => {
        const single = await cli(['trace', ...words, '-o', 'json']);
        const batch = await cli(['trace', '--batch', 'f'], { f: `${words.join(' ')}\n` });
        const line = parse(batch.stdout)[0];
        if (single.code === 0) expect(line, `${words.join(' ')}: ${batch.stdout}`).toEqual(JSON.parse(single.stdout));
        else expect(line?.error?.code, `${words.join(' ')}: traced by --batch, refused by trace (${single.stderr})`).toMatch(/^CLI_BATCH_/);
      }),
      { numRuns: 20, seed: 13 },
    );
  }, 120_000);
});
