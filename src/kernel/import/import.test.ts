import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cidr } from '../../addr/cidr.js';
import { canonicalCidr } from '../../addr/cidr.js';
import type { Ip } from '../../addr/ip.js';
import type { Mac } from '../../addr/mac.js';
import { emptyNetns } from '../netns.js';
import type { NeighEntry } from '../netns.js';
import { defaultScope, tableRoutes } from '../route/table.js';
import type { FibRule, Route, RouteType } from '../route/types.js';
import { parseJsonArray } from './json.js';
import { readNeigh } from './neigh-fdb.js';
import { importNodeDump } from './node-dump.js';
import { withoutXtablesTables } from './nft-split.js';
import { addrJson, neighJson, routeJson, ruleJson } from './print-json.js';
import { readAddrs } from './addrs.js';
import { devAddrs } from '../addr.js';
import type { IfAddr } from '../netns.js';
import { readRoutes, readRules } from './routes.js';

const ip4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((value): Ip => ({ family: 4, value }));
const ip6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((value): Ip => ({ family: 6, value }));
const cidrOf = (family: 4 | 6): fc.Arbitrary<Cidr> =>
  fc.tuple(family === 4 ? ip4 : ip6, fc.integer({ min: 0, max: family === 4 ? 32 : 128 })).map(([addr, prefix]) => canonicalCidr({ addr, prefix }));
const dev = fc.constantFrom('eth0', 'br0', 'cni0', 'vxlan.calico', 'veth1a2b');
const TYPES: readonly RouteType[] = ['unicast', 'local', 'broadcast', 'multicast', 'blackhole', 'unreachable', 'prohibit'];

/** A route the kernel could hold: gateways on unicast routes only, error routes without a device. */
const route: fc.Arbitrary<Omit<Route, 'seq'>> = fc.constantFrom<4 | 6>(4, 6).chain((family) =>
  fc
    .record({
      type: fc.constantFrom(...TYPES.filter((t) => family === 4 || t !== 'broadcast')),
      dst: cidrOf(family),
      via: fc.option(family === 4 ? ip4 : ip6, { nil: undefined }),
      dev,
      table: fc.constantFrom(254, 255, 253, 100, 1000, 52),
      proto: fc.constantFrom('boot', 'kernel', 'static', 'bird', 'dhcp', '17'),
      scope: fc.constantFrom('global', 'link', 'host'),
      metric: fc.integer({ min: 0, max: 0xffffffff }),
      src: fc.option(family === 4 ? ip4 : ip6, { nil: undefined }),
      onlink: fc.boolean(),
    })
    .map((r) => {
      const errorRoute = r.type === 'blackhole' || r.type === 'unreachable' || r.type === 'prohibit';
      const via = r.type === 'unicast' ? r.via : undefined;
      return {
        table: r.table,
        type: r.type,
        dst: r.dst,
        ...(errorRoute ? {} : { dev: r.dev }),
        ...(via !== undefined ? { via } : {}),
        scope: family === 6 ? defaultScope(r.type, via) : r.scope,
        proto: r.proto,
        metric: r.metric,
        ...(r.src !== undefined ? { src: r.src } : {}),
        onlink: r.onlink,
      } satisfies Omit<Route, 'seq'>;
    }),
);

const rule: fc.Arbitrary<FibRule> = fc.constantFrom<4 | 6>(4, 6).chain((family) =>
  fc
    .record({
      priority: fc.integer({ min: 0, max: 0xffffffff }),
      action: fc.constantFrom<FibRule['action']>('lookup', 'blackhole', 'unreachable', 'prohibit'),
      table: fc.constantFrom(254, 255, 253, 100, 7000),
      from: fc.option(cidrOf(family).filter((c) => c.prefix > 0), { nil: undefined }),
      to: fc.option(cidrOf(family).filter((c) => c.prefix > 0), { nil: undefined }),
      mark: fc.option(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.option(fc.integer({ min: 0, max: 0xfffffffe }), { nil: undefined })), { nil: undefined }),
      iif: fc.option(dev, { nil: undefined }),
      oif: fc.option(dev, { nil: undefined }),
      not: fc.boolean(),
    })
    .map((r) => ({
      priority: r.priority,
      action: r.action,
      table: r.action === 'lookup' ? r.table : 254,
      ...(r.from !== undefined ? { from: r.from } : {}),
      ...(r.to !== undefined ? { to: r.to } : {}),
      ...(r.mark !== undefined ? { fwmark: r.mark[0], ...(r.mark[1] !== undefined ? { fwmask: r.mark[1] } : {}) } : {}),
      ...(r.iif !== undefined ? { iif: r.iif } : {}),
      ...(r.oif !== undefined ? { oif: r.oif } : {}),
      ...(r.not ? { not: true } : {}),
    })),
);

const mac = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':') as Mac);
const neigh: fc.Arbitrary<Omit<NeighEntry, 'seq'>> = fc.record({
  dev,
  ip: fc.oneof(ip4, ip6),
  state: fc.constantFrom<NeighEntry['state']>('PERMANENT', 'REACHABLE', 'STALE', 'FAILED'),
  mac: fc.option(mac, { nil: undefined }),
}).map(({ mac: m, ...n }) => ({ ...n, ...(m !== undefined ? { mac: m } : {}) }));

/** `ip -j` text of entries, as iproute2 prints it: one line. */
const text = (objs: readonly Record<string, unknown>[]): string => JSON.stringify(objs);
const noSeq = <T extends { seq: number }>({ seq: _, ...rest }: T): Omit<T, 'seq'> => rest;

describe('ip -j readers: parse(print(x)) = x', () => {
  it('routes', () => {
    fc.assert(
      fc.property(route, (r) => {
        const ns = emptyNetns('n', false);
        const diags = [] as Parameters<typeof readRoutes>[2];
        readRoutes(ns, parseJsonArray(text([routeJson({ ...r, seq: 0 })]), 'route.json').entries, diags);
        expect(diags).toEqual([]);
        expect(tableRoutes(ns, r.table, r.dst.addr.family).map(noSeq)).toEqual([r]);
      }),
      { numRuns: 300 },
    );
  });

  it('rules', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 4 }), (rules) => {
        const diags = [] as Parameters<typeof readRules>[2];
        const got = readRules(4, parseJsonArray(text(rules.map(ruleJson)), 'rule.json').entries, diags);
        expect(diags).toEqual([]);
        expect(got).toEqual(rules);
      }),
      { numRuns: 300 },
    );
  });

  it('neighbours, in the order ip neigh lists them', () => {
    fc.assert(
      fc.property(fc.array(neigh, { maxLength: 5 }), (entries) => {
        const ns = emptyNetns('n', false);
        const diags = [] as Parameters<typeof readNeigh>[2];
        readNeigh(ns, parseJsonArray(text(entries.map((n) => neighJson({ ...n, seq: 0 }))), 'neigh.json').entries, diags);
        expect(diags).toEqual([]);
        expect([...ns.neigh].sort((a, b) => b.seq - a.seq).map(noSeq)).toEqual(entries);
      }),
      { numRuns: 200 },
    );
  });
});

/** One device's addresses as ip addr lists them: IPv4 primaries, then secondaries; IPv6 by scope (global, link, host). */
const addrs: fc.Arbitrary<Omit<IfAddr, 'seq'>[]> = fc
  .array(
    fc.oneof(
      fc.record({ addr: ip4, prefix: fc.integer({ min: 0, max: 32 }), scope: fc.constantFrom<IfAddr['scope']>('global', 'link', 'host'), secondary: fc.boolean(), brd: fc.option(ip4, { nil: undefined }) }),
      fc.record({ addr: ip6, prefix: fc.integer({ min: 0, max: 128 }), scope: fc.constantFrom<IfAddr['scope']>('global', 'link', 'host'), secondary: fc.constant(false), nodad: fc.boolean() }),
    ),
    { maxLength: 6 },
  )
  .map((xs) =>
    xs.map((x): Omit<IfAddr, 'seq'> => ({
      dev: 'eth0',
      cidr: { addr: x.addr, prefix: x.prefix },
      scope: x.scope,
      secondary: x.secondary,
      nodad: 'nodad' in x ? x.nodad : false,
      ...('brd' in x && x.brd !== undefined ? { broadcast: x.brd } : {}),
    })),
  )
  .map((xs) => {
    const rank = { global: 0, link: 1, host: 2 } as const;
    const v4 = xs.filter((a) => a.cidr.addr.family === 4);
    const v6 = xs.filter((a) => a.cidr.addr.family === 6);
    return [...v4.filter((a) => !a.secondary), ...v4.filter((a) => a.secondary), ...v6.sort((a, b) => rank[a.scope] - rank[b.scope])];
  });

describe('ip -j addr: parse(print(x)) = x, in the order ip addr lists them', () => {
  it('addresses', () => {
    fc.assert(
      fc.property(addrs, (list) => {
        const ns = emptyNetns('n', false);
        ns.links['eth0'] = { kind: 'dummy', name: 'eth0', ifindex: 2, mtu: 1500, mac: '02:00:00:00:00:01' as Mac, up: true };
        const diags = [] as Parameters<typeof readAddrs>[2];
        readAddrs(ns, parseJsonArray(text([addrJson('eth0', 2, list.map((a) => ({ ...a, seq: 0 })))]), 'addr.json').entries, diags);
        expect(diags).toEqual([]);
        expect(devAddrs(ns, 'eth0').map(noSeq)).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseJsonArray', () => {
  it('places each entry at its line and column', () => {
    const r = parseJsonArray('[{"a":1},\n  {"b":"x,}"}, {"c":[1,{"d":2}]}]', 'f.json');
    expect(r.entries.map((e) => [e.pos.line, e.pos.col])).toEqual([[1, 2], [2, 3], [2, 16]]);
  });

  it('reports a syntax error at its line and column with HOST_DUMP_JSON', () => {
    const r = parseJsonArray('[{"a":1},\n {"b":}]', 'f.json');
    expect(r.diagnostics).toMatchObject([{ code: 'HOST_DUMP_JSON', severity: 'error', pos: { file: 'f.json', line: 2, col: 7 } }]);
    expect(r.diagnostics[0]?.message).toBe('not JSON as ip -j prints it: expected a value, found "}"');
    expect(parseJsonArray('[{"a":1}', 'f').diagnostics[0]?.pos).toEqual({ file: 'f', line: 1, col: 9 });
  });

  it('refuses what is not an array of objects', () => {
    expect(parseJsonArray('{}', 'f').diagnostics[0]?.code).toBe('HOST_DUMP_JSON');
    expect(parseJsonArray('[1]', 'f').diagnostics[0]?.message).toContain('not a JSON object');
    expect(parseJsonArray('  \n', 'f')).toEqual({ entries: [], diagnostics: [] });
  });
});

describe('withoutXtablesTables', () => {
  it("drops iptables-nft's tables, keeps the others and the line numbers", () => {
    const nft = 'table ip filter {\n\tchain INPUT {\n\t}\n}\ntable inet mine {\n\tchain c {\n\t}\n}\ntable ip6 nat {\n}\n';
    const r = withoutXtablesTables(nft, { 4: new Set(['filter']), 6: new Set() });
    expect(r.removed).toEqual(['ip filter']);
    expect(r.text.split('\n')).toHaveLength(nft.split('\n').length);
    expect(r.text).toContain('table inet mine');
    expect(r.text).toContain('table ip6 nat');
    expect(r.text).not.toContain('table ip filter');
  });
});

describe('importNodeDump', () => {
  it('never throws on what it does not model: a warning for each', () => {
    const link = JSON.stringify([
      { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, qdisc: 'noqueue', operstate: 'UNKNOWN', txqlen: 1000, link_type: 'loopback', address: '00:00:00:00:00:00', broadcast: '00:00:00:00:00:00' },
      { ifindex: 2, ifname: 'wg0', flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'], mtu: 1420, qdisc: 'noqueue', operstate: 'UNKNOWN', link_type: 'none', linkinfo: { info_kind: 'wireguard' } },
    ]);
    const route = JSON.stringify([{ type: 'anycast', dst: 'fe80::', dev: 'wg0', table: 'local', protocol: 'kernel', metric: 0, flags: [] }, { dst: '10.0.0.0/8', nexthops: [{ gateway: '1.1.1.1', dev: 'wg0' }], flags: [] }]);
    const rule = JSON.stringify([{ priority: 5, src: 'all', ipproto: 'tcp', table: 'main' }]);
    const neigh = JSON.stringify([{ dst: '10.0.0.9', dev: 'wg0', state: ['NOARP'] }]);
    const r = importNodeDump({ 'link.json': link, 'route.json': route, 'rule.json': rule, 'neigh.json': neigh, 'sysctl.txt': 'net.ipv4.tcp_mem = 1 2 3\n' });
    expect(r.diagnostics.every((d) => d.severity === 'warning' && d.code === 'HOST_DUMP_UNMODELLED')).toBe(true);
    expect(r.diagnostics).toHaveLength(6);
    expect(r.value.ns.links['wg0']?.kind).toBe('dummy');
  });

  it('without link.json or addr.json: HOST_DUMP_MISSING', () => {
    expect(importNodeDump({ 'route.json': '[]' }).diagnostics.map((d) => d.code)).toEqual(['HOST_DUMP_MISSING']);
  });

  it('a field of the wrong type: HOST_DUMP_FIELD at the entry', () => {
    const link = '[{"ifindex":1,"ifname":"lo","link_type":"loopback","flags":["UP"]},\n {"ifindex":"2","ifname":"eth0"}]';
    expect(importNodeDump({ 'link.json': link }, { dir: 'd' }).diagnostics).toMatchObject([{ code: 'HOST_DUMP_FIELD', pos: { file: 'd/link.json', line: 2, col: 2 } }]);
  });
});
