/**
 * Grouping pods by policy situation computes the same matrix as computing every cell on its
 * own pair: with the evaluator as the cell (over random worlds, pods that often share a
 * situation), and with the datapath itself (random small Calico scenarios, traced both ways).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ip } from '../../addr/index.js';
import { type MatrixPod, type NetworkPolicySpecObject, type PolicyProtocol, type PolicyWorld, allowed } from '../../policy/index.js';
import { cluster, networkPolicy } from '../../../test/helpers/netpol-arb.js';
import { policyYaml } from '../../../test/helpers/netpol-scenario.js';
import { loadAndBuild } from '../scenario.js';
import { groupByKey, podClasses } from './classes.js';
import { evaluatorPolicy } from './decider.js';
import { runPolicyMatrix } from './run.js';
import { type SharedTable, cellByCellTable, cellOf, groupedCount, groupedTable } from './table.js';

const packet = fc.record({ protocol: fc.constantFrom<PolicyProtocol>('TCP', 'UDP', 'SCTP'), port: fc.constantFrom(80, 81) });

/** Pods p0…p(n-1) in x or y, on node-1 or node-2, labelled from a tiny universe so that situations repeat. */
const pods = fc.array(fc.record({ ns: fc.constantFrom('x', 'y'), node: fc.constantFrom('node-1', 'node-2'), tier: fc.constantFrom('web', 'db'), host: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }), { minLength: 2, maxLength: 7 });

function matrixPods(list: readonly { ns: string; node: string; tier: string }[]): (MatrixPod & { nodeName: string })[] {
  return list.map((p, i) => ({
    namespace: p.ns,
    name: `p${i}`,
    nodeName: p.node,
    labels: { tier: p.tier },
    hostNetwork: false,
    containers: [{ ports: [{ name: 'serve-80-tcp', containerPort: 80, protocol: 'TCP' as const }] }],
    ip: ip(`10.244.${p.node === 'node-1' ? 1 : 2}.${11 + (i % 3)}`),
  }));
}

function asRows<T, U>(t: SharedTable<T>, f: (x: T) => U): U[][] {
  return Array.from({ length: t.n }, (_, i) => Array.from({ length: t.n }, (__, j) => f(cellOf(t, i, j))));
}

describe('grouping by policy situation', () => {
  it('groupByKey numbers classes by first appearance; the count is pairs of classes plus two per class', () => {
    const c = groupByKey(['a', 'b', 'a', 'c', 'b']);
    expect(c).toEqual({ classOf: [0, 1, 0, 2, 1], members: [[0, 2], [1, 4], [3]] });
    expect(groupedCount(c)).toBe(3 * 2 + 2 + 3);
  });

  it('with the evaluator as the cell, grouped equals cell by cell (random worlds)', () => {
    fc.assert(
      fc.property(cluster, fc.array(networkPolicy, { maxLength: 4 }), pods, packet, (c, ps, list, p) => {
        const world: PolicyWorld = { namespaces: c.namespaces, policies: ps };
        const mp = matrixPods(list);
        const cell = (i: number, j: number): string => {
          const [s, d] = [mp[i], mp[j]];
          if (s === undefined || d === undefined) return '';
          const v = allowed(world, { src: { pod: s, ip: s.ip as never }, dst: { pod: d, ip: d.ip as never }, ...p });
          return `${v.allowed} ${evaluatorPolicy(v.egress, v.ingress)}`;
        };
        const classes = podClasses(world, mp.map((x) => ({ pod: x, ...(x.ip ? { ip: x.ip } : {}) })));
        const grouped = groupedTable(classes, cell);
        expect(grouped.results.length).toBe(groupedCount(classes));
        expect(asRows(grouped, (x) => x)).toEqual(asRows(cellByCellTable(mp.length, cell), (x) => x));
      }),
      { numRuns: 300 },
    );
  });

  it('through the datapath, grouped equals cell by cell (random Calico scenarios)', () => {
    fc.assert(
      fc.property(fc.array(networkPolicy, { maxLength: 3 }), pods, packet, (ps, list, p) => {
        const unique = [...new Map(ps.map((x) => [`${x.namespace}/${x.name}`, x])).values()];
        const built = loadAndBuild([{ path: 's.yaml', text: scenarioYaml(list, unique) }]).built;
        if (built === undefined) throw new Error('scenario does not build');
        const grouped = runPolicyMatrix(built, p);
        const each = runPolicyMatrix(built, p, { table: cellByCellTable });
        if ('problem' in grouped || 'problem' in each) throw new Error('matrix refused');
        const view = (x: { allowed: boolean; disposition: string }): string => `${x.allowed} ${x.disposition}`;
        expect(asRows(grouped.datapath, view)).toEqual(asRows(each.datapath, view));
        expect(grouped.disagreements).toEqual(each.disagreements);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});

/** A Calico cluster with the pods (a tenth hostNetwork) and policies. */
function scenarioYaml(list: readonly { ns: string; node: string; tier: string; host: boolean }[], policies: readonly NetworkPolicySpecObject[]): string {
  const head = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: g}\nspec:\n  clusterCIDR: 10.244.0.0/16\n  serviceCIDR: 10.96.0.0/12\n  nodeNetwork: 192.168.56.0/24\n  cni: {type: calico}\n  nodes: [{name: node-1}, {name: node-2}]\n';
  const docs = list.map((p, i) =>
    stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: p.ns, labels: { tier: p.tier } },
      spec: { nodeName: p.node, ...(p.host ? { hostNetwork: true } : {}), containers: [{ name: 'c', ports: [{ name: 'serve-80-tcp', containerPort: 80 + (p.host ? 1000 + i : 0) }] }] },
    }),
  );
  return [head, ...docs, ...policies.map(policyYaml)].join('\n---\n');
}
