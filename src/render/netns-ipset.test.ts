import { describe, expect, it } from 'vitest';
import { worldWith } from '../../test/helpers/kernel.js';
import { defineSet } from '../kernel/netfilter/index.js';
import { getNetns } from '../kernel/world.js';
import { allSections, renderSection, renderSections } from './netns-state.js';

describe('netsim show NS ipset', () => {
  it('prints `ipset save` of the namespace, sets in creation order', () => {
    const w = worldWith('node');
    const ns = getNetns(w, 'node');
    defineSet(ns.netfilter, { name: 'cali40masq-ipam-pools', type: 'hash:net', family: 4, options: ['hashsize', '1024', 'maxelem', '1048576'], members: ['192.168.0.0/16'] });
    defineSet(ns.netfilter, { name: 'cali40all-hosts-net', type: 'hash:net', family: 4, options: ['hashsize', '1024', 'maxelem', '1048576'], members: ['10.0.0.11', '10.0.0.12'] });
    expect(renderSection(w, ns, 'ipset')).toBe(
      [
        'create cali40masq-ipam-pools hash:net family inet hashsize 1024 maxelem 1048576',
        'add cali40masq-ipam-pools 192.168.0.0/16',
        'create cali40all-hosts-net hash:net family inet hashsize 1024 maxelem 1048576',
        'add cali40all-hosts-net 10.0.0.11',
        'add cali40all-hosts-net 10.0.0.12',
        '',
      ].join('\n'),
    );
    expect(allSections(ns)).toContain('ipset');
    expect(renderSections(w, ns, allSections(ns))).toContain('# ipset save\ncreate cali40masq-ipam-pools');
  });

  it('`all` leaves the section out where there are no sets', () => {
    const w = worldWith('node');
    const ns = getNetns(w, 'node');
    expect(allSections(ns)).toEqual(['addr', 'route', 'rule', 'neigh', 'fdb', 'iptables', 'conntrack']);
    expect(renderSection(w, ns, 'ipset')).toBe('');
  });
});
