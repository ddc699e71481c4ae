/**
 * A node's pods' ADDs through the bridge plugin's batch (cni/bridge-batch.ts) against the same
 * ADDs one by one through the registry (setBridgeBatch(false)): on random bridge clusters (IPv4
 * and dual-stack, gateway, masquerade, hairpin and MTU options, hostNetwork pods among them),
 * namespaces read in a random order, the world is the same to the last detail — every namespace
 * with its devices, FDB, addresses, neighbours, tables, rules, sysctls, netfilter, sockets and
 * counters (sequence numbers and ifindexes included), every record in its key order — and so are
 * the CNI stores, the pods with their CNI results, and `show`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { setBridgeBatch } from '../../cni/bridge-batch.js';
import { createCniRegistry } from '../../cni/registry.js';
import { hasDeferredNetns } from '../../kernel/deferred-netns.js';
import { loadScenario } from '../../scenario/index.js';
import { simContext } from '../../sim/context.js';
import { shown } from '../../../test/helpers/lazy-build.js';
import { type BuiltCluster, buildCluster } from './cluster.js';

const cni = createCniRegistry(BUILTIN_CNI_PLUGINS);

/** Everything as text, records in key order, Maps and Sets as their entries, bigints and typed arrays spelled out. */
function dump(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (x instanceof Map) return { map: [...x.entries()] };
    if (x instanceof Set) return { set: [...x] };
    if (ArrayBuffer.isView(x)) return { view: Array.from(x as unknown as ArrayLike<number>) };
    return x;
  });
}

function scenario(nodes: number, pods: number, dual: boolean, opts: string, hostEvery: number): string {
  const net = dual
    ? '  clusterCIDR: 10.244.0.0/16,fd00:10:244::/56\n  nodeCIDRMaskSizeIPv6: 64\n  serviceCIDR: 10.96.0.0/12,fd00:10:96::/112\n  nodeNetwork: 192.168.56.0/24,fd00:192:168:56::/64\n'
    : '  clusterCIDR: 10.244.0.0/16\n  nodeNetwork: 192.168.56.0/24\n';
  const out = [`apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: gen}\nspec:\n${net}  cni: {type: bridge${opts}}\n  nodes: [${Array.from({ length: nodes }, (_, i) => `{name: node-${i}}`).join(', ')}]\n`];
  for (let i = 0; i < pods; i++) out.push(`---\napiVersion: v1\nkind: Pod\nmetadata: {name: pod-${i}, labels: {app: web}}\nspec: {nodeName: node-${(i * 3) % nodes}${hostEvery > 0 && i % hostEvery === hostEvery - 1 ? ', hostNetwork: true' : ''}, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}\n`);
  out.push(`---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}${dual ? ', ipFamilyPolicy: PreferDualStack' : ''}, type: NodePort, ports: [{name: http, port: 80, targetPort: http}]}\n`);
  return out.join('\n');
}

const OPTIONS = fc.record({
  isDefaultGateway: fc.boolean(),
  isGateway: fc.boolean(),
  ipMasq: fc.boolean(),
  hairpinMode: fc.boolean(),
  mtu: fc.constantFrom(1500, 1450, 9000),
});

/** Builds lazily with the batch on or off and reads the namespaces in `order` (indices into the names). */
function readAll(text: string, batch: boolean, order: readonly number[]): { built: BuiltCluster; reads: string[] } {
  const was = setBridgeBatch(batch);
  try {
    const built = buildCluster(loadScenario([{ path: 'gen.yaml', text }]).value!, { cni, ctx: simContext(1) }).value!;
    const names = Object.keys(built.world.netns);
    const reads: string[] = [];
    for (const k of order) {
      const name = names[k % names.length]!;
      const ns = built.world.netns[name];
      reads.push(`${name} ${dump(ns?.counters)}`);
    }
    for (const name of names) void built.world.netns[name];
    return { built, reads };
  } finally {
    setBridgeBatch(was);
  }
}

/** The whole world and what the build decided, as text. */
function world(built: BuiltCluster): string {
  const names = Object.keys(built.world.netns);
  const spaces = names.map((n) => {
    const ns = built.world.netns[n]!;
    const { links, fdb, addrs, neigh, tables, rules, sysctl, netfilter, sockets, counters } = ns;
    return `${n}: ${dump({ keys: Object.keys(ns), links, fdb, addrs, neigh, tables, rules, sysctl, netfilter, sockets, counters })}`;
  });
  const pods = built.pods.map((p) => dump({ pod: p.pod.name, netns: p.netns, ips: p.ips, containerId: p.containerId, cniResult: p.cniResult }));
  return [names.join(','), ...spaces, dump(built.cniStores), ...pods].join('\n');
}

afterEach(() => void setBridgeBatch(true));

describe("a node's batched ADDs (cni/bridge-batch.ts)", () => {
  it('leave the world the ADDs one by one leave, read in any order', () => {
    let batched = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 20 }), fc.boolean(), OPTIONS, fc.nat({ max: 5 }), fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), (nodes, pods, dual, o, hostEvery, order) => {
        const opts = `, isGateway: ${o.isGateway}, isDefaultGateway: ${o.isDefaultGateway}, ipMasq: ${o.ipMasq}, hairpinMode: ${o.hairpinMode}, mtu: ${o.mtu}`;
        const text = scenario(nodes, pods, dual, opts, hostEvery);
        const spec = loadScenario([{ path: 'gen.yaml', text }]);
        fc.pre(spec.value !== undefined && !spec.diagnostics.some((d) => d.severity === 'error'));
        const probe = buildCluster(spec.value!, { cni, ctx: simContext(1) }).value!;
        if (probe.spec.nodes.some((n) => hasDeferredNetns(probe.world, n.name))) batched++;
        const each = readAll(text, false, order);
        const batch = readAll(text, true, order);
        expect(batch.reads).toEqual(each.reads);
        expect(world(batch.built)).toBe(world(each.built));
        expect(shown(batch.built)).toBe(shown(each.built));
      }),
      { numRuns: 25 },
    );
    expect(batched).toBeGreaterThan(10);
  });
});
