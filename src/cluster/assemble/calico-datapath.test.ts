/**
 * Packets through a Calico cluster built by calico-node and the calico plugin (two racks behind
 * a router): the kernel model alone moves them — proxy ARP for 169.254.1.1, the /32 routes, the
 * blackholes, tunl0 and vxlan.calico.
 */
import { describe, expect, it } from 'vitest';
import { calicoTestCluster } from '../../../test/helpers/calico.js';
import { ping } from '../../../test/helpers/kernel.js';
import { vethNameForWorkload } from '../../cni/calico/names.js';
import { cidr } from '../../addr/cidr.js';
import { addRoute } from '../../kernel/route/table.js';
import { setSysctl } from '../../kernel/sysctl.js';
import type { World } from '../../kernel/world.js';
import { getNetns } from '../../kernel/world.js';
import { traceText } from '../../render/trace-text.js';
import { simContext } from '../../sim/context.js';
import { tracePacket } from '../../trace/tracer.js';
import type { Step, Trace } from '../../trace/types.js';

function trace(world: World, from: string, src: string, dst: string): Trace {
  return tracePacket(world, { at: 'local-out', ns: from, packet: ping(src, dst) }, { ctx: simContext(1), label: (ns) => ns });
}

function steps<T extends Step['type']>(t: Trace, type: T): { ns: string; step: Extract<Step, { type: T }> }[] {
  return t.hops.flatMap((h) => h.steps.filter((s): s is Extract<Step, { type: T }> => s.type === type).map((step) => ({ ns: h.ns, step })));
}

const CALI_A = vethNameForWorkload('default', 'a');

describe('Calico IPIP datapath', () => {
  it('pod a (node-1) → pod c (node-3, other rack): proxy ARP, tunl0 to the node IP, decapsulated on node-3', () => {
    const c = calicoTestCluster({ ipipMode: 'Always', vxlanMode: 'Never' });
    const t = trace(c.world, 'pod-a', '10.244.120.65', '10.244.7.1');
    expect(t.ending.disposition).toBe('DELIVERED');
    expect(steps(t, 'neighbor')[0]).toEqual({ ns: 'pod-a', step: { type: 'neighbor', dev: 'eth0', ip: '169.254.1.1', mac: 'ee:ee:ee:ee:ee:ee', state: 'REACHABLE', proxyArp: { ns: 'node-1', dev: CALI_A } } });
    expect(traceText(t)).toContain(`169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee REACHABLE, answered by proxy ARP on ${CALI_A} in node-1`);
    expect(steps(t, 'encap').map((s) => `${s.ns} ${s.step.dev} ${s.step.outer}`)).toEqual(['node-1 tunl0 ipip 192.168.1.11 > 192.168.2.11']);
    expect(steps(t, 'decap').map((s) => `${s.ns} ${s.step.dev}`)).toEqual(['node-3 tunl0']);
    expect(t.hops.map((h) => h.ns)).toContain('tor');
  });

  it('the node itself → a remote pod: the inner source is the tunl0 address, the outer the node IP', () => {
    const c = calicoTestCluster({ ipipMode: 'Always', vxlanMode: 'Never' });
    const t = trace(c.world, 'node-1', '0.0.0.0', '10.244.7.1');
    expect(t.ending.disposition).toBe('DELIVERED');
    const enc = steps(t, 'encap')[0]?.step;
    expect(enc?.outer).toBe('ipip 192.168.1.11 > 192.168.2.11');
    expect(steps(t, 'deliver')[0]?.step.packet).toMatchObject({ src: '10.244.120.64', dst: '10.244.7.1' });
  });

  it('an unused address inside the own block hits the blackhole (NULL_ROUTED), locally and on the owning node', () => {
    const c = calicoTestCluster({ ipipMode: 'Always', vxlanMode: 'Never' });
    const own = trace(c.world, 'pod-a', '10.244.120.65', '10.244.120.99');
    expect(own.ending.disposition).toBe('NULL_ROUTED');
    expect(own.hops.at(-1)?.ns).toBe('node-1');
    const remote = trace(c.world, 'pod-a', '10.244.120.65', '10.244.7.50');
    expect(remote.ending.disposition).toBe('NULL_ROUTED');
    expect(remote.hops.at(-1)?.ns).toBe('node-3');
  });

  it('CrossSubnet: the same-rack pod is reached without encapsulation, the other rack through tunl0', () => {
    const c = calicoTestCluster({ ipipMode: 'CrossSubnet', vxlanMode: 'Never' });
    const near = trace(c.world, 'pod-a', '10.244.120.65', '10.244.33.129');
    expect(near.ending.disposition).toBe('DELIVERED');
    expect(steps(near, 'encap')).toEqual([]);
    const far = trace(c.world, 'pod-a', '10.244.120.65', '10.244.7.1');
    expect(far.ending.disposition).toBe('DELIVERED');
    expect(steps(far, 'encap')).toHaveLength(1);
  });

  it('a borrowed address (pod d on node-3 from node-1’s block) is reached by its /32', () => {
    const c = calicoTestCluster({ ipipMode: 'Always', vxlanMode: 'Never' });
    const t = trace(c.world, 'pod-a', '10.244.120.65', '10.244.120.70');
    expect(t.ending.disposition).toBe('DELIVERED');
    expect(t.hops.at(-1)?.ns).toBe('pod-d');
  });
});

describe('Calico VXLAN datapath', () => {
  it('pod a → pod c: UDP 4789 VNI 4096 from node IP to node IP, inner frame to the peer VTEP MAC', () => {
    const c = calicoTestCluster({ ipipMode: 'Never', vxlanMode: 'Always' });
    const t = trace(c.world, 'pod-a', '10.244.120.65', '10.244.7.1');
    expect(t.ending.disposition).toBe('DELIVERED');
    const enc = steps(t, 'encap');
    expect(enc).toHaveLength(1);
    expect(enc[0]?.step.outer).toMatch(/^vxlan 192\.168\.1\.11:\d+ > 192\.168\.2\.11:4789 vni 4096$/);
    const tx = steps(t, 'transmit').find((s) => s.step.dev === 'eth0' && s.ns === 'node-1');
    expect(tx?.step.packet.encap?.[0]).toMatchObject({ kind: 'vxlan', dport: 4789, vni: 4096, innerDstMac: getNetns(c.world, 'node-3').links['vxlan.calico']?.mac });
    expect(steps(t, 'decap').map((s) => `${s.ns} ${s.step.dev}`)).toEqual(['node-3 vxlan.calico']);
  });

  it('CrossSubnet: the same-rack pod plain through eth0', () => {
    const c = calicoTestCluster({ ipipMode: 'Never', vxlanMode: 'CrossSubnet' });
    const t = trace(c.world, 'pod-a', '10.244.120.65', '10.244.33.129');
    expect(t.ending.disposition).toBe('DELIVERED');
    expect(steps(t, 'encap')).toEqual([]);
  });
});

describe('proxy ARP under the kernel’s conditions', () => {
  it('the host veth does not answer when it does not forward; turning ip_forward off and on resets it and it answers again', () => {
    const c = calicoTestCluster({ ipipMode: 'Always', vxlanMode: 'Never' });
    const node = getNetns(c.world, 'node-1');
    setSysctl(node, `net.ipv4.conf.${CALI_A}.forwarding`, '0');
    const t = trace(c.world, 'pod-a', '10.244.120.65', '10.244.7.1');
    expect(t.ending.disposition).toBe('NEIGHBOR_UNREACHABLE');
    getNetns(c.world, 'pod-a').neigh.splice(0);
    setSysctl(node, 'net.ipv4.ip_forward', '1');
    expect(trace(c.world, 'pod-a', '10.244.120.65', '10.244.7.1').ending.disposition).toBe('NEIGHBOR_UNREACHABLE');
    getNetns(c.world, 'pod-a').neigh.splice(0);
    setSysctl(node, 'net.ipv4.ip_forward', '0');
    setSysctl(node, 'net.ipv4.ip_forward', '1');
    expect(trace(c.world, 'pod-a', '10.244.120.65', '10.244.7.1').ending.disposition).toBe('DELIVERED');
  });

  it('no answer for a target the node routes back out of the asking device, or into a blackhole', () => {
    const c = calicoTestCluster({ ipipMode: 'Always', vxlanMode: 'Never' });
    const node = getNetns(c.world, 'node-1');
    const pod = getNetns(c.world, 'pod-a');
    addRoute(node, { dst: cidr('10.9.9.9/32'), dev: CALI_A, scope: 'link' });
    for (const dst of ['10.9.9.9/32', '10.244.120.99/32']) addRoute(pod, { dst: cidr(dst), dev: 'eth0', scope: 'link' });
    expect(trace(c.world, 'pod-a', '10.244.120.65', '10.9.9.9').ending.disposition).toBe('NEIGHBOR_UNREACHABLE');
    expect(trace(c.world, 'pod-a', '10.244.120.65', '10.244.120.99').ending.disposition).toBe('NEIGHBOR_UNREACHABLE');
  });
});
