/**
 * Reverse-path filtering and martian sources. Each case mirrors a run on Linux 6.18: ns t1 sends
 * a raw UDP packet with a chosen source to t2 (10.0.0.2 on v2), where a socket listens; t2 has a
 * second device w2 routing 192.0.2.0/24. "received" / "nothing" is what the socket saw.
 */
import { describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import { ip } from '../../addr/ip.js';
import { addr, ping, walk, worldWith } from '../../../test/helpers/kernel.js';
import { addVeth, setLinkUp } from '../link/link.js';
import { addRoute } from '../route/table.js';
import { setSysctl } from '../sysctl.js';
import { type World, getNetns } from '../world.js';

function lab(): World {
  const w = worldWith('t1', 't2', 't3');
  addVeth(w, { ns: 't1', name: 'v1', peer: 'v2', peerNs: 't2' });
  addVeth(w, { ns: 't2', name: 'w2', peer: 'w3', peerNs: 't3' });
  for (const [ns, dev] of [['t1', 'v1'], ['t2', 'v2'], ['t2', 'w2'], ['t3', 'w3']] as const) setLinkUp(w, ns, dev);
  addr(w, 't1', 'v1', '10.0.0.1/24');
  addr(w, 't2', 'v2', '10.0.0.2/24');
  addr(w, 't2', 'w2', '10.5.0.2/24');
  addRoute(getNetns(w, 't1'), { dst: cidr('0.0.0.0/0'), dev: 'v1' });
  return w;
}

/** Sends from t1 with the given source; returns how t2 ended it. */
function send(w: World, src: string): string {
  const t = walk(w, { at: 'local-out', ns: 't1', packet: ping(src, '10.0.0.2') });
  return t.end.kind === 'delivered' ? 'received' : t.end.kind === 'dropped' ? t.end.reason : t.end.kind;
}

describe('rp_filter and martian sources (as Linux did)', () => {
  it('a normal packet is received; a packet claiming the receiver’s own address is martian', () => {
    const w = lab();
    expect(send(w, '10.0.0.1')).toBe('received');
    expect(send(w, '10.0.0.2')).toBe('MARTIAN');
  });

  it('rp_filter=0 accepts a source with no route back; 1 and 2 drop it', () => {
    const w = lab();
    const t2 = getNetns(w, 't2');
    expect(send(w, '192.0.2.7')).toBe('received');
    setSysctl(t2, 'net.ipv4.conf.all.rp_filter', '1');
    expect(send(w, '192.0.2.7')).toBe('RP_FILTER');
    setSysctl(t2, 'net.ipv4.conf.all.rp_filter', '2');
    expect(send(w, '192.0.2.7')).toBe('RP_FILTER');
  });

  it.each([
    ['1', '0', 'RP_FILTER'],
    ['2', '0', 'received'],
    ['0', '1', 'RP_FILTER'],
    ['0', '2', 'received'],
  ])('asymmetric path, all=%s v2=%s → %s (max of all and device)', (all, dev, want) => {
    const w = lab();
    const t2 = getNetns(w, 't2');
    addRoute(t2, { dst: cidr('192.0.2.0/24'), via: ip('10.5.0.3'), dev: 'w2' });
    setSysctl(t2, 'net.ipv4.conf.all.rp_filter', all);
    setSysctl(t2, 'net.ipv4.conf.v2.rp_filter', dev);
    expect(send(w, '192.0.2.7')).toBe(want);
  });

  it('127.0.0.0/8 on the wire is martian unless route_localnet is set', () => {
    const w = lab();
    const frame = { srcMac: getNetns(w, 't1').links['v1']!.mac, dstMac: getNetns(w, 't2').links['v2']!.mac, packet: ping('10.0.0.1', '127.0.0.1') };
    expect(walk(w, { at: 'rx', ns: 't2', dev: 'v2', frame }).end).toMatchObject({ kind: 'dropped', reason: 'MARTIAN' });
    setSysctl(getNetns(w, 't2'), 'net.ipv4.conf.v2.route_localnet', '1');
    expect(walk(w, { at: 'rx', ns: 't2', dev: 'v2', frame }).end).toMatchObject({ kind: 'delivered', ns: 't2' });
  });
});
