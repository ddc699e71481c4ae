/**
 * The whole `netsim` process's CPU time (user + system, `/usr/bin/time`), node's start-up and
 * module loading included, which the in-process benches (validate-cpu.ts) leave out. Each
 * entry is an executable JavaScript file of the CLI (a bundle, dist/cli/netsim.js, or tsc's
 * dist/src/cli/main.js, of this or another checkout); every command is run with each entry in
 * turn, round after round, so that all entries see the same minutes of a shared machine.
 *
 *   npm run build
 *   node dist/bench/cli-start.js RUNS ENTRY… -- FILE…
 *
 * prints, per command, the least and the median CPU seconds of each entry. The commands are
 * `--version`, `validate` on the built-in scenario's file, then `validate -f FILE` for each FILE.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One process's user + system seconds, as /usr/bin/time reports them (10 ms resolution). */
function cpuSeconds(entry: string, args: readonly string[], dir: string): number {
  const report = join(dir, 'time');
  try {
    execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', report, process.execPath, entry, ...args], { stdio: 'ignore', maxBuffer: 1 << 26 });
  } catch {
    // validate exits 1 on a scenario with problems; its time is still what was asked for.
  }
  const [user, sys] = readFileSync(report, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  return (user ?? NaN) + (sys ?? NaN);
}

function summary(xs: readonly number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${(s[0] ?? NaN).toFixed(2)} / ${(s[Math.floor(s.length / 2)] ?? NaN).toFixed(2)}`;
}

const argv = process.argv.slice(2);
const runs = Number(argv[0] ?? 5);
const split = argv.indexOf('--');
const entries = split < 0 ? argv.slice(1) : argv.slice(1, split);
const files = split < 0 ? [] : argv.slice(split + 1);
const commands: string[][] = [['--version'], ['validate', 'scenarios/default.yaml'], ...files.map((f) => ['validate', '-f', f])];
const dir = mkdtempSync(join(tmpdir(), 'netsim-cli-start-'));
console.log(`| command | ${entries.join(' | ')} |\n|---|${entries.map(() => '---:|').join('')}`);
for (const args of commands) {
  const times: number[][] = entries.map(() => []);
  for (let i = 0; i < runs; i++) entries.forEach((entry, k) => times[k]?.push(cpuSeconds(entry, args, dir)));
  console.log(`| ${args.join(' ')} | ${times.map((t) => `${summary(t)} s`).join(' | ')} |`);
}
rmSync(dir, { recursive: true, force: true });
