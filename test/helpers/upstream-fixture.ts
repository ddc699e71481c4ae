/**
 * One upstream kube-proxy test case written as a scenario fixture: rewrites the fixture when
 * NETSIM_UPDATE_FIXTURES=1, loads and builds it, and registers the two checks every fixture
 * has (the file is the case; it loads without a diagnostic). Shared by the iptables-mode and
 * nftables-mode upstream suites (test/proxy-flow/scenarios.test.ts, nft-scenarios.test.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadAndBuild } from '../../src/app/index.js';
import { hasErrors } from '../../src/diag/diagnostic.js';

/** Loads `path` (written from `want`), registers its two checks, and returns what it built. */
export function upstreamFixture(path: string, want: string): ReturnType<typeof loadAndBuild> {
  if (process.env.NETSIM_UPDATE_FIXTURES === '1' && (!existsSync(path) || readFileSync(path, 'utf8') !== want)) writeFileSync(path, want);
  const text = readFileSync(path, 'utf8');
  const loaded = loadAndBuild([{ path, text }]);

  it('is the case, written as a scenario', () => expect(text).toBe(want));

  it('loads without a diagnostic', () => {
    expect(loaded.diagnostics.map((d) => `${d.code} ${d.pos?.line}:${d.pos?.col} ${d.message}`)).toEqual([]);
    expect(hasErrors(loaded.diagnostics)).toBe(false);
  });
  return loaded;
}
