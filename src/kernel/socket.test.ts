import { describe, expect, it } from 'vitest';
import { parseIp } from '../addr/ip.js';
import { emptyNetns } from './netns.js';
import { connectSocket, listen, lookupSocket, modelSockets } from './socket.js';

const ip = (s: string) => parseIp(s)!;
const key = (proto: 'tcp' | 'udp', dport: number, src = '10.0.0.9', sport = 40000, dst = '10.0.0.2') => ({ proto, src: ip(src), sport, dst: ip(dst), dport });

describe('socket lookup (__inet_lookup: established, then listener)', () => {
  it('an undescribed namespace answers on every port', () => {
    expect(lookupSocket(emptyNetns('n', false), key('tcp', 1))).toBe('unmodelled');
  });

  it('a described namespace with no sockets answers on none', () => {
    const ns = emptyNetns('n', false);
    modelSockets(ns);
    expect(lookupSocket(ns, key('tcp', 80))).toBeUndefined();
  });

  it('a wildcard listener takes its port and protocol only; a bound one only its address', () => {
    const ns = emptyNetns('n', false);
    listen(ns, { proto: 'tcp', port: 80, owner: 'web' });
    listen(ns, { proto: 'udp', port: 53, addr: ip('10.0.0.2'), owner: 'dns' });
    listen(ns, { proto: 'tcp', port: 80, owner: 'web' });
    expect(ns.sockets.list).toHaveLength(2);
    expect(lookupSocket(ns, key('tcp', 80))).toMatchObject({ owner: 'web' });
    expect(lookupSocket(ns, key('udp', 80))).toBeUndefined();
    expect(lookupSocket(ns, key('udp', 53))).toMatchObject({ owner: 'dns' });
    expect(lookupSocket(ns, key('udp', 53, '10.0.0.9', 40000, '10.0.0.3'))).toBeUndefined();
  });

  it('a connected socket takes only the answer from its peer', () => {
    const ns = emptyNetns('n', false);
    modelSockets(ns);
    connectSocket(ns, { proto: 'tcp', port: 40000, addr: ip('10.0.0.2'), peer: ip('10.96.0.2'), peerPort: 80, owner: 'client' });
    expect(lookupSocket(ns, key('tcp', 40000, '10.96.0.2', 80))).toMatchObject({ owner: 'client' });
    expect(lookupSocket(ns, key('tcp', 40000, '10.244.1.2', 8080))).toBeUndefined();
  });
});
