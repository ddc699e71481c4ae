/** Targets: marks, connmarks, NOTRACK, LOG/TRACE continue, NAT target parsing. */
import { describe, expect, it } from 'vitest';
import { eventsOf, ruleset, tcp, testEnv } from '../../../../../test/helpers/nf.js';
import { ip } from '../../../../addr/ip.js';
import { createNetfilter, FRESH_SKB, loadRuleset, runHook } from '../../index.js';
import { parseNatSpec } from './nat.js';

const PKT = tcp('10.0.0.1', 40000, '10.0.0.2', 80);

function markAfter(rule: string, mark: number): number {
  const nf = createNetfilter();
  loadRuleset(nf, ruleset(4, { mangle: { PREROUTING: [rule] } }));
  return runHook(nf, 'PREROUTING', PKT, { mark }, testEnv()).skb.mark;
}

describe('MARK', () => {
  it.each([
    ['-j MARK --set-xmark 0x4000/0xffffffff', 0x1, 0x4000],
    ['-j MARK --set-xmark 0x4000/0x4000', 0x1, 0x4001],
    ['-j MARK --set-xmark 0x0/0x4000', 0x4001, 0x1],
    ['-j MARK --set-mark 0x10/0xf0', 0xff, 0x1f],
    ['-j MARK --or-mark 0x4000', 0x1, 0x4001],
    ['-j MARK --xor-mark 0x4000', 0x4001, 0x1],
    ['-j MARK --and-mark 0xff', 0x4001, 0x1],
    ['-j MARK --set-xmark 0xffffffff/0xffffffff', 0, 0xffffffff],
  ])('%s on %i gives %i', (rule, before, after) => {
    expect(markAfter(rule, before)).toBe(after);
  });
});

describe('CONNMARK', () => {
  it('--save-mark copies the nfmark into the entry, --restore-mark copies it back on the next packet', () => {
    const nf = createNetfilter();
    loadRuleset(
      nf,
      ruleset(4, {
        mangle: {
          PREROUTING: [
            '-m connmark --mark 0x0 -j MARK --set-xmark 0x7/0xffffffff',
            '-m connmark --mark 0x0 -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff',
            '-j CONNMARK --restore-mark --nfmask 0xf --ctmask 0xf',
          ],
        },
      }),
    );
    const first = runHook(nf, 'PREROUTING', PKT, FRESH_SKB, testEnv());
    expect(first.skb.unconfirmed?.mark).toBe(7);
    runHook(nf, 'POSTROUTING', first.packet, first.skb, testEnv({ outDev: 'eth1' }));
    // a retransmitted SYN (a bare ACK before the SYN/ACK would be INVALID, as in the kernel)
    const second = runHook(nf, 'PREROUTING', PKT, { mark: 0x100 }, testEnv());
    expect(second.skb.mark).toBe(0x107);
  });

  it('--set-xmark sets the ct mark and has no effect without an entry', () => {
    const nf = createNetfilter();
    loadRuleset(nf, ruleset(4, { raw: { PREROUTING: ['-j CONNMARK --set-xmark 0x9/0xffffffff'] }, mangle: { PREROUTING: ['-j CONNMARK --set-xmark 0x3/0xffffffff'] } }));
    const res = runHook(nf, 'PREROUTING', PKT, FRESH_SKB, testEnv());
    expect(res.skb.unconfirmed?.mark).toBe(3);
  });
});

describe('observers and NOTRACK', () => {
  it('LOG and TRACE continue', () => {
    const env = testEnv();
    const nf = createNetfilter();
    loadRuleset(nf, ruleset(4, { raw: { PREROUTING: ['-j TRACE', '-j LOG --log-prefix "seen: " --log-level 4', '-j DROP'] } }));
    expect(runHook(nf, 'PREROUTING', PKT, FRESH_SKB, env).verdict).toBe('DROP');
    expect(eventsOf(env.events, 'nf-rule').map((e) => e.verdict)).toEqual(['TRACE', 'LOG', 'DROP']);
  });

  it('NOTRACK / CT --notrack leave the packet untracked: ctstate UNTRACKED, no entry, no NAT', () => {
    const env = testEnv();
    const nf = createNetfilter();
    loadRuleset(
      nf,
      ruleset(4, {
        raw: {
          PREROUTING: [
            '-p tcp -j NOTRACK',
            { matches: [], target: { kind: 'extension', name: 'CT', opts: [{ name: '--notrack', args: [], neg: false }] } },
            '-m conntrack --ctstate UNTRACKED -j MARK --set-xmark 0x2/0x2', // raw sees it at once
          ],
        },
        mangle: { PREROUTING: ['-m conntrack --ctstate UNTRACKED -j MARK --set-xmark 0x1/0x1'] },
        nat: { PREROUTING: ['-j DNAT --to-destination 10.9.9.9'] },
      }),
    );
    const res = runHook(nf, 'PREROUTING', PKT, FRESH_SKB, env);
    expect(res.skb).toEqual({ mark: 3, ct: 'untracked' });
    expect(res.packet).toEqual(PKT);
    expect(eventsOf(env.events, 'conntrack').map((e) => e.action)).toEqual(['untracked']);
    expect(eventsOf(env.events, 'nf-hook').map((e) => e.table)).toEqual(['raw', 'mangle']);
  });
});

describe('NAT target specs', () => {
  it.each([
    ['10.0.0.1', { minAddr: ip('10.0.0.1'), maxAddr: ip('10.0.0.1') }],
    ['10.0.0.1:8080', { minAddr: ip('10.0.0.1'), maxAddr: ip('10.0.0.1'), ports: { min: 8080, max: 8080 } }],
    ['10.0.0.1-10.0.0.5:1000-2000', { minAddr: ip('10.0.0.1'), maxAddr: ip('10.0.0.5'), ports: { min: 1000, max: 2000 } }],
    ['[fd00::1]:80', { minAddr: ip('fd00::1'), maxAddr: ip('fd00::1'), ports: { min: 80, max: 80 } }],
    ['fd00::1', { minAddr: ip('fd00::1'), maxAddr: ip('fd00::1') }],
    ['[fd00::1]-[fd00::3]:80-81', { minAddr: ip('fd00::1'), maxAddr: ip('fd00::3'), ports: { min: 80, max: 81 } }],
  ])('%s', (text, want) => {
    expect(parseNatSpec(text, 'test')).toEqual(want);
  });
});
