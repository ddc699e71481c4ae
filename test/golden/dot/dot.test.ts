/**
 * Golden DOT for every scenario in scenarios/ and every view: the cluster, each node (and underlay router), each
 * node's chains, the BGP sessions (where the scenario runs BGP), and the scenario's first trace drawn over the cluster. Run through the CLI,
 * in-process, so the goldens show exactly what `netsim diagram --format dot` prints.
 * Regenerate with `npx vitest run test/golden/dot -u` and review the diff.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NO_BGP } from '../../../src/app/bgp.js';
import { cli } from '../../helpers/cli.js';
import { scenarioNames } from './scenario-names.js';
import { goldenScenarios } from '../../helpers/scenarios.js';

const SCENARIOS = goldenScenarios();

describe.each(SCENARIOS)('diagram of %s', (file) => {
  const name = file.replace(/\.yaml$/, '');
  const path = `scenarios/${file}`;
  const names = scenarioNames(readFileSync(path, 'utf8'));

  it('cluster view', async () => {
    const r = await cli(['diagram', '-f', path, '--format', 'dot']);
    // Scenario warnings (a selector matching nothing) may print; errors would fail the build.
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`${name}/cluster.dot`);
    // Deterministic: a second run prints the same bytes.
    expect((await cli(['diagram', '-f', path, '--format', 'dot'])).stdout).toBe(r.stdout);
  });

  it.each(names.nodes)('node view %s', async (node) => {
    const r = await cli(['diagram', '-f', path, '--format', 'dot', '--view', 'node', node]);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`${name}/node-${node}.dot`);
  });

  it.each(names.routers)('node view of router %s', async (router) => {
    const r = await cli(['diagram', '-f', path, '--format', 'dot', '--view', 'node', router]);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`${name}/node-${router}.dot`);
  });

  it.each(names.nodes)('chains view %s', async (node) => {
    const r = await cli(['diagram', '-f', path, '--format', 'dot', '--view', 'chains', node]);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`${name}/chains-${node}.dot`);
  });

  it('bgp view (scenarios that run BGP)', async () => {
    const r = await cli(['diagram', '-f', path, '--format', 'dot', '--view', 'bgp']);
    if (r.code === 2 && r.stderr.includes(NO_BGP)) return;
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`${name}/bgp.dot`);
  });

  it.each(names.traces)('trace %s → %s', async (src, dst) => {
    const r = await cli(['diagram', '-f', path, '--format', 'dot', '--trace', src, dst]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('trace-edge');
    await expect(r.stdout).toMatchFileSnapshot(`${name}/trace-${src.replace(/\//g, '_')}--${dst.replace(/\//g, '_')}.dot`);
  });
});
