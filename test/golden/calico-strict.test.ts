/**
 * calico-pool-exhaustion.yaml with `strictAffinity: true`, as its comment asks the reader to try:
 * node-3 may no longer borrow from another node's block, so calico-node gets no tunnel address
 * there and the pod `lonely` no sandbox, with calico-ipam's own error. Goldens for what the
 * user sees: the build's warnings, the IPAM blocks, node-3's routes and the trace's answer.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const FILE = 'scenarios/calico-pool-exhaustion.yaml';
const STRICT = readFileSync(FILE, 'utf8').replace(/^  strictAffinity: false$/m, '  strictAffinity: true');
const files = { [FILE]: STRICT };

describe('calico-pool-exhaustion with strictAffinity: true', () => {
  it('the scenario file holds the line the comment tells the reader to flip', () => {
    expect(STRICT).toMatch(/^  strictAffinity: true$/m);
  });

  it('node-3 borrows nothing: the pods of node-1 and node-2 only, and two warnings', async () => {
    const run = await cli(['show', 'node-1', 'ipam', '-f', FILE], files);
    expect(run.code, run.stderr).toBe(0);
    await expect(run.stdout).toMatchFileSnapshot('calico-pool-exhaustion/strict-ipam.txt');
    await expect(run.stderr).toMatchFileSnapshot('calico-pool-exhaustion/strict-warnings.txt');
    expect(run.stderr).toContain('warning[POD_SANDBOX_FAILED]');
    expect(run.stderr).toContain('No more free affine blocks and strict affinity enabled');
  });

  it('node-3 has no tunnel address and routes to the two blocks only', async () => {
    const run = await cli(['show', 'node-3', 'route', '-f', FILE], files);
    expect(run.code).toBe(0);
    await expect(run.stdout).toMatchFileSnapshot('calico-pool-exhaustion/strict-node-3.ip-route');
  });

  it('a trace to lonely says why it has no address', async () => {
    const run = await cli(['trace', 'client', 'lonely', '-f', FILE], files);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pod default/lonely has no sandbox (FailedCreatePodSandBox): plugin type="calico" failed (add)');
  });
});
