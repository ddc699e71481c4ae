/**
 * Differential test of `netsim iptables trace` against the Linux kernel: each case's rules are
 * loaded into a fresh namespace lab, a real packet is sent and traced with `xtables-monitor
 * --trace`, and the same packet goes through netsim in-process. Steps (hook, table, chain, rule
 * text, verdict), the final verdict and the packet after NAT must agree. Skipped, with the
 * reason printed, where the kernel side cannot run (not root, tools missing) or netsim's CLI is
 * missing. See docs/testing.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, type DiffCase, netsimArgs } from './cases.js';
import { kernelAvailable } from './harness/available.js';
import { traceInKernel, type KernelResult } from './harness/kernel-trace.js';
import { ourNamespaces, removeStaleNamespaces } from './harness/namespaces.js';
import { loadRunCli, runNetsim, type NetsimResult } from './harness/netsim.js';
import { outcomeDifferences, packetText, sideBySide, type TraceOutcome } from './harness/steps.js';

const RUN_START = Date.now();
const FIXTURES = fileURLToPath(new URL('../fixtures/kernel-diff/', import.meta.url));

const kernel = kernelAvailable();
const cli = await loadRunCli();
const skipReason = !kernel.ok ? `kernel side unavailable: ${kernel.why}` : 'missing' in cli ? `netsim side unavailable: ${cli.missing}` : undefined;
if (skipReason !== undefined) console.warn(`[kernel-diff] SKIPPED ${CASES.length} kernel differential cases: ${skipReason}`);
else console.warn(`[kernel-diff] running ${CASES.length} kernel differential cases (${kernel.why})`);

describe.skipIf(skipReason !== undefined)('netsim iptables trace vs the Linux kernel', () => {
  beforeAll(() => {
    const stale = removeStaleNamespaces(RUN_START);
    if (stale.length > 0) console.warn(`[kernel-diff] removed stale namespaces from a crashed run: ${stale.join(', ')}`);
  });
  afterAll(() => {
    const mine = ourNamespaces().filter((n) => n.includes(`-${process.pid}-`));
    expect(mine, 'namespaces left behind by this run').toEqual([]);
  });

  it.for(CASES.map((c) => [c.name, c] as const))('%s', async ([, c], ctx) => {
    if ('missing' in cli) throw new Error(cli.missing);
    const rulesPath = `${FIXTURES}${c.rules}`;
    const rules = readFileSync(rulesPath, 'utf8');
    const ipsets = c.ipsets === undefined ? {} : { ipsets: readFileSync(`${FIXTURES}${c.ipsets}`, 'utf8') };
    const k = await traceInKernel({ ...(c.in !== undefined ? { inDev: c.in } : {}), outDev: c.out, addrs: c.addrs, rules, ...ipsets }, c.packet);
    capture(c, k);
    const n = await runNetsim(cli.runCli, netsimArgs(c, rulesPath));
    const unmodelled = unmodelledFeatures(n);
    if (unmodelled.length > 0) {
      console.warn(`[kernel-diff] skipped "${c.name}": netsim does not model ${unmodelled.join(', ')}`);
      ctx.skip(`netsim does not model ${unmodelled.join(', ')}`);
    }
    const report = compare(c, k, n);
    if (report !== undefined) expect.fail(report);
  });
});

/**
 * With KERNEL_DIFF_CAPTURE=<dir>, writes what the kernel showed for each case (`<case>.monitor.txt`
 * and `<case>.kernel.json`); that is how the parser fixtures in
 * test/fixtures/kernel-diff/monitor/ were made.
 */
function capture(c: DiffCase, k: KernelResult): void {
  const dir = process.env['KERNEL_DIFF_CAPTURE'];
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  const slug = c.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  writeFileSync(`${dir}/${slug}.monitor.txt`, k.monitorText);
  writeFileSync(`${dir}/${slug}.kernel.json`, `${JSON.stringify({ case: c, outcome: k.outcome, notes: k.notes }, null, 2)}\n`);
}

/** Matches and targets netsim refused as not modelled (IPT_UNKNOWN_MATCH / IPT_UNKNOWN_TARGET), by name. */
function unmodelledFeatures(n: NetsimResult): string[] {
  if (n.outcome !== undefined) return [];
  const found = [...n.stderr.matchAll(/error\[IPT_UNKNOWN_(?:MATCH|TARGET)\]: unknown \w+ "([^"]+)"/g)].map((m) => m[1] as string);
  return [...new Set(found)];
}

/** undefined when netsim agrees with the kernel, else the full failure message. */
function compare(c: DiffCase, k: KernelResult, n: NetsimResult): string | undefined {
  const opts = { ignoreSport: c.randomSport === true };
  if (n.outcome === undefined) return header(c, k, `netsim gave no trace (exit ${n.code}):\n${n.stderr}${n.stdout}`);
  if (c.allPaths !== true) {
    const diffs = outcomeDifferences(k.outcome, n.outcome, opts);
    return diffs.length === 0 ? undefined : header(c, k, describe2(diffs, k.outcome, n.outcome));
  }
  const candidates = n.paths.length > 0 ? n.paths : [n.outcome];
  const scored = candidates.map((p) => ({ p, diffs: outcomeDifferences(k.outcome, p, opts) }));
  if (scored.some((s) => s.diffs.length === 0)) return undefined;
  const best = scored.reduce((a, b) => (commonPrefix(k.outcome, b.p) > commonPrefix(k.outcome, a.p) ? b : a));
  return header(c, k, `the kernel's path is none of netsim's ${candidates.length} paths; closest:\n${describe2(best.diffs, k.outcome, best.p)}`);
}

function commonPrefix(a: TraceOutcome, b: TraceOutcome): number {
  let i = 0;
  while (i < a.steps.length && i < b.steps.length && JSON.stringify(a.steps[i]) === JSON.stringify(b.steps[i])) i++;
  return i;
}

function describe2(diffs: readonly string[], k: TraceOutcome, n: TraceOutcome): string {
  return [
    ...diffs.map((d) => `  - ${d}`),
    `  kernel: ${k.verdict}, ${packetText(k.packet)}`,
    `  netsim: ${n.verdict}, ${packetText(n.packet)}`,
    '',
    sideBySide(k.steps, n.steps),
  ].join('\n');
}

function header(c: DiffCase, k: KernelResult, body: string): string {
  const cmd = `netsim ${netsimArgs(c, `test/fixtures/kernel-diff/${c.rules}`).join(' ')} -o json`;
  const notes = k.notes.length > 0 ? `\nharness notes:\n${k.notes.map((x) => `  - ${x}`).join('\n')}` : '';
  return `${c.name}\n  ${cmd}\n${body}${notes}\n\nxtables-monitor --trace:\n${k.monitorText.trim()}\n`;
}
