import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip } from '../../../addr/index.js';
import { printIpsetSave } from '../../../kernel/netfilter/ipset/index.js';
import { createNetfilter } from '../../../kernel/netfilter/index.js';
import { iptablesRestore } from '../../../kernel/netfilter/restore.js';
import { printRuleset } from '../../../kernel/netfilter/syntax/index.js';
import { NAT_OUTGOING_ADDRESS, NAT_OUTGOING_FALSE, TWO_POOLS, V6, VXLAN } from './__fixtures__/inputs.js';
import type { FelixInput } from './input.js';
import { felixRules } from './rules.js';

const golden = (name: string) => fileURLToPath(new URL(`../../../../test/golden/felix/${name}`, import.meta.url));

/** Jumps and gotos to a chain the same table does not declare (the kube-proxy golden check). */
function missingChains(save: string): string[] {
  const out: string[] = [];
  for (const table of save.split('COMMIT\n')) {
    const declared = new Set([...table.matchAll(/^:(\S+)/gm)].map((m) => m[1]));
    for (const m of table.matchAll(/ -[jg] (cali-\S+)/g)) if (!declared.has(m[1])) out.push(m[1] ?? '');
  }
  return out;
}

/** netsim's `iptables-save` after restoring the payload into an empty namespace. */
function saved(input: FelixInput, payload: string): string {
  const nf = createNetfilter();
  const r = iptablesRestore(nf, payload, { file: 'felix', family: input.family, noflush: false });
  expect(r.diagnostics).toEqual([]);
  return printRuleset(nf.rulesets[input.family]);
}

describe('felixRules', () => {
  it.each([
    ['two-pools', TWO_POOLS],
    ['nat-outgoing-false', NAT_OUTGOING_FALSE],
    ['nat-outgoing-address', NAT_OUTGOING_ADDRESS],
    ['vxlan', VXLAN],
    ['ipv6', V6],
  ] as const)('%s: payload, iptables-save and ipset save goldens; every jump has its chain', async (name, input) => {
    const r = felixRules(input);
    await expect(r.payload).toMatchFileSnapshot(golden(`${name}.payload`));
    const text = saved(input, r.payload);
    await expect(text).toMatchFileSnapshot(golden(`${name}.iptables`));
    await expect(printIpsetSave(r.ipsets)).toMatchFileSnapshot(golden(`${name}.ipset`));
    expect(missingChains(text)).toEqual([]);
  });

  it('puts natOutgoing pools in the masq set and every pool in the all set', () => {
    const sets = new Map(felixRules(TWO_POOLS).ipsets.map((s) => [s.name, s.members]));
    expect(sets.get('cali40all-ipam-pools')).toEqual(['192.168.0.0/16', '172.30.0.0/24']);
    expect(sets.get('cali40masq-ipam-pools')).toEqual(['192.168.0.0/16']);
    expect(sets.get('cali40all-hosts-net')).toEqual(['10.0.0.11', '10.0.0.12']);
    expect(sets.has('cali40all-vxlan-net')).toBe(false);
  });

  it('names IPv6 sets cali60…, has no IPIP set or rules, and lets router ICMPv6 in from workloads', () => {
    const r = felixRules(V6);
    expect(r.ipsets.map((s) => `${s.name} ${s.type} ${s.family}`)).toEqual(['cali60all-ipam-pools hash:net 6', 'cali60masq-ipam-pools hash:net 6', 'cali60all-vxlan-net hash:net 6']);
    expect(r.payload).not.toMatch(/^-A cali-(INPUT|OUTPUT) .*-p 4 /m);
    expect(r.payload).toContain('-m icmp6 --icmpv6-type 135 --jump ACCEPT');
    expect(r.payload).toContain('--out-interface vxlan-v6.calico');
  });

  it('natOutgoing false: cali-nat-outgoing is empty; natOutgoingAddress: SNAT instead of MASQUERADE', () => {
    const none = felixRules({ ...TWO_POOLS, pools: TWO_POOLS.pools.map((p) => ({ ...p, natOutgoing: false })) });
    expect(none.payload).not.toMatch(/-A cali-nat-outgoing/);
    const snat = felixRules({ ...TWO_POOLS, natOutgoingAddress: ip('10.0.0.100') }).payload;
    expect(snat).toMatch(/-A cali-nat-outgoing .* --jump SNAT --to-source 10\.0\.0\.100 --random-fully/);
  });

  it('splits the chains from the rules in built-in chains for a --noflush load', () => {
    const r = felixRules(TWO_POOLS);
    expect(r.chainsPayload).not.toMatch(/^-A (INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) /m);
    expect(r.hooks.map((h) => `${h.table} ${h.position} ${h.chain} ${h.rules.length}`)).toEqual([
      'mangle insert PREROUTING 1', 'mangle insert POSTROUTING 1', 'raw insert PREROUTING 1', 'raw insert OUTPUT 1',
      'filter insert INPUT 1', 'filter insert FORWARD 1', 'filter insert OUTPUT 1', 'filter append FORWARD 2',
      'nat insert PREROUTING 1', 'nat insert POSTROUTING 1', 'nat insert OUTPUT 1',
    ]);
  });

  it('builds a dispatch sub-chain for interfaces sharing the next character', () => {
    const p = felixRules(TWO_POOLS).payload;
    expect(p).toMatch(/-A cali-from-wl-dispatch .*--in-interface cali1\+ --goto cali-from-wl-dispatch-1/);
    expect(p).toMatch(/-A cali-from-wl-dispatch-1 .*--in-interface cali1a2b3c4d5e6 --goto cali-fw-cali1a2b3c4d5e6/);
    expect(p).toMatch(/-A cali-to-wl-dispatch .*--out-interface calib7c8d9e0f12 --goto cali-tw-calib7c8d9e0f12/);
  });

  // Ids read off a real 3.2x node (before 3.30 allocated the drop bit 0x40000, which moved the
  // scratch bits and made allCalicoMarkBits 0x1b0000): a chain's ids agree up to its first rule
  // that clears the mark bits, and the chained hash makes every later id differ from there.
  it("reproduces a real 3.2x node's filter table ids up to the first mark-clearing rule (IPIP, no workloads yet)", () => {
    const payload = felixRules({ ...TWO_POOLS, localWorkloads: [] }).payload.split('*filter')[1]?.split('COMMIT')[0] ?? '';
    const ids = (chain: string) => [...payload.matchAll(new RegExp(`^-A ${chain} -m comment --comment "cali:([^"]+)"`, 'gm'))].map((m) => m[1]);
    expect(ids('cali-INPUT').slice(0, 4)).toEqual(['PajejrV4aFdkZojI', '_wjq-Yrma8Ly1Svo', '8TZGxLWh_Eiz66wc', '6McIeIDvPdL6PE1T']);
    expect(ids('cali-OUTPUT').slice(0, 3)).toEqual(['Mq1_rAdXXH3YkrzW', '69FkRTJDvD5Vu6Vl', 'AnEsmO6bDZbQntWW']);
    expect(ids('cali-from-wl-dispatch')).toEqual(['zTj6P0TIgYvgz-md']);
    expect(ids('cali-to-wl-dispatch')).toEqual(['7KNphB1nNHw80nIO']);
    expect(ids('cali-wl-to-host')).toEqual(['Ee9Sbo10IpVujdIY', 'nSZbcOoG1xPONxb8']);
    expect(ids('FORWARD')).toEqual(['wUHhoiAYhphO9Mso', 'S93hcgKJrXEqnTfs', 'mp77cMpurHhyjLrM']);
    // cali-FORWARD clears every bit but accept: allCalicoMarkBits &^ MarkAccept.
    expect(payload).toMatch(/-A cali-FORWARD -m comment --comment "cali:[^"]+" --jump MARK --set-mark 0\/0x1a0000/);
  });

  it("reproduces a real node's workload chain ids up to the mark clearing (cali-fw-calie50f5cd5607, IPv4); 3.30 clears accept and pass", () => {
    const payload = felixRules({ ...TWO_POOLS, localWorkloads: [{ iface: 'calie50f5cd5607', ips: [ip('192.168.10.70')], namespace: 'default' }] }).payload;
    const rules = [...payload.matchAll(/^-A cali-fw-calie50f5cd5607 -m comment --comment "cali:([^"]+)"(.*)$/gm)];
    expect(rules.slice(0, 2).map((m) => m[1])).toEqual(['Tn-ExPhP6VLBKDmp', 'uzQwrH61KgvQLDqG']);
    expect(rules.slice(2, 5).map((m) => m[2]?.trim())).toEqual([
      '--jump MARK --set-mark 0/0x30000',
      '-m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 -m multiport --destination-ports 4789 --jump DROP',
      '-m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP',
    ]);
  });
});
