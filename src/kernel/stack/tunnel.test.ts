import { describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import { ip } from '../../addr/ip.js';
import { addr, ping, walk, worldWith } from '../../../test/helpers/kernel.js';
import { addVxlanFdbEntry } from '../link/fdb.js';
import { addBridge, addIpip, addVeth, addVxlan, setLinkDown, setLinkUp } from '../link/link.js';
import { setMaster } from '../link/port.js';
import { addNeigh } from '../neigh.js';
import { addRoute } from '../route/table.js';
import { addSegment, attachToSegment } from '../segment.js';
import { setSysctl } from '../sysctl.js';
import { type World, getNetns } from '../world.js';

/** Nodes n1, n2 (192.168.1.11/.12 on segment lan), each with cni0 10.244.N.1/24 and one pod 10.244.N.2. */
function twoNodes(): World {
  const w = worldWith('n1', 'n2', 'pod1', 'pod2');
  addSegment(w, 'lan');
  for (const i of [1, 2]) {
    const n = `n${i}`;
    attachToSegment(w, { segment: 'lan', ns: n, dev: 'eth0' });
    setLinkUp(w, n, 'eth0');
    addr(w, n, 'eth0', `192.168.1.1${i}/24`);
    setSysctl(getNetns(w, n), 'net.ipv4.ip_forward', '1');
    addBridge(getNetns(w, n), 'cni0');
    setLinkUp(w, n, 'cni0');
    addr(w, n, 'cni0', `10.244.${i}.1/24`);
    addVeth(w, { ns: `pod${i}`, name: 'eth0', peer: 'veth0', peerNs: n });
    setMaster(w, n, 'veth0', 'cni0');
    setLinkUp(w, n, 'veth0');
    setLinkUp(w, `pod${i}`, 'eth0');
    addr(w, `pod${i}`, 'eth0', `10.244.${i}.2/24`);
    addRoute(getNetns(w, `pod${i}`), { dst: cidr('0.0.0.0/0'), via: ip(`10.244.${i}.1`) });
  }
  return w;
}

/** flannel's VXLAN backend: flannel.1 per node, and per peer a PERMANENT neigh, an FDB entry and an onlink route. */
function flannel(): World {
  const w = twoNodes();
  for (const i of [1, 2]) {
    const ns = getNetns(w, `n${i}`);
    addVxlan(ns, 'flannel.1', { vni: 1, local: ip(`192.168.1.1${i}`), dev: 'eth0', dstport: 8472, learning: false });
    setLinkUp(w, `n${i}`, 'flannel.1');
    addr(w, `n${i}`, 'flannel.1', `10.244.${i}.0/32`);
  }
  for (const [i, j] of [[1, 2], [2, 1]] as const) {
    const ns = getNetns(w, `n${i}`);
    const vtep = getNetns(w, `n${j}`).links['flannel.1']!.mac;
    addNeigh(ns, { dev: 'flannel.1', ip: ip(`10.244.${j}.0`), mac: vtep });
    addVxlanFdbEntry(ns, { dev: 'flannel.1', mac: vtep, dst: ip(`192.168.1.1${j}`) });
    addRoute(ns, { dst: cidr(`10.244.${j}.0/24`), via: ip(`10.244.${j}.0`), dev: 'flannel.1', onlink: true });
  }
  return w;
}

describe('tunnels', () => {
  it('flannel VXLAN: pod → pod across nodes, encapsulated between the nodes', () => {
    const w = flannel();
    expect(getNetns(w, 'n1').links['flannel.1']!.mtu).toBe(1450);
    const t = walk(w, { at: 'local-out', ns: 'pod1', packet: ping('10.244.1.2', '10.244.2.2') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'pod2' });
    expect(t.hops.map((h) => h.ns)).toEqual(['pod1', 'n1', 'lan', 'n2', 'n2', 'pod2']);
    const encap = t.events.find((e) => e.kind === 'encap');
    expect(encap).toMatchObject({ ns: 'n1', dev: 'flannel.1' });
    expect(encap?.kind === 'encap' && encap.outer).toMatch(/^vxlan 192\.168\.1\.11:\d+ > 192\.168\.1\.12:8472 vni 1$/);
    expect(t.events.find((e) => e.kind === 'decap')).toMatchObject({ ns: 'n2', dev: 'flannel.1' });
    expect(t.end.kind === 'delivered' && t.end.packet).toMatchObject({ encap: [], ip: { ttl: 62 } });
  });

  it('VXLAN without an FDB entry for the inner MAC drops the frame', () => {
    const w = flannel();
    getNetns(w, 'n1').fdb.vxlan.delete('flannel.1');
    const t = walk(w, { at: 'local-out', ns: 'pod1', packet: ping('10.244.1.2', '10.244.2.2') });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'n1', reason: 'NEIGH_FAILED' });
  });

  it('Calico-style IPIP: tunl0 (remote any) sends to the route’s gateway, the peer’s tunl0 decapsulates', () => {
    const w = twoNodes();
    for (const [i, j] of [[1, 2], [2, 1]] as const) {
      const ns = getNetns(w, `n${i}`);
      addIpip(ns, 'tunl0');
      setLinkUp(w, `n${i}`, 'tunl0');
      addr(w, `n${i}`, 'tunl0', `10.244.${i}.0/32`);
      addRoute(ns, { dst: cidr(`10.244.${j}.0/24`), via: ip(`192.168.1.1${j}`), dev: 'tunl0', onlink: true, proto: 'bird' });
    }
    const t = walk(w, { at: 'local-out', ns: 'pod1', packet: ping('10.244.1.2', '10.244.2.2') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'pod2' });
    expect(t.events.find((e) => e.kind === 'encap')).toMatchObject({ outer: 'ipip 192.168.1.11 > 192.168.1.12' });
    expect(t.hops.map((h) => h.ns)).toEqual(['pod1', 'n1', 'lan', 'n2', 'n2', 'pod2']);
  });

  it('a tunnel packet for a namespace without a matching device is refused (NO_SOCKET)', () => {
    const w = flannel();
    setLinkDown(w, 'n2', 'flannel.1');
    const t = walk(w, { at: 'local-out', ns: 'pod1', packet: ping('10.244.1.2', '10.244.2.2') });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'n2', reason: 'NO_SOCKET' });
  });
});
