import { describe, expect, it } from 'vitest';
import { ip } from '../../addr/ip.js';
import { packetFor } from '../../packet/build.js';
import { simContext } from '../../sim/context.js';
import type { KernelEvent } from '../events.js';
import { FRESH_SKB, createNetfilter, loadRuleset, renderConntrack, runHook } from './index.js';
import { parseIptablesSave } from './syntax/index.js';

const packet = packetFor({ family: 4, proto: 'tcp', src: ip('10.0.0.1'), dst: ip('10.0.0.2'), sport: 40000, dport: 80 });

function run(rules: string) {
  const nf = createNetfilter();
  loadRuleset(nf, parseIptablesSave(rules, { file: 't' }).value);
  const events: KernelEvent[] = [];
  const env = { ns: 't', inDev: 'eth0', addrType: () => 'UNICAST' as const, ctx: simContext(1), emit: (e: KernelEvent) => events.push(e) };
  runHook(nf, 'PREROUTING', packet, FRESH_SKB, env);
  return { nf, events };
}

describe('conntrack runs only where a rule needs it (nf_ct_netns_get)', () => {
  it('a namespace whose rules need no conntrack tracks nothing and skips the nat chains', () => {
    const { nf, events } = run('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j LOG\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.1/32 -j ACCEPT\nCOMMIT\n');
    expect(events.filter((e) => e.kind === 'conntrack')).toEqual([]);
    expect(events.filter((e) => e.kind === 'nf-rule' && e.table === 'nat')).toEqual([]);
    expect(renderConntrack(nf)).toBe('');
  });

  it.each([
    ['-m conntrack', '*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m conntrack --ctstate INVALID -j DROP\nCOMMIT\n'],
    ['-m state', '*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m state --state INVALID -j DROP\nCOMMIT\n'],
    ['DNAT', '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 192.0.2.1/32 -j DNAT --to-destination 10.0.0.9\nCOMMIT\n'],
    ['MASQUERADE', '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n'],
  ])('%s turns conntrack on', (_what, rules) => {
    const { events } = run(rules);
    expect(events.some((e) => e.kind === 'conntrack' && e.action === 'new')).toBe(true);
  });
});
