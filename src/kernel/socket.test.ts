import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIp } from '../addr/ip.js';
import { emptyNetns } from './netns.js';
import { connectSocket, listen, listenAll, listenShared, lookupSocket, modelSockets, sharedListeners } from './socket.js';

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

describe('listenAll', () => {
  it('gives the table that listen, one socket at a time, gives (property)', () => {
    const sock = fc.record({
      proto: fc.constantFrom<'tcp' | 'udp' | 'sctp'>('tcp', 'udp', 'sctp'),
      port: fc.integer({ min: 1, max: 6 }),
      addr: fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2', 'fd00::1', '::a00:1'), { nil: undefined }),
      owner: fc.constantFrom('a', 'b'),
    });
    fc.assert(
      fc.property(fc.array(sock, { maxLength: 8 }), fc.array(sock, { maxLength: 30 }), (before, batch) => {
        const toSocket = (s: (typeof batch)[number]) => ({ proto: s.proto, port: s.port, owner: s.owner, ...(s.addr === undefined ? {} : { addr: ip(s.addr) }) });
        const one = emptyNetns('a', false);
        const all = emptyNetns('b', false);
        modelSockets(one);
        for (const s of before) {
          listen(one, toSocket(s));
          listen(all, toSocket(s));
        }
        for (const s of batch) listen(one, toSocket(s));
        listenAll(all, batch.map(toSocket));
        expect(all.sockets).toEqual(one.sockets);
      }),
    );
  });
});

describe('listenShared', () => {
  it('gives the table listenAll gives for head, shared and tail in a row, on every namespace sharing the entries (property)', () => {
    const sock = fc.record({
      proto: fc.constantFrom<'tcp' | 'udp' | 'sctp'>('tcp', 'udp', 'sctp'),
      port: fc.integer({ min: 1, max: 6 }),
      addr: fc.option(fc.constantFrom('10.0.0.1', 'fd00::1'), { nil: undefined }),
      owner: fc.constantFrom('a', 'b'),
    });
    const list = (n: number) => fc.array(sock, { maxLength: n });
    fc.assert(
      fc.property(fc.array(fc.record({ before: list(6), head: list(4), tail: list(4) }), { minLength: 1, maxLength: 3 }), list(12), (spaces, shared) => {
        const toSocket = (s: (typeof shared)[number]) => ({ proto: s.proto, port: s.port, owner: s.owner, ...(s.addr === undefined ? {} : { addr: ip(s.addr) }) });
        const entries = sharedListeners(shared.map(toSocket));
        for (const { before, head, tail } of spaces) {
          const all = emptyNetns('a', false);
          const fast = emptyNetns('b', false);
          for (const s of before) {
            listen(all, toSocket(s));
            listen(fast, toSocket(s));
          }
          listenAll(all, [...head, ...shared, ...tail].map(toSocket));
          listenShared(fast, head.map(toSocket), entries, tail.map(toSocket));
          expect(JSON.stringify(fast.sockets, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toBe(JSON.stringify(all.sockets, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
