/**
 * Host-gw routes (routes.ts): on one L2 node network, every node's routes to the other nodes' pod
 * CIDRs are one shared batch per family (kernel/route/batch.ts; batch.property.test.ts proves it
 * equal to the routes added one by one), eager and deferred builds alike; across routers, where the
 * kernel refuses some of them, they go one by one and the refusals are reported.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { TABLE_MAIN } from '../../kernel/route/types.js';
import { loadScenario } from '../../scenario/index.js';
import { simContext } from '../../sim/context.js';
import { buildCluster } from './cluster.js';

function build(path: string, eager: boolean) {
  const spec = loadScenario([{ path, text: readFileSync(path, 'utf8') }]).value!;
  const built = buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1), eager });
  return built;
}

describe('host-gw routes', () => {
  for (const eager of [true, false]) {
    it(`are one shared batch per family on one node network (dual-stack.yaml, ${eager ? 'eager' : 'deferred'})`, () => {
      const c = build('scenarios/dual-stack.yaml', eager).value!;
      for (const n of c.spec.nodes) {
        const main = c.world.netns[n.name]!.tables[TABLE_MAIN]!;
        expect(main.v4.under, n.name).toBeDefined();
        expect(main.v6.under, n.name).toBeDefined();
        // Each node leaves its own pod CIDRs out.
        expect([...main.v4.under!.hidden].map((r) => r.via)).toEqual([n.internalIPs.find((a) => a.family === 4)]);
      }
    });
  }

  it('go one by one across routers, where the kernel refuses some (two-racks.yaml)', () => {
    const built = build('scenarios/two-racks.yaml', true);
    const c = built.value!;
    expect(c.spec.nodes.every((n) => c.world.netns[n.name]!.tables[TABLE_MAIN]!.v4.under === undefined)).toBe(true);
    expect(built.diagnostics.some((d) => d.message.includes('Nexthop has invalid gateway'))).toBe(true);
  });
});
