/**
 * Host-gw routes (routes.ts): on one L2 node network, every node's routes to the other nodes' pod
 * CIDRs are one shared batch per family (kernel/route/batch.ts; batch.property.test.ts proves it
 * equal to the routes added one by one), eager and deferred builds alike; across routers, where the
 * kernel refuses some of them, they go one by one and the refusals are reported.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { worldWith } from '../../../test/helpers/kernel.js';
import { ip } from '../../addr/ip.js';
import { addAddress } from '../../kernel/addr.js';
import { CommandError } from '../../kernel/errors.js';
import { addDummy, setLinkUp } from '../../kernel/link/link.js';
import { addRoute } from '../../kernel/route/table.js';
import { TABLE_MAIN } from '../../kernel/route/types.js';
import { renderIpRoute } from '../../kernel/text/route.js';
import { getNetns } from '../../kernel/world.js';
import type { Node } from '../objects.js';
import { installHostGwRoutesOn } from './routes.js';
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

describe('installHostGwRoutesOn against `ip route add` one route at a time', () => {
  const v4 = (i: number) => ip(`192.168.0.${i + 1}`);
  const v6 = (i: number) => ip(`fd00::${i + 1}`);
  const node = (i: number, fams: { pod4: boolean; pod6: boolean; ip4: boolean; ip6: boolean }): Node => ({
    name: `n${i}`,
    labels: {},
    internalIPs: [...(fams.ip4 ? [v4(i)] : []), ...(fams.ip6 ? [v6(i)] : [])],
    podCIDRs: [...(fams.pod4 ? [{ addr: ip(`10.244.${i}.0`), prefix: 24 }] : []), ...(fams.pod6 ? [{ addr: ip(`fd10:0:0:${i}::`), prefix: 64 }] : [])],
  });
  /** Node namespaces with eth0 on one L2 network, in the families each node has an address of. */
  function world(nodes: readonly Node[], offNet: boolean) {
    const w = worldWith(...nodes.map((n) => n.name));
    for (const n of nodes) {
      const ns = getNetns(w, n.name);
      addDummy(ns, 'eth0');
      setLinkUp(w, n.name, 'eth0');
      for (const a of n.internalIPs) addAddress(ns, { dev: 'eth0', cidr: { addr: a, prefix: a.family === 4 ? (offNet ? 31 : 24) : 64 }, nodad: true });
    }
    return w;
  }
  it('gives the same table, refusals included, on random single- and dual-stack node lists', () => {
    const fams = fc.record({ pod4: fc.boolean(), pod6: fc.boolean(), ip4: fc.boolean(), ip6: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fams, { minLength: 1, maxLength: 6 }), fc.boolean(), (list, offNet) => {
        const nodes = list.map((f, i) => node(i, f));
        const fast = world(nodes, offNet);
        const slow = world(nodes, offNet);
        for (const n of nodes) {
          const refused = installHostGwRoutesOn(fast, n, nodes);
          const want: string[] = [];
          for (const other of nodes) {
            if (other === n) continue;
            for (const dst of other.podCIDRs) {
              const via = other.internalIPs.find((a) => a.family === dst.addr.family);
              if (via === undefined) continue;
              try {
                addRoute(getNetns(slow, n.name), { dst, via, dev: 'eth0' });
              } catch (e) {
                if (!(e instanceof CommandError)) throw e;
                want.push(e.command);
              }
            }
          }
          expect(refused.map((r) => r.command)).toEqual(want);
          for (const family of [4, 6] as const) expect(renderIpRoute(getNetns(fast, n.name), { family })).toBe(renderIpRoute(getNetns(slow, n.name), { family }));
        }
      }),
      { numRuns: 200 },
    );
  });
});
