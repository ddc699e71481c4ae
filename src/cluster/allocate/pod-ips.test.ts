import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr, ipFromValue } from '../../addr/index.js';
import type { Node, Pod } from '../objects.js';
import { assignPodIps, assignPodIpsByAllocator, planPodIpProblems } from './pod-ips.js';

const node = (name: string, podCIDRs: string[]): Node => ({ name, labels: {}, internalIPs: [ipFromValue(4, 0xc0a80000n + BigInt(name.length))], podCIDRs: podCIDRs.map(cidr) });
const pod = (name: string, nodeName: string, hostNetwork: boolean, podIPs: readonly ReturnType<typeof ipFromValue>[]): Pod => ({
  name, namespace: 'default', labels: {}, nodeName, scheduledBy: 'spec', hostNetwork, podIPs, ready: true, terminating: false, containers: [],
});

describe('the pod address plan counts through ranges where nothing is fixed, as host-local would hand them out', () => {
  it('same addresses and problems as host-local’s allocator for every pod', () => {
    const subnets = ['10.0.0.0/29', '10.0.1.0/30', '10.0.2.0/31', '10.0.3.0/32', '10.0.4.0/28', 'fd00::/125', 'fd00:1::/127'];
    const arb = fc.record({
      nodes: fc.array(fc.subarray(subnets, { minLength: 0, maxLength: 2 }), { minLength: 1, maxLength: 4 }),
      pods: fc.array(fc.record({ node: fc.nat(5), host: fc.boolean(), fixed: fc.option(fc.nat(20), { freq: 3 }), v6: fc.boolean() }), { maxLength: 30 }),
      calico: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ nodes, pods, calico }) => {
        const ns = nodes.map((c, i) => node(`n${i}`, c));
        const ps = pods.map((p, i) => pod(`p${i}`, `n${p.node}`, p.host && i % 3 === 0, p.fixed === null ? [] : [p.v6 ? ipFromValue(6, 0xfd000000000000000000000000000000n + BigInt(p.fixed)) : ipFromValue(4, 0x0a000000n + BigInt(p.fixed))]));
        const cni = calico ? ({ type: 'calico' } as Parameters<typeof assignPodIps>[2]) : undefined;
        const plan = assignPodIps(ns, ps, cni);
        expect(plan).toStrictEqual(assignPodIpsByAllocator(ns, ps, cni));
        // What the loader asks for: the same problems, without the addresses.
        expect(planPodIpProblems(ns, ps, cni)).toStrictEqual(plan.problems);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('pods without a range', () => {
  it('a pod on a node without a podCIDR, or on no node, is a no-node problem; a host-network pod takes its node’s address', () => {
    const ns = [node('n0', []), node('n1', ['10.0.0.0/30'])];
    const ps = [pod('a', 'n0', false, []), pod('b', 'n9', false, []), pod('c', 'n1', true, []), pod('d', 'n1', false, []), pod('e', 'n1', false, [])];
    const plan = assignPodIps(ns, ps);
    expect(plan.problems.map((p) => `${p.kind} ${p.pod.name}`)).toEqual(['no-node a', 'no-node b', 'exhausted e']);
    expect(plan.ips.get('default/c')).toEqual(ns[1]?.internalIPs);
    expect(planPodIpProblems(ns, ps)).toStrictEqual(plan.problems);
  });
});
