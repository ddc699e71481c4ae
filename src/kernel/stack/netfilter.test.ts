import { describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import { ip } from '../../addr/ip.js';
import { addr, ping, walk, worldWith } from '../../../test/helpers/kernel.js';
import { addBridge, addVeth, setLinkUp } from '../link/link.js';
import { setHairpin, setMaster } from '../link/port.js';
import { loadRuleset } from '../netfilter/index.js';
import { parseIptablesSave } from '../netfilter/syntax/index.js';
import { addRoute } from '../route/table.js';
import { setSysctl } from '../sysctl.js';
import { type World, getNetns } from '../world.js';

function iptables(w: World, ns: string, text: string): void {
  const parsed = parseIptablesSave(text, { file: 'test.rules', family: 4 });
  expect(parsed.diagnostics).toEqual([]);
  loadRuleset(getNetns(w, ns).netfilter, parsed.value);
}

/**
 * The br_netfilter cases mirror runs on Linux 6.18 (iptables-legacy, UDP instead of ICMP): with
 * bridge-nf-call-iptables=1 the DNATed packet reached p2 with TTL 64 (re-bridged), with 0 with
 * TTL 63 (routed); DNAT back to the sender arrived only with hairpin on, from 10.244.1.1 once
 * MASQUERADEd.
 */
/** Pods p1..p3 (10.244.1.2-4) on cni0 (10.244.1.1) in `host`, default route via the bridge; a "Service" 10.96.0.10 → p2. */
function cluster(): World {
  const w = worldWith('host', 'p1', 'p2', 'p3');
  const H = getNetns(w, 'host');
  addBridge(H, 'cni0');
  setLinkUp(w, 'host', 'cni0');
  addr(w, 'host', 'cni0', '10.244.1.1/24');
  for (const i of [1, 2, 3]) {
    addVeth(w, { ns: `p${i}`, name: 'eth0', peer: `veth${i}`, peerNs: 'host' });
    setMaster(w, 'host', `veth${i}`, 'cni0');
    setLinkUp(w, 'host', `veth${i}`);
    setLinkUp(w, `p${i}`, 'eth0');
    addr(w, `p${i}`, 'eth0', `10.244.1.${i + 1}/24`);
    addRoute(getNetns(w, `p${i}`), { dst: cidr('0.0.0.0/0'), via: ip('10.244.1.1') });
  }
  setSysctl(H, 'net.ipv4.ip_forward', '1');
  return w;
}

const SERVICE = (to: string) => `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d 10.96.0.10/32 -p icmp -j DNAT --to-destination ${to}
COMMIT
`;

describe('stack with netfilter', () => {
  it('without br_netfilter: the DNATed packet is routed back out the bridge (TTL decremented)', () => {
    const w = cluster();
    setSysctl(getNetns(w, 'host'), 'net.bridge.bridge-nf-call-iptables', '0');
    iptables(w, 'host', SERVICE('10.244.1.3'));
    const t = walk(w, { at: 'local-out', ns: 'p1', packet: ping('10.244.1.2', '10.96.0.10') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'p2' });
    expect(t.end.kind === 'delivered' && t.end.packet.ip.ttl).toBe(63);
  });

  it('with bridge-nf-call-iptables=1: PREROUTING runs on the port, the packet is re-bridged (no TTL change)', () => {
    const w = cluster();
    setSysctl(getNetns(w, 'host'), 'net.bridge.bridge-nf-call-iptables', '1');
    iptables(w, 'host', SERVICE('10.244.1.3'));
    const t = walk(w, { at: 'local-out', ns: 'p1', packet: ping('10.244.1.2', '10.96.0.10') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'p2' });
    expect(t.end.kind === 'delivered' && t.end.packet.ip.ttl).toBe(64);
    expect(t.events.filter((e) => e.kind === 'ttl')).toEqual([]);
  });

  it('DNAT back to the sender on the same bridge needs hairpin on its port', () => {
    const w = cluster();
    const H = getNetns(w, 'host');
    setSysctl(H, 'net.bridge.bridge-nf-call-iptables', '1');
    iptables(w, 'host', SERVICE('10.244.1.2'));
    const blocked = walk(w, { at: 'local-out', ns: 'p1', packet: ping('10.244.1.2', '10.96.0.10') });
    expect(blocked.end).toMatchObject({ kind: 'dropped', ns: 'host', reason: 'BRIDGE_HAIRPIN' });
    setHairpin(H, 'veth1', true);
    // Delivered to p1 with its own address as source — which p1 then treats as a martian source.
    const t = walk(w, { at: 'local-out', ns: 'p1', packet: ping('10.244.1.2', '10.96.0.10') });
    expect(t.hops.map((h) => h.ns)).toEqual(['p1', 'host', 'p1']);
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'p1', reason: 'MARTIAN' });
  });

  it('hairpin plus MASQUERADE: the sender gets its own packet back from the bridge address', () => {
    const w = cluster();
    const H = getNetns(w, 'host');
    setHairpin(H, 'veth1', true);
    iptables(w, 'host', SERVICE('10.244.1.2').replace('COMMIT', '-A POSTROUTING -s 10.244.1.2/32 -d 10.244.1.2/32 -j MASQUERADE\nCOMMIT'));
    const t = walk(w, { at: 'local-out', ns: 'p1', packet: ping('10.244.1.2', '10.96.0.10') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'p1' });
    expect(t.end.kind === 'delivered' && t.end.packet.ip).toMatchObject({ src: ip('10.244.1.1'), dst: ip('10.244.1.2'), ttl: 64 });
  });

  it('a DROP rule names itself in the drop detail', () => {
    const w = cluster();
    iptables(w, 'host', `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -d 10.244.1.4/32 -j DROP
COMMIT
`);
    setSysctl(getNetns(w, 'host'), 'net.bridge.bridge-nf-call-iptables', '0');
    const t = walk(w, { at: 'local-out', ns: 'p1', packet: ping('10.244.1.2', '10.244.1.4') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'p3' }); // bridged, iptables never sees it
    setSysctl(getNetns(w, 'host'), 'net.bridge.bridge-nf-call-iptables', '1');
    const d = walk(w, { at: 'local-out', ns: 'p1', packet: ping('10.244.1.2', '10.244.1.4') });
    expect(d.end).toMatchObject({ kind: 'dropped', ns: 'host', reason: 'NETFILTER_DROP' });
    expect(d.end.kind === 'dropped' && d.end.detail).toContain('FORWARD');
    expect(d.end.kind === 'dropped' && d.end.detail).toContain('filter/FORWARD');
  });

  // Linux 6.x, nf_tables, in namespaces nsKR-n/-p1/-p2 (br0 10.9.0.1/24, ports to 10.9.0.2 and
  // .3, bridge-nf-call-iptables=1): a ping .2 → .3 counted 1 packet on both FORWARD rules
  // (`-d .3` and `-d .3 -m physdev --physdev-is-bridged`), and the REJECT in the second chain
  // answered "Destination Port Unreachable" from 10.9.0.1. kube-router's jumps rely on both.
  it('a bridged frame meets FORWARD rules with and without --physdev-is-bridged, as kube-router\'s jumps need', () => {
    const w = cluster();
    iptables(w, 'host', `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KRTEST - [0:0]
:KRTEST2 - [0:0]
-A FORWARD -d 10.244.1.4/32 -m comment --comment plain-d -j KRTEST
-A FORWARD -d 10.244.1.4/32 -m physdev --physdev-is-bridged -m comment --comment phys-d -j KRTEST2
-A KRTEST -j RETURN
-A KRTEST2 -m conntrack --ctstate NEW -j REJECT
COMMIT
`);
    const t = walk(w, { at: 'local-out', ns: 'p1', packet: ping('10.244.1.2', '10.244.1.4') });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'host', reason: 'NETFILTER_REJECT' });
    const rules = t.events.flatMap((e) => (e.kind === 'nf-rule' && e.table === 'filter' ? [`${e.chain}#${e.position} ${e.verdict}`] : []));
    expect(rules).toEqual(['FORWARD#1 JUMP:KRTEST', 'KRTEST#1 RETURN', 'FORWARD#2 JUMP:KRTEST2', 'KRTEST2#1 REJECT']);
  });
});
