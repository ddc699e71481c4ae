import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ip } from '../addr/ip.js';
import { BUILTIN_CNI_PLUGINS } from '../cni/builtins.js';
import { createCniRegistry } from '../cni/registry.js';
import { runTrace } from './trace.js';
import { renderIpRoute } from '../kernel/text/route.js';
import { loadScenario } from '../scenario/load.js';
import { simContext } from '../sim/context.js';
import { type BuiltCluster, buildCluster } from '../cluster/assemble/cluster.js';
import { EXTERNAL_NETNS, withExternalHost } from '../cluster/assemble/external.js';

function build(path: string): BuiltCluster {
  const spec = loadScenario([{ path, text: readFileSync(path, 'utf8') }]);
  const built = buildCluster(spec.value!, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) });
  return built.value!;
}

function endings(b: BuiltCluster, src: string, dst: string) {
  const run = runTrace(b, { src, dst, seed: 1 });
  if ('problem' in run) return run;
  const t = run.trips[0]!;
  return { header: run.header, forward: t.forward.ending, reply: t.reply?.ending };
}

describe('an external client', () => {
  const b = build('scenarios/external-client.yaml');

  it('is a host behind the gateway, in a copy of the world: the cluster as built is untouched', () => {
    const w = withExternalHost(b, ip('203.0.113.7'));
    if ('problem' in w) throw new Error(w.problem);
    expect(b.world.netns[EXTERNAL_NETNS]).toBeUndefined();
    expect(renderIpRoute(w.world.netns[EXTERNAL_NETNS]!, { peers: w.world.netns })).toContain('default via 169.254.1.1 dev eth0');
    expect(renderIpRoute(w.world.netns['gateway']!, { peers: w.world.netns })).toContain('203.0.113.7 dev ext0 scope link');
  });

  it('keeps its address with externalTrafficPolicy: Local and is SNATed by the forwarding node with Cluster', () => {
    const local = endings(b, '203.0.113.7', '192.168.56.11:30080');
    expect(local).toMatchObject({ forward: { disposition: 'DELIVERED', packet: { src: '203.0.113.7', dst: '10.244.0.2' } }, reply: { disposition: 'DELIVERED', ns: EXTERNAL_NETNS } });
    const cluster = endings(b, '203.0.113.7', '192.168.56.12:30081');
    expect(cluster).toMatchObject({ forward: { disposition: 'DELIVERED', packet: { src: '192.168.56.12' } }, reply: { disposition: 'DELIVERED', ns: EXTERNAL_NETNS, packet: { src: '192.168.56.12', dst: '203.0.113.7' } } });
    expect(endings(b, '203.0.113.7', '192.168.56.12:30080')).toMatchObject({ forward: { disposition: 'DROPPED' } });
  });

  it('reaches a LoadBalancer VIP that the exit routes to a node with a ready endpoint (eTP Local), keeping its address', () => {
    const w = withExternalHost(b, ip('203.0.113.7'));
    if ('problem' in w) throw new Error(w.problem);
    expect(renderIpRoute(w.world.netns['gateway']!, { peers: w.world.netns })).toContain('198.51.100.10 via 192.168.56.11 dev eth0');
    expect(endings(b, '203.0.113.7', '198.51.100.10:80')).toMatchObject({ forward: { disposition: 'DELIVERED', packet: { src: '203.0.113.7', dst: '10.244.0.2' } }, reply: { disposition: 'DELIVERED', packet: { src: '198.51.100.10' } } });
  });

  it('is refused inside the cluster\'s own networks, with the reason', () => {
    expect(endings(b, '10.244.9.9', '192.168.56.11:30080')).toEqual({ problem: expect.stringContaining('clusterCIDR (10.244.0.0/16) but nothing holds it') });
    expect(endings(b, '10.96.9.9', '192.168.56.11:30080')).toEqual({ problem: expect.stringContaining('serviceCIDR') });
    expect(endings(b, '192.168.56.99', '192.168.56.11:30080')).toEqual({ problem: expect.stringContaining('node network (192.168.56.0/24)') });
  });

  it('leaves other outside addresses as they were: a pod to another address still exits the network', () => {
    expect(endings(b, 'web-1', '198.51.100.1:80')).toMatchObject({ forward: { disposition: 'EXITS_NETWORK', ns: 'gateway' } });
  });

  it('enters at the first router of an underlay', () => {
    const racks = build('scenarios/two-racks-vxlan.yaml');
    const run = runTrace(racks, { src: '203.0.113.7', dst: racks.spec.nodes[0]!.name, seed: 1 });
    if ('problem' in run) throw new Error(run.problem);
    const hops = run.trips[0]!.forward.hops.map((h) => h.ns);
    expect(hops[0]).toBe(EXTERNAL_NETNS);
    expect(hops[1]).toBe(racks.spec.cluster.underlay!.routers[0]!.name);
  });
});
