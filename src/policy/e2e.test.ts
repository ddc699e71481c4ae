/**
 * The upstream NetworkPolicy e2e cases (kubernetes test/e2e/network/netpol/network_policy.go,
 * the per-test pod subsets of the newest revision) as evaluator tests: the pods, the policies
 * and the reachability table upstream expects, written as upstream prints it. Loopback cells
 * are ignored as upstream ignores them. Cases that update an object are split into their
 * states. The endPort case is netsim's own (upstream has none in this file).
 */
import { describe, expect, it } from 'vitest';
import { CASES } from '../../test/helpers/netpol-e2e-cases.js';
import { compareTable, modelIp, modelNamespaces, modelPod } from '../../test/helpers/netpol.js';

describe('upstream NetworkPolicy e2e cases, through the evaluator', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const world = { namespaces: modelNamespaces(c.nsLabels), policies: c.policies };
    const pods = c.pods.map((k) => modelPod(k, c.podLabels?.[k]));
    for (const [protocol, p, table] of c.checks) {
      const { got, want } = compareTable(world, pods, { protocol, port: p }, table);
      expect(got, `${protocol} ${p}: got\n${got}want\n${want}`).toBe(want);
    }
  });

  it('covers at least 20 upstream cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
    expect(modelIp('x/b')).toEqual(modelPod('x/b').ip);
  });
});
