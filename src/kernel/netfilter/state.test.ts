/** The iptables verbs: -A, -I, -N, -P, -F, -X and restore, on plain-data state. */
import { describe, expect, it } from 'vitest';
import { r, ruleset } from '../../../test/helpers/nf.js';
import { appendRule, createNetfilter, deleteChain, flushChain, getRuleset, insertRule, loadRuleset, newChain, setPolicy } from './index.js';
import { printRuleset } from './syntax/index.js';

const save = (nf: ReturnType<typeof createNetfilter>, family: 4 | 6 = 4) => printRuleset(getRuleset(nf, family));

describe('verbs', () => {
  it('a fresh namespace has no tables; -A creates the table with its built-in chains', () => {
    const nf = createNetfilter();
    expect(getRuleset(nf, 4).tables).toEqual([]);
    appendRule(nf, 4, 'nat', 'POSTROUTING', r('-o eth0 -j MASQUERADE'));
    expect(getRuleset(nf, 4).tables.map((t) => [t.name, t.chains.map((c) => c.name)])).toEqual([['nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']]]);
    expect(getRuleset(nf, 6).tables).toEqual([]);
  });

  it('-N, -A, -I at a position, -P, in iptables-save order (mangle, security, raw, filter, nat)', () => {
    const nf = createNetfilter();
    newChain(nf, 4, 'filter', 'KUBE-FORWARD');
    appendRule(nf, 4, 'filter', 'KUBE-FORWARD', r('-m conntrack --ctstate INVALID -j DROP'));
    appendRule(nf, 4, 'filter', 'FORWARD', r('-j KUBE-FORWARD'));
    insertRule(nf, 4, 'filter', 'FORWARD', r('-s 10.0.0.0/8 -j ACCEPT'));
    insertRule(nf, 4, 'filter', 'FORWARD', r('-d 10.0.0.0/8 -j ACCEPT'), 3);
    setPolicy(nf, 4, 'filter', 'FORWARD', 'DROP');
    appendRule(nf, 4, 'mangle', 'PREROUTING', r('-j MARK --set-xmark 0x1/0xffffffff'));
    const text = save(nf);
    expect(text.indexOf('*mangle')).toBeLessThan(text.indexOf('*filter'));
    expect(getRuleset(nf, 4).tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'FORWARD')).toMatchObject({
      policy: 'DROP',
      rules: [r('-s 10.0.0.0/8 -j ACCEPT'), r('-j KUBE-FORWARD'), r('-d 10.0.0.0/8 -j ACCEPT')],
    });
  });

  it('verbs are copy-on-write: a ruleset taken before a change does not move', () => {
    const nf = createNetfilter();
    appendRule(nf, 4, 'filter', 'INPUT', r('-j ACCEPT'));
    const before = getRuleset(nf, 4);
    const frozen = structuredClone(before);
    appendRule(nf, 4, 'filter', 'INPUT', r('-j DROP'));
    expect(before).toEqual(frozen);
    expect(getRuleset(nf, 4)).not.toEqual(frozen);
  });

  it('-F empties a chain, -X deletes an unreferenced empty user chain', () => {
    const nf = createNetfilter();
    newChain(nf, 4, 'nat', 'KUBE-SEP-X');
    appendRule(nf, 4, 'nat', 'KUBE-SEP-X', r('-p tcp -m tcp -j DNAT --to-destination 10.0.0.1:80'));
    appendRule(nf, 4, 'nat', 'PREROUTING', r('-j KUBE-SEP-X'));
    expect(() => deleteChain(nf, 4, 'nat', 'KUBE-SEP-X')).toThrow(/not an empty user chain/);
    flushChain(nf, 4, 'nat', 'KUBE-SEP-X');
    expect(() => deleteChain(nf, 4, 'nat', 'KUBE-SEP-X')).toThrow(/still referenced/);
    flushChain(nf, 4, 'nat', 'PREROUTING');
    deleteChain(nf, 4, 'nat', 'KUBE-SEP-X');
    expect(save(nf)).not.toContain('KUBE-SEP-X');
  });

  it('errors a plugin bug would cause are internal errors, as iptables refuses them', () => {
    const nf = createNetfilter();
    expect(() => appendRule(nf, 4, 'filter', 'NOPE', r('-j ACCEPT'))).toThrow(/does not exist/);
    expect(() => newChain(nf, 4, 'filter', 'INPUT')).toThrow(/already exists/);
    expect(() => setPolicy(nf, 4, 'nat', 'KUBE-X', 'DROP')).toThrow(/not a built-in chain/);
    expect(() => insertRule(nf, 4, 'filter', 'INPUT', r('-j ACCEPT'), 3)).toThrow(/too big/);
  });

  it('restore replaces the tables it names and keeps the others; nth counters of the family reset', () => {
    const nf = createNetfilter();
    loadRuleset(nf, ruleset(4, { filter: { INPUT: ['-j ACCEPT'] }, nat: { POSTROUTING: ['-j MASQUERADE'] } }));
    nf.nth.set('4 filter INPUT 1', 2);
    nf.nth.set('6 filter INPUT 1', 2);
    loadRuleset(nf, ruleset(4, { filter: { INPUT: ['-j DROP'] } }));
    expect(save(nf)).toContain('-A INPUT -j DROP');
    expect(save(nf)).toContain('-A POSTROUTING -j MASQUERADE');
    expect([...nf.nth.keys()]).toEqual(['6 filter INPUT 1']);
  });
});
