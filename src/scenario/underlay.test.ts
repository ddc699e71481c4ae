import { describe, expect, it } from 'vitest';
import { formatIp } from '../addr/index.js';
import { loadScenario } from './load.js';

/** A Cluster with an underlay; `«` in the text marks where a diagnostic must point. */
const UNDERLAY = `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  underlay:
    networks:
      - {name: rack-1, cidr: 192.168.1.0/24}
      - {name: rack-2, cidr: 192.168.2.0/24, mtu: 1400}
    routers:
      - {name: tor, networks: [rack-1, rack-2]}
  nodes:
    - {name: n1, network: rack-1}
    - {name: n2, network: rack-2}
    - {name: n3, network: rack-1}
`;

function locate(text: string): { want: string; got: string[] } {
  const at = text.indexOf('«');
  const clean = text.replace('«', '');
  const before = clean.slice(0, at).split('\n');
  const want = `s.yaml:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
  const { diagnostics } = loadScenario([{ path: 's.yaml', text: clean }]);
  return { want, got: diagnostics.map((d) => `${d.code}@${d.pos?.file}:${d.pos?.line}:${d.pos?.col}`) };
}

const CASES: readonly (readonly [string, string, string])[] = [
  ['a node on an undeclared network', 'SCN_MISSING_REFERENCE', UNDERLAY.replace('{name: n2, network: rack-2}', '{name: n2, network: «rack-9}')],
  ['a router on an undeclared network', 'SCN_MISSING_REFERENCE', UNDERLAY.replace('networks: [rack-1, rack-2]', 'networks: [rack-1, «rack-3]')],
  ['a router on no network', 'SCN_BAD_VALUE', UNDERLAY.replace('networks: [rack-1, rack-2]', 'networks: «[]')],
  ['a router without networks', 'SCN_BAD_VALUE', UNDERLAY.replace('{name: tor, networks: [rack-1, rack-2]}', '{name: «tor}')],
  ['overlapping networks', 'SCN_CIDR_OVERLAP', UNDERLAY.replace('cidr: 192.168.2.0/24', 'cidr: «192.168.0.0/16')],
  ['a network overlapping the pod network', 'SCN_CIDR_OVERLAP', UNDERLAY.replace('cidr: 192.168.1.0/24', 'cidr: «10.244.1.0/24')],
  ['a node without a network', 'SCN_MISSING_FIELD', UNDERLAY.replace('{name: n3, network: rack-1}', '{name: «n3}')],
  ['an upper-case network name', 'SCN_BAD_VALUE', UNDERLAY.replace('{name: rack-1, cidr', '{name: «Rack_1, cidr')],
  ['a router name too long', 'SCN_BAD_VALUE', UNDERLAY.replace('{name: tor,', `{name: «${'r'.repeat(64)},`)],
  ['nodeNetwork beside an underlay', 'SCN_BAD_VALUE', UNDERLAY.replace('spec:\n', 'spec:\n  nodeNetwork: «10.0.0.0/24\n')],
  ['a node network without an underlay', 'SCN_BAD_VALUE', 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  nodes:\n    - {name: n1, network: «rack-1}\n'],
  ['a router named like a node', 'SCN_DUPLICATE_NAME', UNDERLAY.replace('{name: n1, network', '{name: «tor, network')],
  ['a router named like a network', 'SCN_DUPLICATE_NAME', UNDERLAY.replace('{name: tor,', '{name: «rack-1,')],
  ['two networks of one name', 'SCN_DUPLICATE_NAME', UNDERLAY.replace('{name: rack-2, cidr', '{name: «rack-1, cidr')],
  ['an MTU below 576', 'SCN_BAD_VALUE', UNDERLAY.replace('mtu: 1400', 'mtu: «500')],
  ['a node at a router\'s address', 'SCN_DUPLICATE_ADDRESS', UNDERLAY.replace('{name: n2, network: rack-2}', '{name: n2, network: rack-2, internalIP: «192.168.2.1}')],
  ['an IPv6 network in an IPv4 cluster', 'SCN_BAD_CIDR', UNDERLAY.replace('cidr: 192.168.1.0/24', 'cidr: «fd00:1::/64')],
  ['an unknown field', 'SCN_UNKNOWN_FIELD', UNDERLAY.replace('    routers:', '    «router:')],
];

describe('underlay diagnostics, at their file:line:col', () => {
  it.each(CASES)('%s: %s', (_, code, text) => {
    const { want, got } = locate(text);
    expect(got, `want ${code}@${want}`).toContain(`${code}@${want}`);
  });
});

describe('underlay nodes', () => {
  it('loads without diagnostics, each node on its network from .11, per network', () => {
    const { value, diagnostics } = loadScenario([{ path: 's.yaml', text: UNDERLAY }]);
    expect(diagnostics).toEqual([]);
    const nodes = value?.nodes.map((n) => [n.name, n.network, n.internalIPs.map(formatIp).join()]);
    expect(nodes).toEqual([['n1', 'rack-1', '192.168.1.11'], ['n2', 'rack-2', '192.168.2.11'], ['n3', 'rack-1', '192.168.1.12']]);
    expect(value?.cluster.underlay?.networks.map((n) => n.mtu)).toEqual([1500, 1400]);
  });

  it('takes the network holding a node\'s given InternalIP when it names none', () => {
    const text = UNDERLAY.replace('{name: n2, network: rack-2}', '{name: n2, internalIP: 192.168.2.40}');
    const { value, diagnostics } = loadScenario([{ path: 's.yaml', text }]);
    expect(diagnostics).toEqual([]);
    expect(value?.nodes.find((n) => n.name === 'n2')?.network).toBe('rack-2');
  });

  it('rejects a given InternalIP outside the network the node names', () => {
    const text = UNDERLAY.replace('{name: n2, network: rack-2}', '{name: n2, network: rack-2, internalIP: «192.168.1.40}');
    const { want, got } = locate(text);
    expect(got).toContain(`SCN_ADDRESS_OUT_OF_RANGE@${want}`);
  });
});
