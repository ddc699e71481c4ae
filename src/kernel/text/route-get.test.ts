import { describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import { ip } from '../../addr/ip.js';
import { addr, worldWith } from '../../../test/helpers/kernel.js';
import { addVeth, setLinkUp } from '../link/link.js';
import { addRoute } from '../route/table.js';
import { getNetns } from '../world.js';
import { routeGet } from './route-get.js';

/** The namespace of the capture: v1 10.0.0.1/24, v2 10.1.0.1/24 (a veth pair), default via 10.0.0.254. */
function ns() {
  const w = worldWith('g');
  addVeth(w, { ns: 'g', name: 'v1', peer: 'v2' });
  setLinkUp(w, 'g', 'v1');
  setLinkUp(w, 'g', 'v2');
  addr(w, 'g', 'v1', '10.0.0.1/24');
  addr(w, 'g', 'v2', '10.1.0.1/24');
  const n = getNetns(w, 'g');
  addRoute(n, { dst: cidr('0.0.0.0/0'), via: ip('10.0.0.254') });
  addRoute(n, { type: 'blackhole', dst: cidr('9.9.9.0/24') });
  return n;
}

describe('ip route get (outputs captured on Linux 6.18)', () => {
  it.each([
    [{ dst: ip('8.8.8.8') }, '8.8.8.8 via 10.0.0.254 dev v1 src 10.0.0.1 uid 0 \n    cache \n'],
    [{ dst: ip('10.0.0.7') }, '10.0.0.7 dev v1 src 10.0.0.1 uid 0 \n    cache \n'],
    [{ dst: ip('10.0.0.1') }, 'local 10.0.0.1 dev lo src 10.0.0.1 uid 0 \n    cache <local> \n'],
    [{ dst: ip('8.8.8.8'), from: ip('10.1.0.5'), iif: 'v2' }, '8.8.8.8 from 10.1.0.5 via 10.0.0.254 dev v1 \n    cache iif v2 \n'],
    [{ dst: ip('8.8.8.8'), mark: 0x10 }, '8.8.8.8 via 10.0.0.254 dev v1 src 10.0.0.1 mark 0x10 uid 0 \n    cache \n'],
    [{ dst: ip('1.2.3.4'), from: ip('10.0.0.1') }, '1.2.3.4 from 10.0.0.1 via 10.0.0.254 dev v1 uid 0 \n    cache \n'],
  ])('%o', (q, want) => {
    expect(routeGet(ns(), q)).toEqual({ ok: true, text: want });
  });

  it('answers a blackhole with Invalid argument', () => {
    expect(routeGet(ns(), { dst: ip('9.9.9.9') })).toEqual({ ok: false, answer: 'RTNETLINK answers: Invalid argument' });
  });
});
