/**
 * The BGP example scenarios against real BIRD 2 (root only). Each scenario is built as `netsim`
 * builds it, materialized by the scenario differential's code (test/kernel/scenario/
 * materialize.ts: namespaces `nsh<hex>-<pid>-…` from netsim's show output), BIRD's own routes
 * (`proto bird`) flushed, and BIRD started in every speaker's namespace with
 * `netsim export bird`'s configuration (short timers). Once converged, each speaker's
 * `ip route show table all` (proto bird) and BIRD's best routes (protocol, BGP next hop) must
 * equal the model's (BuiltCluster.bgp.result and the kernel model's routes). Failures are
 * checked on the hand-written topologies (bird.diff.test.ts). One scenario at a time:
 * materializing is synchronous and would stall the others' polling.
 *
 * Skipped, with the reason printed: not root or no bird2; a scenario file not there yet; a
 * build without BuiltCluster.bgp; a world with an ipip device (this kernel has no ipip module).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { formatCidr, formatIp } from '../../../src/addr/index.js';
import type { BuiltCluster } from '../../../src/cluster/assemble/cluster.js';
import { renderSection } from '../../../src/render/netns-state.js';
import { must, run, sleep } from '../harness/sh.js';
import { buildScenario } from '../scenario/cluster.js';
import { type Materialized, materialize, unsupported } from '../scenario/materialize.js';
import { birdUnavailable } from './bird-available.js';
import { birdBestAt, killBirds, startBirds } from './lab.js';
import type { BestRoutes } from './netsim-side.js';

const SCENARIOS = ['calico-bgp-mesh.yaml', 'calico-bgp-rr.yaml', 'calico-tor-peering.yaml'];
const DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const skip = birdUnavailable();
if (skip !== undefined) console.warn(`[kernel-diff] SKIPPED the BIRD scenario differential (${SCENARIOS.join(', ')}): ${skip}`);

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((f) => f()));

/** Why this scenario cannot run against BIRD here, or its built cluster. */
function prepare(file: string): { built: BuiltCluster } | { reason: string } {
  const path = `${DIR}${file}`;
  if (!existsSync(path)) return { reason: `scenarios/${file} does not exist yet` };
  const b = buildScenario({ name: file, fileArgs: ['-f', path], path, text: readFileSync(path, 'utf8') });
  if ('problem' in b) return { reason: `scenarios/${file} ${b.problem}` };
  if (b.built.bgp === undefined || b.built.bgp.speakers.length === 0) return { reason: `scenarios/${file}: the build has no BuiltCluster.bgp` };
  const why = unsupported(b.built.world);
  if (why !== undefined) return { reason: `scenarios/${file}: ${why}` };
  return b;
}

const birdLines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /\bproto bird\b/.test(l))
    .sort();

function modelBest(built: BuiltCluster, name: string, keep: Set<string>): BestRoutes {
  const view = built.bgp?.result.speakers[name];
  const out: Record<string, { protocol: string; nextHop?: string }> = {};
  for (const r of view?.routes ?? []) {
    if (!r.best || !keep.has(r.protocol)) continue;
    out[formatCidr(r.prefix)] = { protocol: r.protocol, ...(r.nextHop === undefined ? {} : { nextHop: formatIp(r.nextHop) }) };
  }
  return sorted(out);
}

const sorted = (b: BestRoutes): BestRoutes => Object.fromEntries(Object.entries(b).sort(([a], [c]) => a.localeCompare(c)));

describe.skipIf(skip !== undefined)('BGP scenarios against BIRD 2', () => {
  it.for(SCENARIOS)('%s: converged routes equal the model', { timeout: 90_000 }, async (file, { expect, skip: skipTest }) => {
    const p = prepare(file);
    if ('reason' in p) {
      console.warn(`[kernel-diff] SKIPPED BIRD on ${file}: ${p.reason}`);
      skipTest();
      return;
    }
    const { built } = p;
    const bgp = built.bgp!;
    const m: Materialized = materialize(built.world);
    const dir = mkdtempSync(join(tmpdir(), `nsBG-${process.pid}-scn-`));
    let pids: number[] = [];
    cleanup.push(() => {
      killBirds(pids);
      m.dispose();
      rmSync(dir, { recursive: true, force: true });
    });
    const nsFor = (name: string): string => {
      const ns = m.names[name];
      if (ns === undefined) throw new Error(`speaker ${name} has no namespace`);
      return ns;
    };
    for (const s of bgp.speakers) for (const fam of ['-4', '-6']) run('ip', ['-n', nsFor(s.name), fam, 'route', 'flush', 'proto', 'bird']);
    pids = startBirds(bgp.speakers, nsFor, dir);

    const want = { kernel: {} as Record<string, string[]>, best: {} as Record<string, BestRoutes> };
    const keepOf = (name: string) => {
      const s = bgp.speakers.find((x) => x.name === name);
      return new Set([...(s?.peers.map((x) => x.protocol) ?? []), ...(s?.originate.map((o) => o.protocol) ?? [])]);
    };
    for (const s of bgp.speakers) {
      const ns = built.world.netns[s.name];
      want.kernel[s.name] = ns === undefined ? [] : birdLines(renderSection(built.world, ns, 'route'));
      want.best[s.name] = modelBest(built, s.name, keepOf(s.name));
    }
    const observe = () => {
      const got = { kernel: {} as Record<string, string[]>, best: {} as Record<string, BestRoutes> };
      for (const s of bgp.speakers) {
        got.kernel[s.name] = birdLines(must('ip', ['-n', nsFor(s.name), 'route', 'show', 'table', 'all']));
        const keep = keepOf(s.name);
        // kernel1 also learns routes netsim does not originate (the default route): only the originated ones count.
        const learned = new Set(s.originate.filter((o) => !o.blackhole).map((o) => formatCidr(o.prefix)));
        const bird = Object.entries(birdBestAt(join(dir, `${s.name}.ctl`))).filter(([prefix, r]) => keep.has(r.protocol) && (r.protocol !== 'kernel1' || learned.has(prefix)));
        got.best[s.name] = sorted(Object.fromEntries(bird));
      }
      return got;
    };
    const t0 = Date.now();
    let got = observe();
    while (JSON.stringify(got) !== JSON.stringify(want) && Date.now() - t0 < 15_000) {
      await sleep(250);
      got = observe();
    }
    expect(got, `${file}: BIRD and ip route (proto bird) vs netsim`).toEqual(want);
    console.warn(`[kernel-diff] BIRD on ${file}: ${bgp.speakers.length} speakers converged after ${((Date.now() - t0) / 1000).toFixed(1)} s, routes equal netsim's`);
  });
});
