/**
 * parse(print(x)) = x for generated rulesets in the kernel's canonical form (sorted elements,
 * one-element anonymous sets already folded into comparisons, host prefixes as addresses).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cidr, networkOf } from '../../../addr/cidr.js';
import type { NftChain, NftElement, NftFamily, NftRule, NftRuleset, NftSet, NftStmt, NftTable, NftValue } from './model.js';
import { parseNft } from './parse.js';
import { printNft } from './print.js';
import { sortElements } from './sort.js';

const v4: fc.Arbitrary<Cidr> = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 8, max: 32 })).map(([n, prefix]) => {
  const c: Cidr = { addr: { family: 4, value: BigInt(n) }, prefix };
  return { addr: networkOf(c), prefix };
});
const addr4: fc.Arbitrary<NftValue> = v4.map((cidr) => ({ kind: 'addr', cidr }));
const host4: fc.Arbitrary<NftValue> = fc.integer({ min: 0, max: 0xffffffff }).map((n) => ({ kind: 'addr', cidr: { addr: { family: 4, value: BigInt(n) }, prefix: 32 } }));
const port: fc.Arbitrary<NftValue> = fc.integer({ min: 1, max: 65535 }).map((n) => ({ kind: 'num', n }));
const proto: fc.Arbitrary<NftValue> = fc.constantFrom<NftValue>({ kind: 'sym', text: 'tcp' }, { kind: 'sym', text: 'udp' }, { kind: 'sym', text: 'sctp' }, { kind: 'num', n: 99 });
const name = fc.stringMatching(/^[a-z][a-z0-9/_.-]{0,12}$/).map((s) => `n-${s}`);
const comment = fc.stringMatching(/^[a-zA-Z0-9 /:.-]{1,20}$/);

const serviceMapElems = (chains: readonly string[]): fc.Arbitrary<NftElement[]> =>
  fc.array(fc.record({ a: host4, p: proto, port, c: fc.constantFrom(...chains), cm: fc.option(comment, { nil: undefined }) }), { maxLength: 6 }).map((xs) =>
    (xs.map((x) => ({ key: [x.a, x.p, x.port], data: { kind: 'goto', chain: x.c }, ...(x.cm !== undefined ? { comment: x.cm } : {}) }))),
  );

function stmts(chains: readonly string[], sets: { addr: string; map: string }): fc.Arbitrary<NftStmt[]> {
  const jump = fc.record({ kind: fc.constantFrom('jump' as const, 'goto' as const), chain: fc.constantFrom(...chains) });
  const one: fc.Arbitrary<NftStmt> = fc.oneof(
    fc.record({ d: fc.constantFrom('saddr', 'daddr'), op: fc.constantFrom('==' as const, '!=' as const), v: addr4 }).map(({ d, op, v }): NftStmt => ({ kind: 'match', left: { kind: 'payload', proto: 'ip', field: d }, op, right: v })),
    proto.map((v): NftStmt => ({ kind: 'match', left: { kind: 'meta', key: 'l4proto' }, op: '==', right: v })),
    port.map((v): NftStmt => ({ kind: 'match', left: { kind: 'payload', proto: 'th', field: 'dport' }, op: '!=', right: v })),
    fc.subarray(['new', 'established', 'related', 'invalid'], { minLength: 1 }).map((names): NftStmt => ({ kind: 'match', left: { kind: 'ct', key: 'state' }, op: '==', right: { kind: 'flags', names } })),
    fc.integer({ min: 0, max: 0xffff }).map((n): NftStmt => ({ kind: 'match', left: { kind: 'binop', op: '&', left: { kind: 'meta', key: 'mark' }, right: { kind: 'num', n } }, op: '==', right: { kind: 'num', n: 0 } })),
    fc.constant<NftStmt>({ kind: 'match', left: { kind: 'fib', flags: ['saddr'], result: 'type' }, op: '==', right: { kind: 'sym', text: 'local' } }),
    fc.boolean().map((neg): NftStmt => ({ kind: 'lookup', left: { kind: 'payload', proto: 'ip', field: 'daddr' }, neg, set: { kind: 'named', name: sets.addr } })),
    fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 2, maxLength: 5 }).map((ps): NftStmt => ({ kind: 'lookup',
      left: { kind: 'payload', proto: 'tcp', field: 'dport' },
      neg: false,
      set: { kind: 'anon', elements: sortElements(ps.map((n) => ({ key: [{ kind: 'num', n }] })), ['inet_service'], false) },
    })),
    fc.constant<NftStmt>({ kind: 'vmap', key: { kind: 'concat', parts: [{ kind: 'payload', proto: 'ip', field: 'daddr' }, { kind: 'meta', key: 'l4proto' }, { kind: 'payload', proto: 'th', field: 'dport' }] }, map: { kind: 'named', name: sets.map } }),
    fc.array(fc.constantFrom(...chains), { minLength: 1, maxLength: 4 }).map((cs): NftStmt => ({ kind: 'vmap', key: { kind: 'numgen', mode: 'random', mod: cs.length }, map: { kind: 'anon', elements: cs.map((c, i) => ({ key: [{ kind: 'num', n: i }], data: { kind: 'goto', chain: c } })) } })),
    fc.constant<NftStmt>({ kind: 'counter' }),
    fc.integer({ min: 1, max: 0xffff }).map((n): NftStmt => ({ kind: 'set-meta', target: { kind: 'meta', key: 'mark' }, value: { kind: 'binop', op: '|', left: { kind: 'meta', key: 'mark' }, right: { kind: 'num', n } } })),
    fc.record({ a: host4, p: fc.option(port, { nil: undefined }) }).map(({ a, p }): NftStmt => ({ kind: 'nat', type: 'dnat', addr: a, ...(p !== undefined ? { port: p } : {}), flags: [] })),
    fc.subarray(['random', 'fully-random', 'persistent']).map((flags): NftStmt => ({ kind: 'masquerade', flags })),
    fc.constantFrom<NftStmt>({ kind: 'reject' }, { kind: 'reject', with: 'icmp host-prohibited' }, { kind: 'notrack' }, { kind: 'log', prefix: 'x: ' }),
    fc.constant<NftStmt>({ kind: 'set-update', op: 'update', set: sets.addr, key: { kind: 'payload', proto: 'ip', field: 'saddr' } }),
  );
  const verdict: fc.Arbitrary<NftStmt> = fc.oneof(fc.constantFrom('accept' as const, 'drop' as const, 'return' as const, 'continue' as const).map((kind) => ({ kind })), jump).map((verdict) => ({ kind: 'verdict', verdict }));
  return fc.tuple(fc.array(one, { maxLength: 4 }), fc.option(verdict, { nil: undefined })).map(([a, v]) => (v === undefined ? a : [...a, v])).filter((a) => a.length > 0);
}

const table: fc.Arbitrary<NftTable> = fc
  .record({ family: fc.constantFrom<NftFamily>('ip', 'inet'), name, comment: fc.option(comment, { nil: undefined }), chainNames: fc.uniqueArray(name, { minLength: 1, maxLength: 5 }) })
  .chain(({ family, name: tname, comment: tc, chainNames }) => {
    const sets = { addr: 'addrs', map: 'svc' };
    const chain = (cname: string): fc.Arbitrary<NftChain> =>
      fc
        .record({
          base: fc.option(fc.record({ type: fc.constantFrom('filter' as const, 'nat' as const), hook: fc.constantFrom('prerouting' as const, 'input' as const, 'output' as const, 'postrouting' as const), priority: fc.integer({ min: -400, max: 400 }), policy: fc.constantFrom('accept' as const, 'drop' as const) }), { nil: undefined }),
          rules: fc.array(fc.record({ stmts: stmts(chainNames, sets), comment: fc.option(comment, { nil: undefined }) }), { maxLength: 4 }),
          comment: fc.option(comment, { nil: undefined }),
        })
        .map(({ base, rules, comment: cc }) => ({ name: cname, ...(base !== undefined ? { base } : {}), ...(cc !== undefined ? { comment: cc } : {}), rules: rules.map((r): NftRule => (r.comment !== undefined ? { stmts: r.stmts, comment: r.comment } : { stmts: r.stmts })) }));
    const addrSet: fc.Arbitrary<NftSet> = fc.record({ hosts: fc.array(host4, { maxLength: 7 }), timeout: fc.option(fc.integer({ min: 1, max: 200000 }), { nil: undefined }) }).map(({ hosts, timeout }) => ({
      name: sets.addr,
      keyType: ['ipv4_addr'],
      flags: timeout !== undefined ? ['dynamic', 'timeout'] : [],
      ...(timeout !== undefined ? { size: 65535, timeout } : {}),
      elements: sortElements(hosts.map((h) => ({ key: [h] })), ['ipv4_addr'], false),
    }));
    const mapSet: fc.Arbitrary<NftSet> = fc.record({ es: serviceMapElems(chainNames), c: fc.option(comment, { nil: undefined }) }).map(({ es, c }) => ({
      name: sets.map,
      keyType: ['ipv4_addr', 'inet_proto', 'inet_service'],
      dataType: 'verdict',
      flags: [],
      ...(c !== undefined ? { comment: c } : {}),
      elements: sortElements(es, ['ipv4_addr', 'inet_proto', 'inet_service'], false),
    }));
    return fc.tuple(addrSet, mapSet, fc.tuple(...chainNames.map(chain))).map(([a, m, chains]) => ({ family, name: tname, ...(tc !== undefined ? { comment: tc } : {}), sets: [a, m], chains }));
  });

const ruleset: fc.Arbitrary<NftRuleset> = fc.uniqueArray(table, { maxLength: 3, selector: (t) => `${t.family} ${t.name}` }).map((tables) => ({ tables }));

describe('nft parse ∘ print', () => {
  it('parse(print(x)) = x', () => {
    fc.assert(
      fc.property(ruleset, (rs) => {
        const text = printNft(rs);
        const back = parseNft(text, { file: 'gen.nft' });
        expect(back.diagnostics).toEqual([]);
        expect(back.value).toEqual(rs);
        expect(printNft(back.value)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
