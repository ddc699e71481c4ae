/**
 * Property: a namespace copied from the loopback-up template (netns-template.ts) is deep-equal to
 * `ip netns add` + `ip link set lo up`, and stays so under any sequence of later verbs — run
 * on both, then on a second copy left alone, which must still equal a fresh one (nothing
 * written through one copy reaches the template or another copy).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import { ip } from '../addr/ip.js';
import { addAddress, delAddress } from './addr.js';
import { addDummy, addVeth, setLinkDown, setLinkUp } from './link/link.js';
import { delLink } from './link/port.js';
import { addNetnsLoopbackUp } from './netns-template.js';
import { addNeigh } from './neigh.js';
import { addRoute, delRoute } from './route/table.js';
import { addRule } from './route/rule.js';
import { setSysctl } from './sysctl.js';
import { type World, addNetns, createWorld, getNetns } from './world.js';

type Op =
  | { op: 'addr'; dev: 'lo' | 'eth0'; c: string }
  | { op: 'deladdr'; c: string }
  | { op: 'veth' }
  | { op: 'dummy' }
  | { op: 'up' | 'down'; dev: 'lo' | 'eth0' | 'd0' }
  | { op: 'route'; c: string }
  | { op: 'delroute'; c: string }
  | { op: 'rule'; prio: number }
  | { op: 'sysctl'; v: '0' | '1' }
  | { op: 'neigh'; a: string }
  | { op: 'dellink' };

const cidrs = ['10.1.2.3/24', '127.0.0.1/8', '::1/128', 'fd00::5/64', '192.168.0.9/32', '10.1.2.4/24', 'fe80::1/64'];
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('addr' as const), dev: fc.constantFrom('lo' as const, 'eth0' as const), c: fc.constantFrom(...cidrs) }),
  fc.record({ op: fc.constant('deladdr' as const), c: fc.constantFrom(...cidrs) }),
  fc.constant({ op: 'veth' as const }),
  fc.constant({ op: 'dummy' as const }),
  fc.record({ op: fc.constantFrom('up' as const, 'down' as const), dev: fc.constantFrom('lo' as const, 'eth0' as const, 'd0' as const) }),
  fc.record({ op: fc.constantFrom('route' as const, 'delroute' as const), c: fc.constantFrom('10.9.0.0/16', '0.0.0.0/0', 'fd09::/48', '127.0.0.0/8') }),
  fc.record({ op: fc.constant('rule' as const), prio: fc.integer({ min: 1, max: 40000 }) }),
  fc.record({ op: fc.constant('sysctl' as const), v: fc.constantFrom('0' as const, '1' as const) }),
  fc.record({ op: fc.constant('neigh' as const), a: fc.constantFrom('10.1.2.9', 'fd00::9') }),
  fc.constant({ op: 'dellink' as const }),
);

/** Runs a verb; a refusal (CommandError) is part of the behaviour compared, so it is recorded. */
function run(w: World, name: string, o: Op): string {
  const ns = getNetns(w, name);
  try {
    switch (o.op) {
      case 'addr':
        addAddress(ns, { dev: o.dev, cidr: cidr(o.c) });
        break;
      case 'deladdr':
        delAddress(ns, cidr(o.c).addr.family === 4 ? (ns.addrs.find((a) => a.cidr.addr.family === 4)?.dev ?? 'lo') : 'lo', cidr(o.c));
        break;
      case 'veth':
        addVeth(w, { ns: name, name: 'eth0', peer: `h-${name}`, peerNs: 'host' });
        setLinkUp(w, 'host', `h-${name}`);
        break;
      case 'dummy':
        addDummy(ns, 'd0');
        break;
      case 'up':
        setLinkUp(w, name, o.dev);
        break;
      case 'down':
        setLinkDown(w, name, o.dev);
        break;
      case 'route':
        addRoute(ns, { dst: cidr(o.c), dev: 'lo' });
        break;
      case 'delroute':
        delRoute(ns, { dst: cidr(o.c) });
        break;
      case 'rule':
        addRule(ns, { family: 4, priority: o.prio, table: 100 });
        break;
      case 'sysctl':
        setSysctl(ns, 'net.ipv6.conf.all.forwarding', o.v);
        break;
      case 'neigh':
        addNeigh(ns, { dev: 'eth0', ip: ip(o.a), mac: '0a:00:00:00:00:01' as never, state: 'PERMANENT' });
        break;
      case 'dellink':
        delLink(w, name, 'eth0');
        break;
    }
    return 'ok';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function straight(w: World, name: string): void {
  addNetns(w, name);
  setLinkUp(w, name, 'lo');
}

describe('the loopback-up namespace template (property)', () => {
  it('gives the state of ip netns add + ip link set lo up, before and after any verbs', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), fc.array(op, { maxLength: 25 }), (name, ops) => {
        const a = createWorld();
        const b = createWorld();
        for (const w of [a, b]) straight(w, 'host');
        straight(a, name === 'host' ? 'p' : name);
        addNetnsLoopbackUp(b, name === 'host' ? 'p' : name);
        const pod = name === 'host' ? 'p' : name;
        expect(b).toStrictEqual(a);
        const answers = ops.map((o) => [run(a, pod, o), run(b, pod, o)]);
        for (const [x, y] of answers) expect(y).toBe(x);
        expect(b).toStrictEqual(a);
        // Another copy, after all that, is still a fresh namespace.
        const c = createWorld();
        const d = createWorld();
        straight(c, 'other');
        addNetnsLoopbackUp(d, 'other');
        expect(d).toStrictEqual(c);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a name that exists, as ip netns add does', () => {
    const w = createWorld();
    addNetnsLoopbackUp(w, 'p');
    expect(() => addNetnsLoopbackUp(w, 'p')).toThrow('File exists');
  });
});
