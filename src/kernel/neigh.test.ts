import { describe, expect, it } from 'vitest';
import { ip } from '../addr/ip.js';
import { addr, mac, worldWith } from '../../test/helpers/kernel.js';
import { addVeth, setLinkUp } from './link/link.js';
import { resolveNeigh } from './neigh.js';
import { getNetns } from './world.js';

/**
 * Host h: a0 (peer a1 in x) with 10.0.1.1/24, 2001:db8:a::1/64; b0 (peer b1 in h) with
 * 10.0.2.1/24, 2001:db8:b::1/64. x asks on a1 for the address of b0 — as
 * `ping 2001:db8:b::1` / `ping 10.0.2.1` from x with an on-link route did on Linux 6.18:
 * ARP answered (arp_ignore=0), NS not (neighbour INCOMPLETE).
 */
function host() {
  const w = worldWith('h', 'x');
  addVeth(w, { ns: 'h', name: 'a0', peer: 'a1', peerNs: 'x', mac: mac('0a:00:00:00:00:a0') });
  addVeth(w, { ns: 'h', name: 'b0', peer: 'b1', mac: mac('0a:00:00:00:00:b0') });
  for (const [ns, dev] of [['h', 'a0'], ['x', 'a1'], ['h', 'b0'], ['h', 'b1']] as const) setLinkUp(w, ns, dev);
  addr(w, 'h', 'a0', '10.0.1.1/24');
  addr(w, 'h', 'a0', '2001:db8:a::1/64');
  addr(w, 'h', 'b0', '10.0.2.1/24');
  addr(w, 'h', 'b0', '2001:db8:b::1/64');
  return { w, x: getNetns(w, 'x') };
}

describe('address resolution answers as arp_process and ndisc_recv_ns do', () => {
  it('ARP: any address local to the namespace is answered with the receiving device MAC', () => {
    const { w, x } = host();
    expect(resolveNeigh(w.netns, x, 'a1', ip('10.0.2.1'))).toMatchObject({ kind: 'resolved', mac: '0a:00:00:00:00:a0', state: 'REACHABLE' });
    expect(resolveNeigh(w.netns, x, 'a1', ip('10.0.1.1'))).toMatchObject({ kind: 'resolved', mac: '0a:00:00:00:00:a0' });
  });

  it('ND: only an address on the receiving device is answered; one on another device is not', () => {
    const { w, x } = host();
    expect(resolveNeigh(w.netns, x, 'a1', ip('2001:db8:a::1'))).toMatchObject({ kind: 'resolved', mac: '0a:00:00:00:00:a0' });
    expect(resolveNeigh(w.netns, x, 'a1', ip('2001:db8:b::1'))).toMatchObject({ kind: 'failed' });
  });
});
