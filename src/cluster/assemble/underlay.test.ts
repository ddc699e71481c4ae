import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { forwarding } from '../../kernel/sysctl.js';
import { renderIpRoute } from '../../kernel/text/route.js';
import { loadScenario } from '../../scenario/load.js';
import { simContext } from '../../sim/context.js';
import { roundTrip, planFlow } from '../../trace/cluster-trace.js';
import { resolveEndpoint } from '../lookup.js';
import { type BuiltCluster, buildCluster } from './cluster.js';

/** Three networks in a chain: a —r1— b —r2— c; r1 is the exit. */
const CHAIN = `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: chain}
spec:
  underlay:
    networks:
      - {name: a, cidr: 192.168.1.0/24}
      - {name: b, cidr: 192.168.2.0/24, mtu: 9000}
      - {name: c, cidr: 192.168.3.0/24, mtu: 1400}
    routers:
      - {name: r1, networks: [a, b]}
      - {name: r2, networks: [b, c]}
  nodes:
    - {name: n1, network: a}
    - {name: n2, network: a}
    - {name: n3, network: c}
---
apiVersion: v1
kind: Pod
metadata: {name: p1}
spec: {nodeName: n1, containers: [{name: c, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: p2}
spec: {nodeName: n2, containers: [{name: c, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: p3}
spec: {nodeName: n3, containers: [{name: c, ports: [{containerPort: 80}]}]}
`;

function build(text: string): BuiltCluster {
  const spec = loadScenario([{ path: 's.yaml', text }]);
  expect(spec.diagnostics).toEqual([]);
  const built = buildCluster(spec.value!, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return built.value!;
}

function routes(b: BuiltCluster, ns: string): string {
  return renderIpRoute(b.world.netns[ns]!, { peers: b.world.netns });
}

function trace(b: BuiltCluster, src: string, dst: string) {
  const s = resolveEndpoint(b, src);
  const d = resolveEndpoint(b, dst);
  if (!('endpoint' in s) || !('endpoint' in d)) throw new Error('unresolved');
  const flow = planFlow(b, { src: s.endpoint, dst: d.endpoint, reply: true });
  if ('problem' in flow) throw new Error(flow.problem);
  return roundTrip(b, structuredClone(b.world), flow, { chooser: { choose: () => 0 }, reply: true });
}

describe('a routed underlay', () => {
  const b = build(CHAIN);

  it('routes each router to the networks it does not join, via the nearest router; the exit has the uplink', () => {
    expect(routes(b, 'r1')).toBe(
      'default dev uplink scope link \n192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.1 \n192.168.2.0/24 dev eth1 proto kernel scope link src 192.168.2.1 \n192.168.3.0/24 via 192.168.2.2 dev eth1 \n',
    );
    // r2 is the second router on b, so .2 there, and the first on c, so .1 there.
    expect(routes(b, 'r2')).toBe(
      'default via 192.168.2.1 dev eth0 \n192.168.1.0/24 via 192.168.2.1 dev eth0 \n192.168.2.0/24 dev eth0 proto kernel scope link src 192.168.2.2 \n192.168.3.0/24 dev eth1 proto kernel scope link src 192.168.3.1 \n',
    );
    expect(forwarding(b.world.netns.r2!, 4)).toBe(true);
  });

  it('gives each node its default route via the first router of its network, and the network MTU', () => {
    expect(routes(b, 'n3')).toContain('default via 192.168.3.1 dev eth0');
    expect(b.world.netns.n3?.links.eth0?.mtu).toBe(1400);
    expect(b.world.netns.n1?.links.eth0?.mtu).toBe(1500);
    expect(b.world.netns.r2?.links.eth0?.mtu).toBe(9000);
    expect(b.world.netns.r2?.links.eth1?.mtu).toBe(1400);
  });

  it('installs host-gw routes within a network and records the ones across a router as refused', () => {
    expect(routes(b, 'n1')).toContain('10.244.1.0/24 via 192.168.1.12 dev eth0');
    expect(routes(b, 'n1')).not.toContain('10.244.2.0/24');
    expect(b.refusedRoutes.map((r) => `${r.ns} ${r.command}: ${r.answer}`)).toEqual([
      'n1 ip route add 10.244.2.0/24 via 192.168.3.11 dev eth0: Error: Nexthop has invalid gateway.',
      'n2 ip route add 10.244.2.0/24 via 192.168.3.11 dev eth0: Error: Nexthop has invalid gateway.',
      'n3 ip route add 10.244.0.0/24 via 192.168.1.11 dev eth0: Error: Nexthop has invalid gateway.',
      'n3 ip route add 10.244.1.0/24 via 192.168.1.12 dev eth0: Error: Nexthop has invalid gateway.',
    ]);
  });

  it('carries node traffic across two routers, each a hop, and back', () => {
    const t = trace(b, 'n1', 'n3');
    expect(t.forward.ending.disposition).toBe('DELIVERED');
    expect(t.forward.hops.map((h) => h.label)).toEqual(['node n1', 'network a', 'router r1', 'network b', 'router r2', 'network c', 'node n3']);
    expect(t.reply?.ending.disposition).toBe('DELIVERED');
  });

  it('sends pod traffic for a podCIDR behind a router out of the exit, with the refusal and the consequence noted', () => {
    const t = trace(b, 'p1', 'p3');
    expect(t.forward.ending.disposition).toBe('EXITS_NETWORK');
    expect(t.forward.ending.ns).toBe('r1');
    const notes = t.forward.hops.flatMap((h) => h.steps.flatMap((s) => (s.type === 'note' ? [`${h.ns}: ${s.text}`] : [])));
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^n1: no 10\.244\.2\.0\/24 via 192\.168\.3\.11: .*Nexthop has invalid gateway/);
    expect(notes[1]).toMatch(/^r1: 10\.244\.2\.2 is pod default\/p3's address on n3/);
  });

  it('delivers pod traffic between nodes of one network, without notes', () => {
    const t = trace(b, 'p1', 'p2');
    expect(t.forward.ending.disposition).toBe('DELIVERED');
    expect(t.forward.hops.some((h) => h.steps.some((s) => s.type === 'note'))).toBe(false);
  });

  it('resolves a router by name and by address, as a trace source', () => {
    const byName = resolveEndpoint(b, 'r2');
    expect('endpoint' in byName && byName.endpoint.label).toBe('router r2');
    const byAddr = resolveEndpoint(b, '192.168.3.1');
    expect('endpoint' in byAddr && byAddr.endpoint.kind).toBe('router');
    expect(trace(b, 'r2', 'n1').forward.ending.disposition).toBe('DELIVERED');
  });
});

describe('a network without a router', () => {
  const b = build(
    CHAIN.replace("      - {name: c, cidr: 192.168.3.0/24, mtu: 1400}\n", "      - {name: c, cidr: 192.168.3.0/24, mtu: 1400}\n      - {name: d, cidr: 192.168.4.0/24}\n").replace('    - {name: n3, network: c}', '    - {name: n3, network: c}\n    - {name: n4, network: d}') +
      '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p4}\nspec: {nodeName: n4, containers: [{name: c}]}\n',
  );

  it('gives its nodes no default route: their pod traffic for other nodes has no route, and the trace says why', () => {
    expect(routes(b, 'n4')).not.toContain('default');
    const t = trace(b, 'p4', 'p1');
    expect(t.forward.ending.disposition).toBe('NO_ROUTE');
    const notes = t.forward.hops.flatMap((h) => h.steps.flatMap((s) => (s.type === 'note' ? [`${h.ns}: ${s.text}`] : [])));
    expect(notes).toEqual([expect.stringMatching(/^n4: no 10\.244\.0\.0\/24 via 192\.168\.1\.11: .*Nexthop has invalid gateway.*no other route matches$/)]);
  });
});
