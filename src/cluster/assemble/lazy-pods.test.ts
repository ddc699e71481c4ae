/**
 * Deferred pod sandboxes (lazy-pods.ts) are a fast path for the eager build: on every scenario in
 * scenarios/, every `show` of every node and pod (every section, text and JSON), the namespaces'
 * names in order, the pods, owners, CNI stores and kube-proxy payloads are identical to the eager
 * build's, and traces equal; a trace between pods on two nodes of many runs those two nodes only.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { goldenScenarios } from '../../../test/helpers/scenarios.js';
import { SHOW_CHOICES, showJson, showText } from '../../app/show.js';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { hasDeferredNetns } from '../../kernel/deferred-netns.js';
import { overlayWorld } from '../../kernel/overlay.js';
import { type ClusterSpec } from '../objects.js';
import { loadScenario } from '../../scenario/index.js';
import { rngChooser, seededRng, simContext } from '../../sim/context.js';
import { planFlow, roundTrip } from '../../trace/cluster-trace.js';
import { podEndpoint } from '../lookup.js';
import { type BuiltCluster, buildCluster } from './cluster.js';
import { shown as shownAll, traces } from '../../../test/helpers/lazy-build.js';

const cni = createCniRegistry(BUILTIN_CNI_PLUGINS);

function load(path: string, text = readFileSync(path, 'utf8')): ClusterSpec {
  const spec = loadScenario([{ path, text }]);
  expect(spec.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return spec.value!;
}

function build(spec: ClusterSpec, eager: boolean): BuiltCluster {
  const built = buildCluster(spec, { cni, ctx: simContext(1), eager });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return built.value!;
}

/** Whether any node of the build still has its sandboxes deferred. */
function deferredNodes(built: BuiltCluster): string[] {
  return built.spec.nodes.filter((n) => hasDeferredNetns(built.world, n.name)).map((n) => n.name);
}

/** Every `show` of every node and pod, each choice in text and JSON, asked one at a time as the CLI asks. */
function shown(built: BuiltCluster): string {
  const targets = [...built.spec.nodes.map((n) => n.name), ...built.pods.map((p) => `${p.pod.namespace}/${p.pod.name}`)];
  const out: string[] = [];
  for (const t of targets) {
    for (const what of SHOW_CHOICES) {
      const text = showText(built, t, what);
      const json = showJson(built, t, what);
      out.push(`## ${t} ${what}\n${'text' in text ? text.text : text.problem}\n${'text' in json ? json.text : json.problem}`);
    }
  }
  return out.join('\n');
}

/** Everything else the build decided, read after the namespaces. */
function decided(built: BuiltCluster): unknown {
  return { names: Object.keys(built.world.netns), pods: built.pods, owners: { ...built.owners }, stores: { ...built.cniStores }, payloads: { ...built.proxyPayloads }, slices: built.endpointSlices };
}

/** Lazy and eager builds of `spec` agree (see the module comment); returns whether the lazy one deferred anything. */
function agree(spec: ClusterSpec): boolean {
  const eager = build(spec, true);
  expect(deferredNodes(eager)).toEqual([]);
  const traced = build(spec, false);
  const deferred = deferredNodes(traced).length > 0;
  expect(traces(traced, 2)).toEqual(traces(eager, 2));
  const lazy = build(spec, false);
  const eagerShown = shown(eager);
  expect(shown(lazy)).toBe(eagerShown);
  const copied = build(spec, false);
  expect(shown({ ...copied, world: structuredClone(copied.world) })).toBe(eagerShown);
  expect(decided(lazy)).toEqual(decided(eager));
  expect(decided(traced)).toEqual(decided(eager));
  expect(deferredNodes(lazy)).toEqual([]);
  return deferred;
}

describe('deferred pod sandboxes equal the eager build', () => {
  const deferring: string[] = [];
  it.each(goldenScenarios())('%s', (file) => {
    const spec = load(`scenarios/${file}`);
    if (agree(spec)) deferring.push(file);
  });
  it('bridge and flannel scenarios defer', () => {
    expect(deferring).toContain('default.yaml');
    expect(deferring.some((f) => f.startsWith('flannel'))).toBe(true);
    expect(deferring.some((f) => f.startsWith('calico') || f.startsWith('canal'))).toBe(false);
  });
});

/** A bridge or flannel cluster of `nodes` nodes with `pods` pods spread over them, and a Service. */
function generated(cniText: string, nodes: number, pods: number, dual: boolean): string {
  const net = dual
    ? '  clusterCIDR: 10.244.0.0/16,fd00:10:244::/56\n  nodeCIDRMaskSizeIPv6: 64\n  serviceCIDR: 10.96.0.0/12,fd00:10:96::/112\n  nodeNetwork: 192.168.56.0/24,fd00:192:168:56::/64\n'
    : '  clusterCIDR: 10.244.0.0/16\n  nodeNetwork: 192.168.56.0/24\n';
  const cniDual = dual && cniText.includes('flannel') ? cniText.replace('}', ', enableIPv6: true, ipv6Network: "fd00:10:244::/56"}') : cniText;
  const out = [`apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: gen}\nspec:\n${net}${cniDual}  nodes: [${Array.from({ length: nodes }, (_, i) => `{name: node-${i}}`).join(', ')}]\n`];
  for (let i = 0; i < pods; i++) out.push(`---\napiVersion: v1\nkind: Pod\nmetadata: {name: pod-${i}, labels: {app: web}}\nspec: {nodeName: node-${(i * 7) % nodes}${i % 5 === 4 ? ', hostNetwork: true' : ''}, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}\n`);
  out.push(`---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}${dual ? ', ipFamilyPolicy: PreferDualStack' : ''}, type: NodePort, ports: [{name: http, port: 80, targetPort: http}]}\n`);
  return out.join('\n');
}

const CNIS = ['', '  cni: {type: flannel}\n', '  cni: {type: flannel, backend: host-gw}\n', '  cni: {type: bridge, isDefaultGateway: false, ipMasq: true}\n'];

describe('random bridge and flannel clusters', () => {
  it('lazy and eager builds agree', () => {
    let deferring = 0;
    fc.assert(
      fc.property(fc.constantFrom(...CNIS), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 9 }), fc.boolean(), (cniText, nodes, pods, dual) => {
        const text = generated(cniText, nodes, pods, dual);
        const spec = loadScenario([{ path: 'gen.yaml', text }]);
        fc.pre(spec.value !== undefined && !spec.diagnostics.some((d) => d.severity === 'error'));
        if (agree(spec.value!)) deferring++;
      }),
      { numRuns: 12 },
    );
    expect(deferring).toBeGreaterThan(6);
  });
});

/** What a namespace holds, as data (bigints as text): devices, addresses, routes, sysctls, sockets, counters. */
function held(built: BuiltCluster, name: string): string {
  const ns = built.world.netns[name];
  if (ns === undefined) return 'none';
  const { links, addrs, tables, rules, sysctl, sockets, neigh, counters } = ns;
  return JSON.stringify({ links, addrs, tables, rules, sysctl, sockets, neigh, counters }, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

describe('pod sandboxes filled when first read (kernel/deferred-sandbox.ts)', () => {
  it('read in any order, with a trace among the reads, every namespace is the eager build\'s', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CNIS), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), fc.nat({ max: 40 }), (cniText, nodes, pods, dual, keys, traceAt) => {
        const spec = loadScenario([{ path: 'gen.yaml', text: generated(cniText, nodes, pods, dual) }]);
        fc.pre(spec.value !== undefined && !spec.diagnostics.some((d) => d.severity === 'error'));
        const eager = build(spec.value!, true);
        const lazy = build(spec.value!, false);
        const names = Object.keys(lazy.world.netns);
        const order = names.map((n, i) => ({ n, k: keys[i % keys.length]! * 64 + i })).sort((a, b) => a.k - b.k);
        order.forEach(({ n }, i) => {
          if (i === traceAt) expect(traces(lazy, 2)).toEqual(traces(eager, 2));
          void lazy.world.netns[n];
        });
        expect(Object.keys(lazy.world.netns)).toEqual(Object.keys(eager.world.netns));
        for (const n of names) expect(held(lazy, n), n).toBe(held(eager, n));
        expect(shownAll(lazy)).toBe(shownAll(eager));
      }),
      { numRuns: 20 },
    );
  });
});

describe('a trace runs the nodes it reads', () => {
  it('a pod → pod trace across two nodes of forty leaves the other thirty-eight deferred', () => {
    const built = build(load('gen.yaml', generated('', 40, 80, false)), false);
    expect(deferredNodes(built).length).toBe(40);
    const pods = built.pods.filter((p) => !p.pod.hostNetwork);
    const a = pods[0]!;
    const b = pods.find((p) => p.pod.nodeName !== a.pod.nodeName)!;
    const flow = planFlow(built, { src: podEndpoint(a)!, dst: podEndpoint(b)!, reply: true });
    if ('problem' in flow) throw new Error(flow.problem);
    const trace = roundTrip(built, overlayWorld(built.world), flow, { chooser: rngChooser(seededRng(1)), reply: true });
    expect(JSON.stringify(trace)).toContain('DELIVERED');
    const ran = built.spec.nodes.map((n) => n.name).filter((n) => !deferredNodes(built).includes(n));
    expect(ran.sort()).toEqual([a.pod.nodeName, b.pod.nodeName].sort());
  });
});
