/**
 * Felix beside kube-proxy on one node: whichever starts first, Felix's jumps end up at the top of
 * the built-in chains (Felix re-inserts them when another agent went above), its FORWARD rules at
 * the end, and kube-proxy's syncs (restore --noflush) leave Felix's chains alone.
 */
import { describe, expect, it } from 'vitest';
import { worldWith } from '../../../test/helpers/kernel.js';
import { cidr } from '../../addr/cidr.js';
import { ip } from '../../addr/ip.js';
import { type FelixInput, loadFelix } from '../../cni/calico/felix/index.js';
import { getRuleset } from '../../kernel/netfilter/index.js';
import { iptablesRestore } from '../../kernel/netfilter/restore.js';
import { printRuleset } from '../../kernel/netfilter/syntax/index.js';
import { getNetns } from '../../kernel/world.js';
import { ensureKubeProxyJumps } from './proxy.js';

const INPUT: FelixInput = {
  nodeName: 'node',
  family: 4,
  hostIPs: [ip('10.0.0.11')],
  vxlanHostIPs: [],
  pools: [{ cidr: cidr('192.168.0.0/16'), natOutgoing: true, disabled: false, ipipMode: 'Always', vxlanMode: 'Never' }],
  localWorkloads: [
    { iface: 'cali1a2b3c4d5e6', ips: [ip('192.168.10.65')], namespace: 'default' },
    { iface: 'calib7c8d9e0f12', ips: [ip('192.168.10.66')], namespace: 'default' },
  ],
  ipipEnabled: true,
  vxlanEnabled: false,
};

function targets(save: string, chain: string): string[] {
  return save.split('\n').filter((l) => l.startsWith(`-A ${chain} `)).map((l) => / -j (\S+)/.exec(l)?.[1] ?? '?');
}

describe('loadFelix with kube-proxy', () => {
  it('either order gives the same ruleset, Felix on top', () => {
    const a = worldWith('node');
    ensureKubeProxyJumps(a, 'node', 4);
    expect(loadFelix(a, 'node', INPUT)).toEqual([]);

    const b = worldWith('node');
    expect(loadFelix(b, 'node', INPUT)).toEqual([]);
    ensureKubeProxyJumps(b, 'node', 4);
    expect(loadFelix(b, 'node', INPUT)).toEqual([]);

    const save = printRuleset(getRuleset(getNetns(a, 'node').netfilter, 4));
    expect(printRuleset(getRuleset(getNetns(b, 'node').netfilter, 4))).toBe(save);
    expect(targets(save.split('*nat')[0] ?? '', 'FORWARD')).toEqual(['cali-FORWARD', 'KUBE-PROXY-FIREWALL', 'KUBE-FORWARD', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'ACCEPT', 'MARK']);
    expect(targets(save.split('*nat')[1] ?? '', 'POSTROUTING')).toEqual(['cali-POSTROUTING', 'KUBE-POSTROUTING']);
  });

  it('a kube-proxy sync keeps Felix chains; a Felix resync drops chains of gone workloads', () => {
    const w = worldWith('node');
    const nf = getNetns(w, 'node').netfilter;
    ensureKubeProxyJumps(w, 'node', 4);
    loadFelix(w, 'node', INPUT);
    const r = iptablesRestore(nf, '*filter\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j RETURN\nCOMMIT\n', { file: 'kube-proxy', family: 4, noflush: true });
    expect(r.diagnostics).toEqual([]);
    expect(printRuleset(getRuleset(nf, 4))).toContain(':cali-fw-calib7c8d9e0f12 - [0:0]');
    expect(loadFelix(w, 'node', { ...INPUT, localWorkloads: INPUT.localWorkloads.slice(0, 1) })).toEqual([]);
    const after = printRuleset(getRuleset(nf, 4));
    expect(after).not.toContain('calib7c8d9e0f12');
    expect(after).toContain('-A KUBE-SERVICES -j RETURN');
    expect(after.match(/-A INPUT .*cali:Cz_u1IQiXIMmKD4c/g)).toHaveLength(1);
  });
});
