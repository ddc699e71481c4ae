/**
 * `netsim policy matrix` and `netsim policy explain` goldens on a small scenario
 * (test/golden/policy-matrix/netpol-small.yaml): the truth table, the JSON, and an explanation
 * with its suggested rule. Regenerate with `npx vitest run test/golden/policy-matrix.test.ts -u`
 * and review the diff.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const SMALL = 'test/golden/policy-matrix/netpol-small.yaml';
const text = readFileSync(SMALL, 'utf8');
/** The same scenario on Calico (Felix enforces) and with kube-router on the bridge plugin. */
const ENFORCED: Readonly<Record<string, string>> = {
  calico: text.replace('  nodes: [', '  cni: {type: calico}\n  nodes: ['),
  'kube-router': text.replace('  nodes: [', '  networkPolicy: {enforcer: kube-router}\n  nodes: ['),
};

describe('policy goldens', () => {
  it.each([
    ['matrix.txt', ['policy', 'matrix', '-f', SMALL]],
    ['matrix.json', ['policy', 'matrix', '-f', SMALL, '-o', 'json']],
    ['matrix-udp-81.json', ['policy', 'matrix', '-f', SMALL, '--protocol', 'UDP', '--port', '81', '-o', 'json']],
    ['explain-denied.txt', ['policy', 'explain', 'y/a', 'x/b', '-f', SMALL]],
    ['explain-allowed.txt', ['policy', 'explain', 'x/a', 'y/b', '-f', SMALL]],
  ] as const)('%s', async (file, args) => {
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`policy-matrix/${file}`);
  });

  it.each(Object.keys(ENFORCED))('enforced by %s: the table and the JSON, no disagreement', async (name) => {
    const files = { 'small.yaml': ENFORCED[name] ?? '' };
    const t = await cli(['policy', 'matrix', '-f', 'small.yaml'], files);
    expect(t.code, t.stderr).toBe(0);
    await expect(t.stdout).toMatchFileSnapshot(`policy-matrix/matrix-${name}.txt`);
    const j = await cli(['policy', 'matrix', '-f', 'small.yaml', '-o', 'json'], files);
    expect(JSON.parse(j.stdout).disagreements).toEqual([]);
    await expect(j.stdout).toMatchFileSnapshot(`policy-matrix/matrix-${name}.json`);
  });
});
