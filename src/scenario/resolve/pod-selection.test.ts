import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelIndex } from '../../cluster/controllers/index.js';
import type { Container, Labels, Pod } from '../../cluster/objects.js';
import { PodSelection } from './pod-selection.js';

const key = fc.constantFrom('app', 'tier', 'x.io/y', 'constructor', '__proto__', 'a\u0000b');
const value = fc.constantFrom('web', 'api', '', 'b', 'a\u0000b');
const labels = fc.dictionary(key, value, { maxKeys: 3 }).map((l): Labels => ({ ...l }));
const containers = fc.array(fc.constantFrom('http', 'dns', 'metrics'), { maxLength: 2 }).map((names): Container[] => [{ name: 'c', ports: names.map((name, i) => ({ name, containerPort: 80 + i, protocol: 'TCP' as const })) }]);

/** Pods in a few namespaces; some share one labels object, as a workload's replicas do. */
const pods = fc.array(fc.tuple(fc.constantFrom('default', 'a', 'b'), labels, fc.boolean(), containers), { maxLength: 30 }).map((xs) => {
  let last: Labels = {};
  return xs.map(([namespace, l, shared, cs], i): Pod => {
    if (!shared) last = l;
    return { name: `p${i}`, namespace, labels: last, nodeName: 'n1', scheduledBy: 'spec', hostNetwork: false, podIPs: [], ready: true, terminating: false, containers: cs } as unknown as Pod;
  });
});

describe('PodSelection.find = the first of labelIndex(…).select(…) that the test accepts', () => {
  it('for random pods, selectors and port names', () => {
    fc.assert(fc.property(pods, fc.array(fc.tuple(fc.constantFrom('default', 'a', 'c'), labels, fc.option(fc.constantFrom('http', 'dns', 'none'))), { maxLength: 10 }), (ps, queries) => {
      const selection = new PodSelection(ps);
      const index = labelIndex(ps, (p) => p);
      for (const [namespace, selector, port] of queries) {
        const accept = port === null ? undefined : (p: Pod) => p.containers.some((c) => c.ports.some((cp) => cp.name === port));
        const want = index.select(namespace, selector).find((p) => accept === undefined || accept(p));
        expect(selection.find(namespace, selector, accept)).toBe(want);
      }
    }), { numRuns: 2000 });
  });
});
