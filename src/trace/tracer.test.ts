import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cidr } from '../addr/cidr.js';
import { ip } from '../addr/ip.js';
import { addVeth, setLinkUp } from '../kernel/link/link.js';
import { addRoute } from '../kernel/route/table.js';
import { setSysctl } from '../kernel/sysctl.js';
import { addNetns, getNetns } from '../kernel/world.js';
import { packetFor } from '../packet/build.js';
import { simContext } from '../sim/context.js';
import { addr, vethPair, worldWith } from '../../test/helpers/kernel.js';
import { tracePacket } from './tracer.js';
import { DISPOSITIONS } from './types.js';

const env = { ctx: simContext(1), label: (ns: string) => `ns ${ns}` };
const tcp = (src: string, dst: string) => packetFor({ family: 4, proto: 'tcp', src: ip(src), dst: ip(dst), sport: 40000, dport: 80 });

describe('tracePacket', () => {
  it('follows a packet across a veth and ends DELIVERED, one hop per namespace', () => {
    const w = vethPair();
    const t = tracePacket(w, { at: 'local-out', ns: 'a', packet: tcp('10.0.0.1', '10.0.0.2') }, env);
    expect(t.ending.disposition).toBe('DELIVERED');
    expect(t.ending.ns).toBe('b');
    expect(t.hops.map((h) => h.ns)).toEqual(['a', 'b']);
    expect(t.hops[0]?.steps.some((s) => s.type === 'route')).toBe(true);
    expect(t.hops[1]?.steps.at(-1)?.type).toBe('deliver');
  });

  it('ends NO_ROUTE when nothing matches', () => {
    const w = vethPair();
    const t = tracePacket(w, { at: 'local-out', ns: 'a', packet: tcp('10.0.0.1', '192.0.2.1') }, env);
    expect(t.ending.disposition).toBe('NO_ROUTE');
  });

  it('turns a routing loop between two routers into LOOP, never a hang', () => {
    // c → a, then a and b point 198.51.100.0/24 at each other. The source must belong to neither
    // router, or the kernel drops the returning packet as a martian (its own source) first.
    const w = vethPair();
    addNetns(w, 'c');
    addVeth(w, { ns: 'c', name: 'eth0', peer: 'eth1', peerNs: 'a' });
    setLinkUp(w, 'c', 'eth0');
    setLinkUp(w, 'a', 'eth1');
    addr(w, 'c', 'eth0', '10.1.0.2/24');
    addr(w, 'a', 'eth1', '10.1.0.1/24');
    addRoute(getNetns(w, 'c'), { dst: cidr('0.0.0.0/0'), via: ip('10.1.0.1'), dev: 'eth0' });
    for (const ns of ['a', 'b']) setSysctl(getNetns(w, ns), 'net.ipv4.ip_forward', '1');
    addRoute(getNetns(w, 'a'), { dst: cidr('198.51.100.0/24'), via: ip('10.0.0.2'), dev: 'eth0' });
    addRoute(getNetns(w, 'b'), { dst: cidr('198.51.100.0/24'), via: ip('10.0.0.1'), dev: 'eth0' });
    const t = tracePacket(w, { at: 'local-out', ns: 'c', packet: tcp('10.1.0.2', '198.51.100.7') }, env);
    expect(t.ending.disposition).toBe('LOOP');
    expect(t.hops.map((h) => h.ns)).toEqual(['c', 'a', 'b', 'a']);
  });

  it('a packet that returns to the router that sent it is a martian there, as in Linux', () => {
    const w = vethPair();
    for (const ns of ['a', 'b']) setSysctl(getNetns(w, ns), 'net.ipv4.ip_forward', '1');
    addRoute(getNetns(w, 'a'), { dst: cidr('198.51.100.0/24'), via: ip('10.0.0.2'), dev: 'eth0' });
    addRoute(getNetns(w, 'b'), { dst: cidr('198.51.100.0/24'), via: ip('10.0.0.1'), dev: 'eth0' });
    const t = tracePacket(w, { at: 'local-out', ns: 'a', packet: tcp('10.0.0.1', '198.51.100.7') }, env);
    expect(t.ending).toMatchObject({ disposition: 'DROPPED', reason: 'MARTIAN', ns: 'a' });
  });

  it('every trace ends in a disposition, also on random topologies with loops (property)', () => {
    const topo = fc.record({
      n: fc.integer({ min: 2, max: 5 }),
      links: fc.array(fc.tuple(fc.nat(4), fc.nat(4)), { minLength: 1, maxLength: 6 }),
      routes: fc.array(fc.tuple(fc.nat(4), fc.nat(5), fc.constantFrom('198.51.100.0/24', '0.0.0.0/0', '198.51.100.7/32')), { maxLength: 10 }),
      forward: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      start: fc.nat(4),
    });
    fc.assert(
      fc.property(topo, (t) => {
        const names = Array.from({ length: t.n }, (_, i) => `r${i}`);
        const w = worldWith(...names);
        const ifaces: { ns: string; dev: string; addr: string }[] = [];
        t.links.forEach(([x, y], i) => {
          const a = names[x % t.n]!;
          const b = names[y % t.n]!;
          if (a === b) return;
          addVeth(w, { ns: a, name: `l${i}a`, peer: `l${i}b`, peerNs: b });
          setLinkUp(w, a, `l${i}a`);
          setLinkUp(w, b, `l${i}b`);
          addr(w, a, `l${i}a`, `10.${i}.0.1/24`);
          addr(w, b, `l${i}b`, `10.${i}.0.2/24`);
          ifaces.push({ ns: a, dev: `l${i}a`, addr: `10.${i}.0.2` }, { ns: b, dev: `l${i}b`, addr: `10.${i}.0.1` });
        });
        names.forEach((ns, i) => setSysctl(getNetns(w, ns), 'net.ipv4.ip_forward', t.forward[i] ? '1' : '0'));
        for (const [r, k, dst] of t.routes) {
          const ns = names[r % t.n]!;
          const candidates = ifaces.filter((f) => f.ns === ns);
          const via = candidates[k % Math.max(1, candidates.length)];
          if (via === undefined) continue;
          try {
            addRoute(getNetns(w, ns), { dst: cidr(dst), via: ip(via.addr), dev: via.dev });
          } catch {
            // `ip route add` refuses duplicates (File exists), as the real command does.
          }
        }
        const start = names[t.start % t.n]!;
        const src = ifaces.find((f) => f.ns === start);
        const trace = tracePacket(w, { at: 'local-out', ns: start, packet: tcp(src === undefined ? '10.9.9.9' : src.addr.replace(/\.[12]$/, '.9'), '198.51.100.7') }, env);
        expect(DISPOSITIONS).toContain(trace.ending.disposition);
      }),
      { numRuns: 300 },
    );
  });
});
