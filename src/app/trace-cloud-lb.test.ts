import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../cni/builtins.js';
import { createCniRegistry } from '../cni/registry.js';
import { type BuiltCluster, buildCluster } from '../cluster/assemble/cluster.js';
import { cloudLbPayload, ingressDelivery } from '../cluster/assemble/cloud-lb.js';
import { getRuleset } from '../kernel/netfilter/index.js';
import { printRuleset } from '../kernel/netfilter/syntax/index.js';
import { loadScenario } from '../scenario/load.js';
import { simContext } from '../sim/context.js';
import { runTrace } from './trace.js';

function build(path: string): BuiltCluster {
  const spec = loadScenario([{ path, text: readFileSync(path, 'utf8') }]);
  return buildCluster(spec.value!, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value!;
}

function run(b: BuiltCluster, src: string, dst: string, extra: { allPaths?: boolean; seed?: number; port?: number } = {}) {
  const r = runTrace(b, { src, dst, seed: extra.seed ?? 1, ...(extra.allPaths === true ? { allPaths: true } : {}), ...(extra.port !== undefined ? { port: extra.port } : {}) });
  if ('problem' in r) throw new Error(r.problem);
  return r;
}

/** The namespaces a path's forward trace passes, and where the exit DNATed to. */
const gatewayDnat = (t: ReturnType<typeof run>['trips'][number]): string | undefined =>
  t.forward.hops.find((h) => h.ns === 'gateway')?.steps.flatMap((s) => (s.type === 'nat' && s.by === 'DNAT' && s.field === 'dst' ? [s.to] : []))[0];

describe('the cloud load balancer', () => {
  const b = build('scenarios/cloud-load-balancer.yaml');

  it('nodePort mode spreads over every node for Cluster, 1/3 each, keeping the client address to the node', () => {
    const r = run(b, 'laptop', '198.51.100.10:80', { allPaths: true });
    expect(r.trips.map((t) => [gatewayDnat(t), t.probability])).toEqual([
      ['192.168.56.11', 1 / 3], ['192.168.56.12', 1 / 3], ['192.168.56.13', 1 / 3],
    ].map(([ip, p]) => [ip, expect.closeTo(p as number, 6)]));
    for (const t of r.trips) expect(t.reply?.ending).toMatchObject({ disposition: 'DELIVERED', ns: 'laptop', packet: { src: '198.51.100.10', sport: 80 } });
  });

  it('nodePort mode sends a Local Service to the nodes with a ready endpoint only, and the pod sees the client', () => {
    const r = run(b, 'laptop', '198.51.100.11:80', { allPaths: true });
    expect(r.trips.map(gatewayDnat)).toEqual(['192.168.56.11']);
    expect(r.trips[0]?.forward.ending).toMatchObject({ disposition: 'DELIVERED', packet: { src: '203.0.113.7', dst: '10.244.0.2' } });
  });

  it('ipMode Proxy: kube-proxy writes no rule for the IP, and the pod sees the load balancer, never the client', () => {
    const save = printRuleset(getRuleset(b.world.netns['node-1']!.netfilter, 4));
    expect(save).toContain('198.51.100.11/32');
    expect(save).not.toContain('198.51.100.12');
    const r = run(b, 'laptop', '198.51.100.12:80');
    expect(r.trips[0]?.forward.ending).toMatchObject({ disposition: 'DELIVERED', packet: { src: '192.168.56.1', dst: '10.244.0.2' } });
    expect(r.trips[0]?.reply?.ending).toMatchObject({ disposition: 'DELIVERED', ns: 'laptop', packet: { src: '198.51.100.12', dst: '203.0.113.7' } });
    // A pod dialling it goes out to the LB and back in.
    const pod = run(b, 'web-1', '198.51.100.12:80');
    expect(pod.trips[0]?.forward.hops.map((h) => h.ns)).toContain('gateway');
    expect(pod.trips[0]?.forward.ending).toMatchObject({ disposition: 'DELIVERED', packet: { src: '192.168.56.1' } });
  });

  it('says which delivery each ingress gets', () => {
    const svc = (name: string) => b.spec.services.find((s) => s.name === name)!;
    expect(ingressDelivery(b.spec.cluster, svc('web-lb'), svc('web-lb').loadBalancerIngress[0]!)).toBe('nodePort');
    expect(ingressDelivery(b.spec.cluster, svc('web-proxy'), svc('web-proxy').loadBalancerIngress[0]!)).toBe('proxy');
    const vipMode = { ...b, spec: { ...b.spec, cluster: { ...b.spec.cluster, loadBalancer: { mode: 'vip' as const } } } };
    expect(ingressDelivery(vipMode.spec.cluster, svc('web-lb'), svc('web-lb').loadBalancerIngress[0]!)).toBe('vip');
    // In vip mode only the Proxy ingress gets NAT rules.
    expect(cloudLbPayload(vipMode, 4)).not.toContain('198.51.100.10');
    expect(cloudLbPayload(vipMode, 4)).toContain('-A CLOUD-LB-1 -j MARK --or-mark 0x1');
  });

  it('works for IPv6: the LB DNATs to a node\'s IPv6 address', () => {
    const r = run(b, 'laptop', '[2001:db8:100::10]:80', { allPaths: true });
    expect(r.trips.map(gatewayDnat)).toEqual(['fd00:192:168:56::11', 'fd00:192:168:56::12', 'fd00:192:168:56::13']);
    expect(r.trips.every((t) => t.reply?.ending.disposition === 'DELIVERED')).toBe(true);
  });
});

describe('a declared external host', () => {
  const b = build('scenarios/cloud-load-balancer.yaml');

  it('is a destination: a pod reaches it masqueraded by its node, and the answer comes back', () => {
    const r = run(b, 'web-1', 'laptop', { port: 443 });
    expect(r.header).toContain('→ external host laptop');
    expect(r.trips[0]?.forward.ending).toMatchObject({ disposition: 'DELIVERED', ns: 'laptop', packet: { src: '192.168.56.11', dst: '203.0.113.7' } });
    expect(r.trips[0]?.reply?.ending).toMatchObject({ disposition: 'DELIVERED', packet: { dst: '10.244.0.2' } });
  });

  it('is a source by name or by address, and NAME:PORT names a node port', () => {
    expect(run(b, 'laptop', 'node-1:30081').trips[0]?.forward.ending).toMatchObject({ disposition: 'DELIVERED', packet: { src: '203.0.113.7' } });
    expect(run(b, '203.0.113.7', 'node-1:30081').header).toMatch(/^trace external host laptop → node node-1 \(192\.168\.56\.11:30081\)/);
    expect(run(b, 'laptop', 'node-2:30081').trips[0]?.forward.ending.disposition).toBe('DROPPED');
  });

  it('has its IPv6 address: --family 6 picks it', () => {
    const r = runTrace(b, { src: 'laptop', dst: 'node-1:30080', family: 6, seed: 1 });
    if ('problem' in r) throw new Error(r.problem);
    expect(r.header).toContain('tcp [2001:db8:7::7]:40000 → [fd00:192:168:56::11]:30080');
    expect(r.trips[0]?.forward.ending.disposition).toBe('DELIVERED');
  });
});
