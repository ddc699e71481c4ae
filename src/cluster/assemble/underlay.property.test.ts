import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { loadScenario } from '../../scenario/load.js';
import { simContext } from '../../sim/context.js';
import { planFlow, roundTrip } from '../../trace/cluster-trace.js';
import { resolveEndpoint } from '../lookup.js';
import { buildCluster } from './cluster.js';

/**
 * An underlay of `nets` networks, one node each, where router i joins networks i and i+1 (a
 * chain, so every network is reachable) and any extra networks drawn for it (shortcuts).
 */
function scenario(nets: number, extra: readonly (readonly number[])[]): string {
  const networks = Array.from({ length: nets }, (_, i) => `      - {name: net-${i}, cidr: 192.168.${i}.0/24}`);
  const routers = Array.from({ length: nets - 1 }, (_, i) => {
    const joined = [...new Set([i, i + 1, ...(extra[i] ?? [])])].map((n) => `net-${n}`);
    return `      - {name: r-${i}, networks: [${joined.join(', ')}]}`;
  });
  const nodes = Array.from({ length: nets }, (_, i) => `    - {name: n-${i}, network: net-${i}}`);
  return `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: p}\nspec:\n  underlay:\n    networks:\n${networks.join('\n')}\n    routers:\n${routers.join('\n')}\n  nodes:\n${nodes.join('\n')}\n`;
}

const arb = fc.integer({ min: 2, max: 5 }).chain((nets) =>
  fc.record({ nets: fc.constant(nets), extra: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: nets - 1 }), { maxLength: 2 }), { minLength: nets - 1, maxLength: nets - 1 }) }),
);

describe('routed underlay, any connected layout', () => {
  it('every node reaches every other node and gets the answer back, crossing only routers and networks', () => {
    fc.assert(
      fc.property(arb, ({ nets, extra }) => {
        const spec = loadScenario([{ path: 'p.yaml', text: scenario(nets, extra) }]);
        expect(spec.diagnostics).toEqual([]);
        const built = buildCluster(spec.value!, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value!;
        for (let a = 0; a < nets; a++) {
          for (let b = 0; b < nets; b++) {
            if (a === b) continue;
            const src = resolveEndpoint(built, `n-${a}`);
            const dst = resolveEndpoint(built, `n-${b}`);
            if (!('endpoint' in src) || !('endpoint' in dst)) throw new Error('unresolved');
            const flow = planFlow(built, { src: src.endpoint, dst: dst.endpoint, reply: true });
            if ('problem' in flow) throw new Error(flow.problem);
            const t = roundTrip(built, structuredClone(built.world), flow, { chooser: { choose: () => 0 }, reply: true });
            const where = `n-${a} → n-${b}: ${t.forward.hops.map((h) => h.ns).join(' → ')} (${t.forward.ending.detail})`;
            expect(t.forward.ending.disposition, where).toBe('DELIVERED');
            expect(t.reply?.ending.disposition, where).toBe('DELIVERED');
            const middle = t.forward.hops.slice(1, -1).map((h) => built.owners[h.ns]?.kind);
            expect(middle.every((k) => k === 'router' || k === 'segment'), where).toBe(true);
            // At most the chain's routers, plus one: the node's default gateway is the first
            // router of its network, which may hand the packet back over that network to another.
            expect(middle.filter((k) => k === 'router').length, where).toBeLessThanOrEqual(Math.abs(a - b) + 1);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
