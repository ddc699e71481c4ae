import { describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import { ip } from '../addr/ip.js';
import { addr, mac, ping, walk, worldWith } from '../../test/helpers/kernel.js';
import { addBridge, addVeth, setLinkUp } from './link/link.js';
import { setMaster } from './link/port.js';
import { addRoute } from './route/table.js';
import { addSegment, attachToSegment } from './segment.js';
import { setSysctl } from './sysctl.js';
import { renderIpAddr } from './text/addr.js';
import { getNetns } from './world.js';

/** Two nodes on segment `lan`; n2 runs a bridge with one pod; n1 routes the pod subnet via n2 (host-gw). */
function hostGw() {
  const w = worldWith('n1', 'n2', 'pod');
  addSegment(w, 'lan');
  for (const [n, a] of [['n1', '192.168.1.11/24'], ['n2', '192.168.1.12/24']] as const) {
    attachToSegment(w, { segment: 'lan', ns: n, dev: 'eth0' });
    setLinkUp(w, n, 'eth0');
    addr(w, n, 'eth0', a);
  }
  const n2 = getNetns(w, 'n2');
  addBridge(n2, 'cni0');
  setLinkUp(w, 'n2', 'cni0');
  addr(w, 'n2', 'cni0', '10.244.2.1/24');
  addVeth(w, { ns: 'pod', name: 'eth0', peer: 'veth0', peerNs: 'n2' });
  setMaster(w, 'n2', 'veth0', 'cni0');
  setLinkUp(w, 'n2', 'veth0');
  setLinkUp(w, 'pod', 'eth0');
  addr(w, 'pod', 'eth0', '10.244.2.2/24');
  addRoute(getNetns(w, 'pod'), { dst: cidr('0.0.0.0/0'), via: ip('10.244.2.1') });
  addRoute(getNetns(w, 'n1'), { dst: cidr('10.244.2.0/24'), via: ip('192.168.1.12') });
  setSysctl(n2, 'net.ipv4.ip_forward', '1');
  return w;
}

describe('segment (the nodes’ shared L2)', () => {
  it('carries node-to-node traffic through the hidden segment namespace', () => {
    const t = walk(hostGw(), { at: 'local-out', ns: 'n1', packet: ping('192.168.1.11', '192.168.1.12') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'n2', dev: 'eth0' });
    expect(t.hops.map((h) => h.ns)).toEqual(['n1', 'lan', 'n2']);
  });

  it('routes node → remote pod via the other node (host-gw)', () => {
    const t = walk(hostGw(), { at: 'local-out', ns: 'n1', packet: ping('192.168.1.11', '10.244.2.2') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'pod' });
    expect(t.hops.map((h) => h.ns)).toEqual(['n1', 'lan', 'n2', 'pod']);
  });

  it('shows a node NIC on a segment as a plain Ethernet device', () => {
    const w = hostGw();
    const text = renderIpAddr(w.netns, getNetns(w, 'n1'), { dev: 'eth0' });
    expect(text.split('\n')[0]).toMatch(/^2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000$/);
    expect(text).not.toContain('link-netns');
  });
});

describe('proxy ARP (Calico-style /32 pods behind 169.254.1.1)', () => {
  it('the host veth answers for 169.254.1.1 and the host routes between pods', () => {
    const w = worldWith('host', 'a', 'b');
    addSegment(w, 'lan');
    attachToSegment(w, { segment: 'lan', ns: 'host', dev: 'eth0' });
    setLinkUp(w, 'host', 'eth0');
    addr(w, 'host', 'eth0', '192.168.1.11/24');
    const host = getNetns(w, 'host');
    addRoute(host, { dst: cidr('0.0.0.0/0'), via: ip('192.168.1.1') });
    setSysctl(host, 'net.ipv4.ip_forward', '1');
    for (const [pod, cali, a] of [['a', 'calia', '10.244.120.65'], ['b', 'calib', '10.244.120.66']] as const) {
      addVeth(w, { ns: pod, name: 'eth0', peer: cali, peerNs: 'host', peerMac: mac('ee:ee:ee:ee:ee:ee') });
      setLinkUp(w, 'host', cali);
      setLinkUp(w, pod, 'eth0');
      addr(w, pod, 'eth0', `${a}/32`);
      const p = getNetns(w, pod);
      addRoute(p, { dst: cidr('169.254.1.1/32'), dev: 'eth0', scope: 'link' });
      addRoute(p, { dst: cidr('0.0.0.0/0'), via: ip('169.254.1.1'), dev: 'eth0' });
      addRoute(host, { dst: cidr(`${a}/32`), dev: cali, scope: 'link' });
      setSysctl(host, `net.ipv4.conf.${cali}.proxy_arp`, '1');
    }
    const t = walk(w, { at: 'local-out', ns: 'a', packet: ping('10.244.120.65', '10.244.120.66') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'b' });
    expect(getNetns(w, 'a').neigh.find((n) => n.ip.value === ip('169.254.1.1').value)).toMatchObject({ mac: 'ee:ee:ee:ee:ee:ee', state: 'REACHABLE' });
  });
});
