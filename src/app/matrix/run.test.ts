/**
 * The comparison with the evaluator: a datapath cell that differs from the expectation is a
 * disagreement in the run, the text and the JSON (shown here with a datapath made to lie about
 * one cell); with enforcer none the expectation is "everything passes"; loopback cells are
 * never compared; the `policy` field names the decider.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import { hasDeferredNetns } from '../../kernel/deferred-netns.js';
import { loadAndBuild } from '../scenario.js';
import { type PolicyMatrixRun, matrixCell, runPolicyMatrix } from './run.js';
import { policyMatrixJson, policyMatrixText } from './show.js';
import { type Progress, type SharedTable, cellByCellTable } from './table.js';

const SMALL = readFileSync('test/golden/policy-matrix/netpol-small.yaml', 'utf8');

function build(text: string): BuiltCluster {
  const b = loadAndBuild([{ path: 's.yaml', text }]).built;
  if (b === undefined) throw new Error('does not build');
  return b;
}

function run(built: BuiltCluster, opts: Parameters<typeof runPolicyMatrix>[2] = {}): PolicyMatrixRun {
  const r = runPolicyMatrix(built, { protocol: 'TCP', port: 80 }, opts);
  if ('problem' in r) throw new Error(r.problem);
  return r;
}

/** Cell by cell, with cell [from][to] made blocked, as a datapath bug would. */
function lying(from: number, to: number): <T>(n: number, cell: (i: number, j: number) => T, progress?: Progress) => SharedTable<T> {
  return (n, cell, progress) => cellByCellTable(n, (i, j) => (i === from && j === to ? { ...(cell(i, j) as object), allowed: false, disposition: 'DROPPED' } as never : cell(i, j)), progress);
}

describe('the matrix against the evaluator', () => {
  it('enforcer none: all delivered is what is expected, no disagreement, policy null', () => {
    const r = run(build(SMALL));
    expect(r.enforcer).toBe('none');
    expect(r.disagreements).toEqual([]);
    expect(matrixCell(r, 2, 0)).toEqual({ from: 'y/a', to: 'x/a', allowed: true, disposition: 'DELIVERED', policy: null });
    expect(r.classes).toBe(4);
  });

  it('a datapath cell that differs is reported, in the text and the JSON', () => {
    const r = run(build(SMALL), { table: lying(0, 1) });
    expect(r.disagreements).toEqual([{ from: 'x/a', to: 'x/b', datapath: false, expected: true, disposition: 'DROPPED', reason: expect.stringContaining('nothing enforces NetworkPolicy') }]);
    expect(policyMatrixText(r)).toContain('internal inconsistency: x/a → x/b: the datapath blocked (DROPPED), the evaluator expected allowed');
    expect(JSON.parse(policyMatrixJson(r)).disagreements).toHaveLength(1);
  });

  it('loopback cells are shown but never compared', () => {
    const r = run(build(SMALL), { table: lying(1, 1) });
    expect(r.disagreements).toEqual([]);
    expect(matrixCell(r, 1, 1).allowed).toBe(false);
  });

  it.each([['kube-router', '  networkPolicy: {enforcer: kube-router}\n'], ['calico', '  cni: {type: calico}\n']])('enforced by %s: the datapath agrees with the evaluator, and policy names the decider', (_name, line) => {
    const r = run(build(SMALL.replace('  nodes: [', `${line}  nodes: [`)));
    expect(r.disagreements).toEqual([]);
    const byPair = new Map(r.names.flatMap((f, i) => r.names.map((t, j) => [`${f}>${t}`, matrixCell(r, i, j)] as const)));
    // Whatever the datapath does, every off-diagonal cell either agrees or is listed.
    for (const [k, c] of byPair) {
      const [from, to] = k.split('>');
      if (from === to) continue;
      const listed = r.disagreements.some((d) => d.from === from && d.to === to);
      const i = r.names.indexOf(from ?? ''), j = r.names.indexOf(to ?? '');
      expect(listed).toBe(c.allowed !== r.evaluator.cells[i]?.[j]?.allowed);
      const decided = byPair.get(k)?.policy;
      if (k === 'y/a>x/a') expect(decided).toMatch(/x\/deny-ingress/);
      if (k === 'x/a>y/b') expect(decided).toMatch(/y\/allow-x-a ingress rule #1/);
    }
  });
});

describe('what the matrix builds', () => {
  it('reads the namespaces of the matrix pods only: a node without any stays unbuilt, and the cells are those of the cluster without it', () => {
    const third = SMALL.replace('{name: node-2}]', '{name: node-2}, {name: node-3}]') + '\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: y}\nspec: {nodeName: node-3, containers: [{name: c}]}\n';
    const built = build(third);
    expect(hasDeferredNetns(built.world, 'node-3')).toBe(true);
    const r = runPolicyMatrix(built, { protocol: 'TCP', port: 80, namespaces: ['x'] });
    if ('problem' in r) throw new Error(r.problem);
    expect(hasDeferredNetns(built.world, 'node-3')).toBe(true);
    const small = runPolicyMatrix(build(SMALL), { protocol: 'TCP', port: 80, namespaces: ['x'] });
    if ('problem' in small) throw new Error(small.problem);
    expect(policyMatrixJson(r)).toBe(policyMatrixJson(small));
  });
});
