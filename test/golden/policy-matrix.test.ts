/**
 * `netsim policy matrix` and `netsim policy explain` goldens on a small scenario
 * (test/golden/policy-matrix/netpol-small.yaml): the truth table, the JSON, and an explanation
 * with its suggested rule. Regenerate with `npx vitest run test/golden/policy-matrix.test.ts -u`
 * and review the diff.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const SMALL = 'test/golden/policy-matrix/netpol-small.yaml';

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
});
