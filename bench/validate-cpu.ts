/**
 * `netsim validate -f FILE`'s CPU time inside the process (`process.cpuUsage()` around
 * `runCli`, so node's start-up and module loading are left out) on the 5 MB shapes of
 * bench/validate-shapes.ts, scenarios/large.yaml and the unclosed-quote shape of
 * bench/scenario-size.ts; one process per run. Two builds are compared by alternating them
 * run by run in the same minutes (the machine is shared: only such pairs mean anything), and
 * their printed diagnostics are compared byte for byte. The GC figure is the wall time of the
 * collector's pauses (PerformanceObserver): on a loaded machine it runs far above its CPU share.
 *
 *   npm run build
 *   node dist/bench/validate-cpu.js write /tmp/vshapes            # the 5 MB texts, once
 *   node dist/bench/validate-cpu.js compare OLD_ROOT NEW_ROOT /tmp/vshapes [runs=3]
 *   node dist/bench/validate-cpu.js once ROOT FILE                # one run: "cpu_ms gc_ms bytes hash"
 *
 * ROOT is a checkout whose `dist/` is built (e.g. a copy of main, and this worktree).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const MB = 1024 * 1024;

/** File names for the shapes (sorted as the table prints them). */
const FILES: Readonly<Record<string, string>> = {
  'many small documents (Pods and Services)': '1-small-docs.yaml',
  'one kind: List': '2-list.yaml',
  "Deployments and Services (large.yaml's shape)": '3-deployments.yaml',
  'nested NetworkPolicies': '5-nested-policies.yaml',
  'long strings (64 KiB annotations)': '6-long-strings.yaml',
};

/** Imported here only: a measured run loads nothing but ROOT's modules. */
async function write(dir: string): Promise<void> {
  const { VALID_SHAPES } = await import('./validate-shapes.js');
  const { HOSTILE_SHAPES } = await import('./scenario-size.js');
  mkdirSync(dir, { recursive: true });
  for (const [name, make] of Object.entries(VALID_SHAPES)) {
    const file = FILES[name];
    if (file !== undefined) writeFileSync(join(dir, file), make(5 * MB));
  }
  writeFileSync(join(dir, '4-large.yaml'), readFileSync(new URL('../../scenarios/large.yaml', import.meta.url)));
  const open = HOSTILE_SHAPES['one mapping, unclosed quote at the end'];
  if (open !== undefined) writeFileSync(join(dir, '7-unclosed-quote.yaml'), open(5 * MB));
}

/** One validate run in this process: CPU and GC milliseconds, output size and its hash. */
async function once(root: string, file: string): Promise<string> {
  process.env = { ...process.env };
  const { runCli } = (await import(pathToFileURL(join(resolve(root), 'dist/src/cli/run.js')).href)) as {
    runCli: (argv: readonly string[], io: unknown) => Promise<number>;
  };
  const out: string[] = [];
  const io = {
    stdout: (s: string) => out.push(s),
    stderr: (s: string) => out.push(s),
    readFile: (p: string) => readFileSync(p),
    isTTY: false,
    env: process.env,
  };
  let gc = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  const t0 = process.cpuUsage();
  const code = await runCli(['validate', '-f', file], io);
  const t = process.cpuUsage(t0);
  await new Promise((r) => setTimeout(r, 10));
  obs.disconnect();
  const text = out.join('');
  const hash = createHash('sha256').update(text).update(String(code)).digest('hex').slice(0, 12);
  return `${((t.user + t.system) / 1000).toFixed(0)} ${gc.toFixed(0)} ${text.length} ${hash}`;
}

function runOnce(root: string, file: string): { cpu: number; gc: number; hash: string } {
  const line = execFileSync(process.execPath, [new URL(import.meta.url).pathname, 'once', root, file], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim();
  const [cpu, gc, , hash] = line.split(' ');
  return { cpu: Number(cpu), gc: Number(gc), hash: hash ?? '' };
}

/**
 * Bytes the scavenger promoted in one run (V8's `--trace-gc-nvp`): what survives young, a
 * measure of collector work that the machine's load does not blur.
 */
function promotedMiB(root: string, file: string): number {
  const out = execFileSync(process.execPath, ['--trace-gc-nvp', new URL(import.meta.url).pathname, 'once', root, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  let bytes = 0;
  for (const m of out.matchAll(/promoted=(\d+)/g)) bytes += Number(m[1]);
  return bytes / 2 ** 20;
}

function compare(a: string, b: string, dir: string, runs: number): void {
  const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`| file | ${a} CPU (GC wall) | ${b} CPU (GC wall) | promoted MiB | same output |\n|---|---:|---:|---:|---|`);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const path = join(dir, file);
    const best = [{ cpu: Infinity, gc: 0, hash: '' }, { cpu: Infinity, gc: 0, hash: '' }];
    for (let i = 0; i < runs; i++) {
      [a, b].forEach((root, k) => {
        const r = runOnce(root, path);
        const cur = best[k] as { cpu: number; gc: number; hash: string };
        if (r.cpu < cur.cpu) best[k] = r;
        else cur.hash = r.hash;
      });
    }
    const [x, y] = best as [{ cpu: number; gc: number; hash: string }, { cpu: number; gc: number; hash: string }];
    const promoted = `${promotedMiB(a, path).toFixed(0)} → ${promotedMiB(b, path).toFixed(0)}`;
    console.log(`| ${file} | ${sec(x.cpu)} (${sec(x.gc)}) | ${sec(y.cpu)} (${sec(y.gc)}) | ${promoted} | ${x.hash === y.hash ? 'yes' : `NO ${x.hash} ${y.hash}`} |`);
  }
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'write') await write(args[0] ?? '/tmp/vshapes');
else if (cmd === 'once') console.log(await once(args[0] ?? '.', args[1] ?? ''));
else if (cmd === 'compare') compare(args[0] ?? '', args[1] ?? '', args[2] ?? '/tmp/vshapes', Number(args[3] ?? 3));
else console.error('usage: validate-cpu.js write DIR | once ROOT FILE | compare ROOT_A ROOT_B DIR [runs]');
