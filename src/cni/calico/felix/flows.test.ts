/**
 * Felix's rules in the kernel model, on a small Calico IPIP layout: nodes n1 and n2 on the
 * segment `lan` with tunl0, one pod each behind a cali veth (proxy ARP, /32 routes), a router
 * `ext` that also holds 8.8.8.8, and `x`, a machine on the same LAN that is not a Calico node.
 */
import { describe, expect, it } from 'vitest';
import { cidr } from '../../../addr/cidr.js';
import { ip } from '../../../addr/ip.js';
import { addr, ping, walk, worldWith } from '../../../../test/helpers/kernel.js';
import { addIpip, addVeth, setLinkUp } from '../../../kernel/link/link.js';
import { addRoute } from '../../../kernel/route/table.js';
import { addSegment, attachToSegment } from '../../../kernel/segment.js';
import { setSysctl } from '../../../kernel/sysctl.js';
import { type World, getNetns } from '../../../kernel/world.js';
import type { FelixInput } from './input.js';
import { loadFelix } from './load.js';

const POOL = { cidr: cidr('192.168.0.0/16'), natOutgoing: true, disabled: false, ipipMode: 'Always', vxlanMode: 'Never' } as const;
const IFACE = { n1: 'cali1a2b3c4d5e6', n2: 'calib7c8d9e0f12' } as const;
const POD_IP = { n1: '192.168.10.65', n2: '192.168.20.65' } as const;
const NODE_IP = { n1: '10.0.0.11', n2: '10.0.0.12' } as const;
const BLOCK = { n1: '192.168.10.64/26', n2: '192.168.20.64/26' } as const;

function felixInput(node: 'n1' | 'n2', natOutgoing = true): FelixInput {
  return {
    nodeName: node,
    family: 4,
    hostIPs: [ip(NODE_IP.n1), ip(NODE_IP.n2)],
    vxlanHostIPs: [],
    pools: [{ ...POOL, natOutgoing }],
    localWorkloads: [{ iface: IFACE[node], ips: [ip(POD_IP[node])], namespace: 'default' }],
    ipipEnabled: true,
    vxlanEnabled: false,
    ipipTunnelAddress: ip(BLOCK[node].replace('/26', '')),
  };
}

function calicoLab(natOutgoing = true): World {
  const w = worldWith('n1', 'n2', 'p1', 'p2', 'ext', 'x');
  addSegment(w, 'lan');
  const lan = (ns: string, a: string) => {
    attachToSegment(w, { segment: 'lan', ns, dev: 'eth0' });
    setLinkUp(w, ns, 'eth0');
    addr(w, ns, 'eth0', `${a}/24`);
  };
  lan('ext', '10.0.0.1');
  addr(w, 'ext', 'lo', '8.8.8.8/32');
  lan('x', '10.0.0.99');
  for (const [node, other] of [['n1', 'n2'], ['n2', 'n1']] as const) {
    const pod = node === 'n1' ? 'p1' : 'p2';
    const ns = getNetns(w, node);
    lan(node, NODE_IP[node]);
    setSysctl(ns, 'net.ipv4.ip_forward', '1');
    addRoute(ns, { dst: cidr('0.0.0.0/0'), via: ip('10.0.0.1'), dev: 'eth0' });
    addIpip(ns, 'tunl0');
    setLinkUp(w, node, 'tunl0');
    addr(w, node, 'tunl0', `${BLOCK[node].replace('/26', '')}/32`);
    addRoute(ns, { dst: cidr(BLOCK[other]), via: ip(NODE_IP[other]), dev: 'tunl0', onlink: true, proto: 'bird' });
    addVeth(w, { ns: pod, name: 'eth0', peer: IFACE[node], peerNs: node });
    setLinkUp(w, node, IFACE[node]);
    setLinkUp(w, pod, 'eth0');
    setSysctl(ns, `net.ipv4.conf.${IFACE[node]}.proxy_arp`, '1');
    addRoute(ns, { dst: cidr(`${POD_IP[node]}/32`), dev: IFACE[node], scope: 'link' });
    addr(w, pod, 'eth0', `${POD_IP[node]}/32`);
    addRoute(getNetns(w, pod), { dst: cidr('169.254.1.1/32'), dev: 'eth0', scope: 'link' });
    addRoute(getNetns(w, pod), { dst: cidr('0.0.0.0/0'), via: ip('169.254.1.1'), dev: 'eth0' });
    expect(loadFelix(w, node, felixInput(node, natOutgoing))).toEqual([]);
  }
  // x, not a Calico node, tunnels straight to n1's pod block.
  const x = getNetns(w, 'x');
  addIpip(x, 'tunl0');
  setLinkUp(w, 'x', 'tunl0');
  addr(w, 'x', 'tunl0', '192.168.99.1/32');
  addRoute(x, { dst: cidr(BLOCK.n1), via: ip(NODE_IP.n1), dev: 'tunl0', onlink: true });
  return w;
}

describe('Felix in the kernel model', () => {
  it('pod → outside: cali-nat-outgoing MASQUERADEs to the node address', () => {
    const t = walk(calicoLab(), { at: 'local-out', ns: 'p1', packet: ping(POD_IP.n1, '8.8.8.8') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'ext' });
    expect(t.end.kind === 'delivered' && t.end.packet.ip.src).toEqual(ip(NODE_IP.n1));
  });

  it('natOutgoing false: the pod address leaves unchanged', () => {
    const t = walk(calicoLab(false), { at: 'local-out', ns: 'p1', packet: ping(POD_IP.n1, '8.8.8.8') });
    expect(t.end.kind === 'delivered' && t.end.packet.ip.src).toEqual(ip(POD_IP.n1));
  });

  it('pod → pod in the pool: not masqueraded, IPIP from a Calico host accepted by cali-INPUT', () => {
    const t = walk(calicoLab(), { at: 'local-out', ns: 'p1', packet: ping(POD_IP.n1, POD_IP.n2) });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'p2' });
    expect(t.end.kind === 'delivered' && t.end.packet.ip.src).toEqual(ip(POD_IP.n1));
  });

  it('IPIP from a host outside cali40all-hosts-net is dropped in cali-INPUT', () => {
    const t = walk(calicoLab(), { at: 'local-out', ns: 'x', packet: ping('192.168.99.1', POD_IP.n1) });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'n1', reason: 'NETFILTER_DROP' });
    // Rule 2 of cali-INPUT: "Drop IPIP packets from non-Calico hosts".
    expect(t.end.kind === 'dropped' && t.end.detail).toBe('INPUT: filter/cali-INPUT#2');
  });

  it('host → remote pod through tunl0 from the eth0 address: MASQUERADEd to the tunl0 address (--limit-iface-out)', () => {
    const w = calicoLab();
    const t = walk(w, { at: 'local-out', ns: 'n1', packet: ping(NODE_IP.n1, POD_IP.n2) });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'p2' });
    expect(t.end.kind === 'delivered' && t.end.packet.ip.src).toEqual(ip('192.168.10.64'));
    const own = walk(w, { at: 'local-out', ns: 'n1', packet: ping('192.168.10.64', POD_IP.n2) });
    expect(own.end.kind === 'delivered' && own.end.packet.ip.src).toEqual(ip('192.168.10.64'));
  });

  it('a pod spoofing another source fails the raw table reverse-path check', () => {
    const t = walk(calicoLab(), { at: 'local-out', ns: 'p1', packet: ping('192.168.10.70', '8.8.8.8') });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'n1', reason: 'NETFILTER_DROP' });
    // Rule 3 of raw cali-PREROUTING: `-m rpfilter --validmark --invert -j DROP` for packets from cali+.
    expect(t.end.kind === 'dropped' && t.end.detail).toBe('PREROUTING: raw/cali-PREROUTING#3');
  });
});
