import { describe, expect, it } from 'vitest';
import { cidr, ip } from '../../addr/index.js';
import { createNetfilter, getRuleset } from '../../kernel/netfilter/index.js';
import { iptablesRestore } from '../../kernel/netfilter/restore.js';
import { printRuleset } from '../../kernel/netfilter/syntax/index.js';
import { addNetns, createWorld, getNetns, type World } from '../../kernel/world.js';
import { from, policy, port, sel } from '../../../test/helpers/netpol.js';
import type { KrPod, KubeRouterInput } from './input.js';
import { loadKubeRouter } from './load.js';
import { podFirewallChainName } from './names.js';

const pod = (name: string, node: string, addrs: string[], labels: Record<string, string> = { app: name }): KrPod => ({
  name, namespace: 'default', labels, hostNetwork: false, containers: [{ ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }], nodeName: node, ips: addrs.map((a) => ip(a)),
});
const PODS = [pod('web', 'node-1', ['10.244.0.2', 'fd00:10:244::2']), pod('client', 'node-1', ['10.244.0.3']), pod('db', 'node-2', ['10.244.1.2', 'fd00:10:244:1::2'])];
const POLICY = policy('default/web', sel({ app: 'web' }), { ingress: [from([{ podSelector: sel({ app: 'client' }) }], [port('http')])] });

function input(family: 4 | 6, version = '0'): KubeRouterInput {
  return {
    nodeName: 'node-1', family, pods: PODS, namespaces: [], policies: [POLICY],
    serviceClusterIPRanges: [cidr('10.96.0.0/12'), cidr('fd00:10:96::/108')], nodePortRange: '30000:32767', syncVersion: version,
  };
}

/** A node whose FORWARD already holds a kube-proxy jump. */
function node(): World {
  const w = createWorld();
  addNetns(w, 'node-1');
  const nf = getNetns(w, 'node-1').netfilter;
  for (const family of [4, 6] as const) {
    const r = iptablesRestore(nf, '*filter\n:KUBE-FORWARD - [0:0]\n-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD\nCOMMIT\n', { file: 't', family, noflush: true });
    expect(r.diagnostics).toEqual([]);
  }
  return w;
}

function chain(w: World, family: 4 | 6, name: string): string[] {
  const text = printRuleset(getRuleset(getNetns(w, 'node-1').netfilter, family));
  return text.split('\n').filter((l) => l.startsWith(`-A ${name} `));
}

describe('loadKubeRouter', () => {
  const w = node();
  const sync = loadKubeRouter(w, 'node-1', input(4));

  it('loads without errors', () => {
    expect(sync.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('jumps first in INPUT, FORWARD and OUTPUT; other agents\' rules stay after them', () => {
    const fwd = chain(w, 4, 'FORWARD');
    expect(fwd[0]).toMatch(/^-A FORWARD -m comment --comment "kube-router netpol - [A-Z2-7]{16}" -j KUBE-ROUTER-FORWARD$/);
    expect(fwd[1]).toContain('-j KUBE-FORWARD');
    expect(chain(w, 4, 'INPUT')[0]).toContain('-j KUBE-ROUTER-INPUT');
    expect(chain(w, 4, 'OUTPUT')[0]).toContain('-j KUBE-ROUTER-OUTPUT');
  });

  it('KUBE-ROUTER-INPUT: ClusterIP range, NodePorts TCP and UDP, pod jumps, the explicit ACCEPT last', () => {
    const input4 = chain(w, 4, 'KUBE-ROUTER-INPUT');
    expect(input4[0]).toMatch(/^-A KUBE-ROUTER-INPUT -d 10\.96\.0\.0\/12 -m comment --comment "allow traffic to primary\/secondary cluster IP range - [A-Z2-7]{16}" -j RETURN$/);
    expect(input4[1]).toMatch(/-p tcp -m comment --comment "allow LOCAL TCP traffic to node ports - \w+" -m addrtype --dst-type LOCAL -m multiport --dports 30000:32767 -j RETURN/);
    expect(input4[2]).toContain('allow LOCAL UDP traffic to node ports');
    expect(input4.at(-1)).toBe('-A KUBE-ROUTER-INPUT -m comment --comment "rule to explicitly ACCEPT traffic that comply to network policies" -m mark --mark 0x20000/0x20000 -j ACCEPT');
  });

  it('KUBE-ROUTER-FORWARD: four jumps per local pod (to, to bridged, from, from bridged), then the ACCEPT', () => {
    const fw = podFirewallChainName('default', 'web', '0');
    const rules = chain(w, 4, 'KUBE-ROUTER-FORWARD');
    expect(rules.slice(0, 4).map((r) => r.replace(/ -m comment --comment "[^"]*"/, ''))).toEqual([
      `-A KUBE-ROUTER-FORWARD -d 10.244.0.2/32 -j ${fw}`,
      `-A KUBE-ROUTER-FORWARD -d 10.244.0.2/32 -m physdev --physdev-is-bridged -j ${fw}`,
      `-A KUBE-ROUTER-FORWARD -s 10.244.0.2/32 -j ${fw}`,
      `-A KUBE-ROUTER-FORWARD -s 10.244.0.2/32 -m physdev --physdev-is-bridged -j ${fw}`,
    ]);
    expect(rules).toHaveLength(4 * 2 + 1); // web and client; db is on node-2
  });

  it('the pod chain in kernel order: COMMON, local node, default egress, the policy, NFLOG, REJECT, marks', () => {
    const fw = podFirewallChainName('default', 'web', '0');
    const rules = chain(w, 4, fw).map((r) => r.replace(`-A ${fw} `, ''));
    expect(rules.map((r) => /--comment "([^"]*)"/.exec(r)?.[1] ?? r)).toEqual([
      'common bi-directional traffic policy rules',
      // iptables-save escapes the apostrophe inside the quotes, as the real one does (checked in a namespace).
      "rule to permit the traffic traffic to pods when source is the pod\\'s local node",
      'run through default egress network policy chain',
      'run through nw policy web',
      'rule to log dropped traffic POD name:web namespace: default',
      'rule to REJECT traffic destined for POD name:web namespace: default',
      '-j MARK --set-xmark 0x0/0x10000',
      'set mark to ACCEPT traffic that comply to network policies',
    ]);
  });

  it('the named port becomes a set of the pods that name it, with the number: -p TCP --dport 8080', () => {
    const rules = getRuleset(getNetns(w, 'node-1').netfilter, 4).tables.flatMap((t) => t.chains).filter((c) => c.name.startsWith('KUBE-NWPLCY-') && c.name !== 'KUBE-NWPLCY-DEFAULT' && c.name !== 'KUBE-NWPLCY-COMMON');
    expect(rules).toHaveLength(1);
    const text = chain(w, 4, rules[0]?.name ?? '');
    expect(text).toHaveLength(2);
    expect(text[0]).toMatch(/-p tcp -m comment --comment "rule to ACCEPT traffic from source pods to dest pods selected by policy name web namespace default" -m set --match-set KUBE-SRC-\w+ src -m set --match-set KUBE-DST-\w+ dst -m tcp --dport 8080 -j MARK --set-xmark 0x10000\/0x10000/);
    expect(text[1]).toContain('-m mark --mark 0x10000/0x10000 -j RETURN');
  });

  it('a second sync replaces the chains of the first and keeps one copy of each fixed rule', () => {
    const again = loadKubeRouter(w, 'node-1', input(4, '1'));
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const names = getRuleset(getNetns(w, 'node-1').netfilter, 4).tables.flatMap((t) => t.chains.map((c) => c.name));
    expect(names).toContain(podFirewallChainName('default', 'web', '1'));
    expect(names).not.toContain(podFirewallChainName('default', 'web', '0'));
    expect(chain(w, 4, 'FORWARD').filter((r) => r.includes('kube-router netpol'))).toHaveLength(1);
    expect(chain(w, 4, 'KUBE-ROUTER-INPUT').filter((r) => r.includes('RETURN'))).toHaveLength(3);
    expect(chain(w, 4, 'KUBE-ROUTER-FORWARD').filter((r) => r.includes('explicitly ACCEPT'))).toHaveLength(1);
    expect(chain(w, 4, 'KUBE-NWPLCY-COMMON')).toHaveLength(5);
    // kube-router passes the quotes inside the argument; iptables-save shows them escaped (as the real one does).
    expect(chain(w, 4, 'KUBE-NWPLCY-COMMON')[0]).toBe('-A KUBE-NWPLCY-COMMON -m comment --comment "\\"rule to drop invalid state for pod\\"" -m conntrack --ctstate INVALID -j DROP');
  });

  it('iptables-save of the result restores to the same text (parse ∘ print)', () => {
    for (const family of [4, 6] as const) {
      const text = printRuleset(getRuleset(getNetns(w, 'node-1').netfilter, family));
      const nf = createNetfilter();
      expect(iptablesRestore(nf, text, { file: 'rt', family, noflush: false }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(printRuleset(getRuleset(nf, family))).toBe(text);
    }
  });

  it('IPv6: inet6: sets, ICMPv6 neighbour discovery in COMMON, only dual-stack pods get a chain', () => {
    const six = loadKubeRouter(w, 'node-1', input(6));
    expect(six.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(six.sets.map((s) => s.name).every((n) => n.startsWith('inet6:KUBE-'))).toBe(true);
    expect(six.sets.every((s) => s.family === 6)).toBe(true);
    expect(chain(w, 6, 'KUBE-NWPLCY-COMMON').some((r) => r.includes('--icmpv6-type 135'))).toBe(true);
    expect(chain(w, 6, 'KUBE-ROUTER-INPUT')[0]).toContain('-d fd00:10:96::/108');
    expect(chain(w, 6, 'KUBE-ROUTER-FORWARD').filter((r) => r.includes('physdev'))).toHaveLength(2); // web only: client has no IPv6
  });
});
