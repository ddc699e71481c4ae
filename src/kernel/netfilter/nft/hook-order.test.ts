/**
 * nft base chains and the iptables tables on one hook: priority order, newest first on ties
 * (xtables counted as registered before nft), NAT chains sharing the NAT hook with the iptables
 * nat table until one sets up a binding, and kube-proxy's affinity set filled from the packet path.
 */
import { describe, expect, it } from 'vitest';
import { ip } from '../../../addr/ip.js';
import type { KernelEvent } from '../../events.js';
import type { Packet } from '../../../packet/packet.js';
import { simContext } from '../../../sim/context.js';
import { FRESH_SKB, type HookEnv } from '../api.js';
import { runHook } from '../hook.js';
import { createNetfilter, loadRuleset, type NetfilterState } from '../state.js';
import { parseIptablesSave } from '../syntax/index.js';
import { parseNft } from './parse.js';
import { setNftRuleset } from './state.js';

const PKT: Packet = { ip: { family: 4, src: ip('10.0.0.2'), dst: ip('10.96.0.1'), ttl: 64, length: 60, dontFragment: true }, l4: { proto: 'tcp', sport: 40000, dport: 80, flags: ['SYN'] }, encap: [] };

function state(iptables: string, nft: string): NetfilterState {
  const s = createNetfilter();
  if (iptables !== '') loadRuleset(s, parseIptablesSave(iptables, { file: 'x', family: 4 }).value);
  const n = parseNft(nft, { file: 'y' });
  expect(n.diagnostics).toEqual([]);
  setNftRuleset(s.nft, n.value);
  return s;
}

function env(events: KernelEvent[], ctx = simContext(1)): HookEnv {
  return { ns: 'h', inDev: 'eth0', outDev: 'eth1', addrType: () => 'UNICAST', masqueradeAddress: () => ip('192.168.0.2'), ctx, emit: (e) => events.push(e) };
}

/** Who ran, in order: `xt:filter/FORWARD` or `nft:t/c`. */
function order(events: readonly KernelEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'nf-policy' || e.kind === 'nf-rule' ? [`xt:${e.table}/${e.chain}`] : e.kind === 'nft-hook' ? [`nft:${e.table}/${e.chain}`] : []));
}

const XT_FORWARD = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';

describe('hook priority between nft base chains and iptables tables', () => {
  it('runs chains by priority; on a tie the nft chain (registered later) runs first', () => {
    const s = state(XT_FORWARD, 'table ip t {\n chain late { type filter hook forward priority 10; }\n chain tie { type filter hook forward priority 0; }\n chain early { type filter hook forward priority -200; }\n chain tie2 { type filter hook forward priority 0; }\n}\n');
    const events: KernelEvent[] = [];
    runHook(s, 'FORWARD', PKT, FRESH_SKB, env(events));
    expect(order(events)).toEqual(['nft:t/early', 'nft:t/tie2', 'nft:t/tie', 'xt:filter/FORWARD', 'nft:t/late']);
  });

  it('a DNAT in an nft nat chain at dstnat keeps the iptables nat table from running', () => {
    const xt = '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -d 10.96.0.1/32 -p tcp -j DNAT --to-destination 10.1.1.1:80\nCOMMIT\n';
    const s = state(xt, 'table ip t {\n chain pre { type nat hook prerouting priority dstnat; ip daddr 10.96.0.1 dnat to 10.2.2.2:8080; }\n}\n');
    const events: KernelEvent[] = [];
    const r = runHook(s, 'PREROUTING', PKT, FRESH_SKB, env(events));
    expect(order(events)).toEqual(['nft:t/pre']);
    expect(r.packet.ip.dst).toEqual(ip('10.2.2.2'));
  });

  it('an nft nat chain after the iptables nat table runs only when iptables set up no binding', () => {
    const xt = '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n';
    const s = state(xt, 'table ip t {\n chain pre { type nat hook prerouting priority dstnat + 5; ip daddr 10.96.0.1 dnat to 10.2.2.2; }\n}\n');
    const events: KernelEvent[] = [];
    const r = runHook(s, 'PREROUTING', PKT, FRESH_SKB, env(events));
    expect(order(events)).toEqual(['xt:nat/PREROUTING', 'nft:t/pre']);
    expect(r.packet.ip.dst).toEqual(ip('10.2.2.2'));
  });
});

describe('dynamic sets (kube-proxy session affinity)', () => {
  it('update @set adds the source; the next connection from it takes the affinity rule', () => {
    const nft = [
      'table ip kp {',
      ' set aff { type ipv4_addr; flags dynamic,timeout; timeout 3h; }',
      ' chain ep1 { update @aff { ip saddr }; dnat to 10.1.0.1; }',
      ' chain ep2 { dnat to 10.1.0.2; }',
      ' chain pre { type nat hook prerouting priority dstnat; ip saddr @aff goto ep1; numgen random mod 2 vmap { 0 : goto ep1, 1 : goto ep2 }; }',
      '}',
      '',
    ].join('\n');
    const s = state('', nft);
    const dsts: string[] = [];
    const ctx = simContext(7);
    for (let i = 0; i < 12; i++) {
      const p = { ...PKT, l4: { ...PKT.l4, sport: 40000 + i } } as Packet;
      const r = runHook(s, 'PREROUTING', p, FRESH_SKB, env([], ctx));
      dsts.push(String(r.packet.ip.dst.value & 0xffn));
    }
    const first = dsts.indexOf('1');
    expect(first, dsts.join(',')).toBeGreaterThanOrEqual(0);
    expect(dsts.slice(0, first).every((d) => d === '2')).toBe(true);
    expect(dsts.slice(first).every((d) => d === '1')).toBe(true);
  });
});
