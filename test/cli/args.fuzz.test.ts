/**
 * Fuzzing the command-line parser in-process (runCli with captured streams and an in-memory
 * file system for writes). Invariants for every argument list: no exception escapes (never
 * exit 70, never "internal error"/"unexpected error"), the exit code is one of 0, 1, 2, a
 * usage error says something, and each run finishes in bounded time. `npm test` runs a small
 * budget, `npm run fuzz` (FUZZ=1) a large one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, fuzzTimeout } from '../helpers/mutate.js';
import { cli } from '../helpers/cli.js';

/** Per run; a trace on the built-in scenario takes tens of milliseconds. */
const BOUND_MS = 10_000;

const COMMANDS = ['trace', 'show', 'get', 'validate', 'schema', 'diagram', 'iptables', 'iptables trace', 'completion', 'tracee', ''];
const NAMES = ['pod-a', 'pod-b', 'service-b', 'default/pod-a', 'svc/service-b', 'node-1', 'node-2', '10.244.1.2', '10.244.1.2:8080', '10.96.0.2:0', '[fd00::1]:80', '::1', 'nobody', '', '-', 'route', 'iptables', 'all', 'addr'];
const OPTIONS = ['--port', '--protocol', '--proto', '-o', '--output', '--seed', '--all-paths', '--no-reply', '--reply', '-f', '--file', '--format', '--view', '--trace', '--max-pods-per-node', '--rules', '--src', '--dst', '--sport', '--dport', '--in', '--out', '--local-addr', '--help', '-h', '--version', '--'];
const VALUES = ['0', '1', '80', '65535', '65536', '-1', '1.5', 'abc', 'NaN', 'Infinity', '1e309', '0x50', 'http', 'tcp', 'udp', 'icmp', 'sctp', 'json', 'text', 'html', 'svg', 'dot', 'png', 'cluster', 'node', 'chains', 'eth0', 'a'.repeat(20), 'eth/0', 'scenarios/default.yaml', 'test/fixtures/scenario-folder', 'test/fixtures/iptables/basic.save', '/nonexistent', '/dev/null', '10.0.0.1', '', ' ', 'é', '\u0000'];

const word = fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom(...OPTIONS), fc.constantFrom(...VALUES), fc.string({ maxLength: 6 }));
/** Mostly well-formed: a command, its positionals, option-value pairs; sometimes stray words. */
const argvArb = fc
  .tuple(
    fc.constantFrom(...COMMANDS),
    fc.array(fc.constantFrom(...NAMES), { maxLength: 2 }),
    fc.array(fc.tuple(fc.constantFrom(...OPTIONS), fc.oneof(fc.constantFrom(...VALUES), fc.constantFrom(...NAMES))), { maxLength: 4 }),
    fc.array(word, { maxLength: 2 }),
  )
  .map(([cmd, names, pairs, stray]) => [...cmd.split(' ').filter((w) => w !== ''), ...names, ...pairs.flat(), ...stray]);

/** Inputs that once broke the parser; each stays a test. */
const FOUND: readonly (readonly string[])[] = [
  ['trace', 'pod-a', 'service-b', '-o', 'json', '-o', 'text'],
  ['trace', 'pod-a', 'service-b', '--seed', 'abc'],
  ['trace', 'pod-a', '10.244.1.2:0'],
  ['trace', 'pod-a', 'pod-b', '--protocol', 'icmp', '--port', '80'],
  ['iptables', 'trace', '--rules', 'test/fixtures/iptables/basic.save', '--src', '10.0.0.1', '--dst', '10.0.0.2', '--in', 'a'.repeat(20)],
  ['diagram', '--out', '/nonexistent/x.svg'],
  ['validate', 'test/fixtures'],
  // yargs' `normalize: true` redefined the property of an option given twice: a TypeError, exit 70.
  ['iptables', 'trace', '--rules', '0', '--rules'],
];

async function check(argv: readonly string[]): Promise<void> {
  const t0 = performance.now();
  const r = await cli(argv, {}, { COLUMNS: '80' });
  const what = `netsim ${argv.map((a) => JSON.stringify(a)).join(' ')} → ${r.code}\n${r.stderr.slice(0, 500)}`;
  expect([0, 1, 2], what).toContain(r.code);
  expect(r.stderr, what).not.toMatch(/internal error|unexpected error|at .*\.[jt]s:\d+/);
  if (r.code === 2) expect(r.stderr.trim(), what).not.toBe('');
  expect(performance.now() - t0, `milliseconds for ${what}`).toBeLessThan(BOUND_MS);
}

describe('CLI argument fuzzing', () => {
  it.each(FOUND.map((a) => [a.join(' '), a] as const))('regression: %s', async (_what, argv) => check(argv));

  it('random argument lists: exit 0, 1 or 2, never an escaped exception, bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(argvArb, async (argv) => {
        await check(argv);
      }),
      { numRuns: fuzzRuns(60, 3_000) },
    );
  }, fuzzTimeout());
});
