/**
 * scenarios/large.yaml must be loadable by every command that takes a scenario (issue 13). The
 * full file (5,000 nodes, 150,000 pods) is for `npm run bench`; here the same cluster at 1/250
 * of its nodes and Services (scripts/gen-large.mjs --scale 0.004: 20 nodes, 40 Deployments
 * behind 40 Services, the 24 DaemonSets: 542 pods) goes through each command with a realistic
 * argument: each answers (or, for what a bridge cluster does not run, refuses with the reason)
 * and none crashes.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const gen = spawnSync(process.execPath, ['scripts/gen-large.mjs', '--scale', '0.004', '--out', '-'], { encoding: 'utf8', maxBuffer: 1 << 26 });
const FILES = { 'large.yaml': gen.stdout };
const F = ['-f', 'large.yaml'];
/** Pods the Deployment controller names as it would (pod-template-hash, then a random suffix from the seeded rng). */
const POD = 'app-0/svc-00000-bb574d68d-7ms2z';
const POD2 = 'app-1/svc-00001-6c66b7dd4c-s9qjl';

/** [words, exit code, what stdout (or, on a refusal, stderr) holds]. */
const COMMANDS: readonly (readonly [string, readonly string[], number, string])[] = [
  ['validate', ['validate', 'large.yaml'], 0, 'large.yaml: ok (20 nodes, 542 pods, 42 services)'],
  ['get deployments', ['get', 'deployments', '-n', 'app-3', ...F], 0, 'svc-00003   3/3'],
  ['get daemonsets', ['get', 'daemonsets', '-n', 'kube-system', ...F], 0, 'node-agent-0'],
  ['get pods', ['get', 'pods', '-A', ...F], 0, POD.slice(6)],
  ['show a node', ['show', 'node-0001', ...F], 0, 'KUBE-SERVICES'],
  ['show a pod', ['show', POD, 'resolv', ...F], 0, 'search app-0.svc.cluster.local'],
  ['trace', ['trace', POD, 'svc-00001.app-1', ...F], 0, 'DELIVERED'],
  ['trace a DNS name', ['trace', POD, 'svc-00001.app-1.svc.cluster.local', '--no-reply', ...F], 0, 'DELIVERED'],
  ['trace --batch', ['trace', '--batch', 'flows.txt', ...F], 0, '"disposition":"DELIVERED"'],
  ['diagram', ['diagram', '-o', 'dot', ...F], 0, 'digraph'],
  ['diagram --view chains', ['diagram', '--view', 'chains', 'node-0001', '-o', 'dot', ...F], 0, 'KUBE-SVC-'],
  ['policy explain', ['policy', 'explain', POD, POD2, ...F], 0, 'allowed'],
  ['show … bgp (a bridge cluster runs none)', ['show', 'node-0001', 'bgp', ...F], 2, 'the scenario runs no BGP'],
  ['export bird (a bridge cluster runs none)', ['export', 'bird', 'node-0001', ...F], 2, 'no BGP in this scenario'],
];

describe('the large scenario (1/250 scale) through every command', () => {
  it('is generated', () => {
    expect(gen.status, gen.stderr).toBe(0);
    expect(gen.stdout).toContain('kind: DaemonSet');
  });

  it.each(COMMANDS)('%s', async (_name, words, code, holds) => {
    const r = await cli(words, { ...FILES, 'flows.txt': `${POD} svc-00001.app-1\n${POD2} ${POD} --no-reply\n` });
    expect(r.code, r.stderr).toBe(code);
    expect(code === 0 ? r.stdout : r.stderr).toContain(holds);
  });
});
