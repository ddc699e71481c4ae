import { describe, expect, it } from 'vitest';
import { ip } from '../addr/ip.js';
import { addr, worldWith } from '../../test/helpers/kernel.js';
import { addrType } from './addr.js';
import { addVeth, setLinkUp } from './link/link.js';
import { getNetns } from './world.js';

describe('addrType with a device (-m addrtype --limit-iface-in/out)', () => {
  it("is LOCAL only for the device's own addresses", () => {
    const w = worldWith('n');
    addVeth(w, { ns: 'n', name: 'd1', peer: 'd1p', peerNs: 'n' });
    addVeth(w, { ns: 'n', name: 'd2', peer: 'd2p', peerNs: 'n' });
    for (const d of ['d1', 'd2']) setLinkUp(w, 'n', d);
    addr(w, 'n', 'd1', '10.1.0.1/24');
    addr(w, 'n', 'd2', '10.2.0.1/24');
    const ns = getNetns(w, 'n');
    expect(addrType(ns, ip('10.1.0.1'))).toBe('LOCAL');
    expect(addrType(ns, ip('10.1.0.1'), 'd2')).toBe('UNICAST');
    expect(addrType(ns, ip('10.2.0.1'), 'd2')).toBe('LOCAL');
    expect(addrType(ns, ip('0.0.0.0'), 'd2')).toBe('BROADCAST');
  });
});
