/**
 * One row per match family and option: the rule (iptables-save words) is put in mangle
 * PREROUTING with `-j MARK --set-xmark 0x1/0xffffffff`; the packet matched when it leaves
 * with mark 1. Conntrack has run before mangle, so ct matches see the packet's real state.
 */
import { describe, expect, it } from 'vitest';
import { type EnvOptions, forcedChooser, icmp, r, ruleset, tcp, testEnv, udp } from '../../../../../test/helpers/nf.js';
import type { Packet } from '../../../../packet/packet.js';
import type { Rule } from '../../rule.js';
import { createNetfilter, defineSet, loadRuleset, runHook } from '../../index.js';
import { FRESH_SKB } from '../../api.js';

const SYN = tcp('10.0.0.1', 40000, '10.96.0.10', 80);
const ACK = tcp('10.0.0.1', 40000, '10.96.0.10', 80, ['ACK']);
const SYNACK = tcp('10.0.0.1', 40000, '10.96.0.10', 80, ['SYN', 'ACK']);
const DNS = udp('10.0.0.1', 5353, '10.96.0.10', 53);
const PING = icmp('10.0.0.1', '10.96.0.10');
const V6 = tcp('fd00::1', 40000, 'fd00::10', 443);

function matches(rule: string, packet: Packet, env: EnvOptions = {}, mark = 0): boolean {
  const nf = createNetfilter();
  defineSet(nf, { name: 'ALLOWED', type: 'hash:ip,port', family: 4, options: [], members: ['10.96.0.10,tcp:80', '10.96.0.11,udp:53'] });
  defineSet(nf, { name: 'NETS', type: 'hash:net', family: 4, options: [], members: ['10.0.0.0/24', '10.0.0.128/25 nomatch'] });
  loadRuleset(nf, ruleset(packet.ip.family, { mangle: { PREROUTING: [`${rule} -j MARK --set-xmark 0x1/0xffffffff`] } }));
  const res = runHook(nf, 'PREROUTING', packet, { ...FRESH_SKB, mark }, testEnv(env));
  return res.skb.mark === 1;
}

type Row = readonly [rule: string, packet: Packet, want: boolean, env?: EnvOptions, mark?: number];

const rows: Record<string, readonly Row[]> = {
  'addresses and protocol': [
    ['-s 10.0.0.0/24', SYN, true],
    ['-s 10.0.1.0/24', SYN, false],
    ['! -s 10.0.1.0/24', SYN, true],
    ['-d 10.96.0.10/32', SYN, true],
    ['! -d 10.96.0.10/32', SYN, false],
    ['-d 0.0.0.0/0', SYN, true],
    ['-s fd00::/64', V6, true],
    ['-d fd00::/128', V6, false],
    ['-p tcp', SYN, true],
    ['-p udp', SYN, false],
    ['! -p udp', SYN, true],
    ['-p 6', SYN, true],
    ['-p 17', DNS, true],
    ['-p icmp', PING, true],
    ['-p all', PING, true],
    ['-f', SYN, false],
    ['! -f', SYN, true],
  ],
  interfaces: [
    ['-i eth0', SYN, true, { inDev: 'eth0' }],
    ['-i eth1', SYN, false, { inDev: 'eth0' }],
    ['-i veth+', SYN, true, { inDev: 'veth1234' }],
    ['-i veth+', SYN, false, { inDev: 'eth0' }],
    ['! -i cni0', SYN, true, { inDev: 'eth0' }],
    ['-o eth0', SYN, false, {}],
    ['! -o eth0', SYN, true, {}],
  ],
  'tcp / udp / multiport': [
    ['-p tcp -m tcp --dport 80', SYN, true],
    ['-p tcp -m tcp --dport 81', SYN, false],
    ['-p tcp -m tcp ! --dport 81', SYN, true],
    ['-p tcp -m tcp --dport 70:90', SYN, true],
    ['-p tcp -m tcp --sport 1024:65535', SYN, true],
    ['-p tcp -m tcp --sport :1023', SYN, false],
    ['-p udp -m udp --dport 53', DNS, true],
    ['-p udp -m udp --dport 53', SYN, false],
    ['-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN', SYN, true],
    ['-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN', SYNACK, false],
    ['-p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN', ACK, true],
    ['-p tcp -m tcp --syn', SYN, true],
    ['-p tcp -m tcp --syn', ACK, false],
    ['-p tcp -m multiport --dports 443,80', SYN, true],
    ['-p tcp -m multiport --dports 443,8000:8080', SYN, false],
    ['-p tcp -m multiport ! --dports 443,8000:8080', SYN, true],
    ['-p tcp -m multiport --sports 30000:50000', SYN, true],
    ['-p tcp -m multiport --ports 80', SYN, true],
  ],
  icmp: [
    ['-p icmp -m icmp --icmp-type 8', PING, true],
    ['-p icmp -m icmp --icmp-type 0', PING, false],
    ['-p icmp -m icmp --icmp-type 8/0', PING, true],
    ['-p icmp -m icmp --icmp-type any', PING, true],
    ['-p icmp -m icmp ! --icmp-type 8', PING, false],
    ['-p ipv6-icmp -m icmp6 --icmpv6-type 128', icmp('fd00::1', 'fd00::2', 128), true],
  ],
  'mark and comment, limit': [
    ['-m mark --mark 0x4000/0x4000', SYN, true, {}, 0x4001],
    ['-m mark --mark 0x4000/0x4000', SYN, false, {}, 0x2],
    ['-m mark ! --mark 0x4000/0x4000', SYN, true, {}, 0],
    ['-m mark --mark 0x5', SYN, true, {}, 5],
    ['-m comment --comment "any text here"', SYN, true],
    ['-m limit --limit 5/sec --limit-burst 10', SYN, true],
  ],
  'conntrack (first packet of a connection)': [
    ['-m conntrack --ctstate NEW', SYN, true],
    ['-m conntrack --ctstate RELATED,ESTABLISHED', SYN, false],
    ['-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT', SYN, true],
    ['-m conntrack --ctstate INVALID', SYNACK, true],
    ['-m conntrack --ctstate NEW', ACK, true], // loose pick-up of a mid-stream ACK
    ['-m state --state NEW', DNS, true],
    ['-m conntrack --ctdir ORIGINAL', SYN, true],
    ['-m conntrack --ctdir REPLY', SYN, false],
    ['-m conntrack --ctorigdst 10.96.0.10 --ctorigdstport 80', SYN, true],
    ['-m conntrack --ctproto udp', SYN, false],
    ['-m conntrack --ctstate DNAT', SYN, false],
    ['-m conntrack --ctstatus CONFIRMED', SYN, true],
    ['-m connmark --mark 0x0', SYN, true],
    ['-m connmark ! --mark 0x0', SYNACK, false], // no entry: connmark never matches
  ],
  addrtype: [
    ['-m addrtype --dst-type LOCAL', SYN, true, { local: ['10.96.0.10'] }],
    ['-m addrtype --dst-type LOCAL', SYN, false],
    ['-m addrtype ! --dst-type LOCAL', SYN, true],
    ['-m addrtype --src-type LOCAL', SYN, false, { local: ['10.96.0.10'] }],
    ['-m addrtype --dst-type UNICAST,LOCAL', SYN, true],
  ],
  physdev: [
    ['-m physdev --physdev-in veth1', SYN, true, { physInDev: 'veth1' }],
    ['-m physdev --physdev-in veth+', SYN, true, { physInDev: 'veth1' }],
    ['-m physdev --physdev-in veth2', SYN, false, { physInDev: 'veth1' }],
    ['-m physdev --physdev-is-bridged', SYN, false],
    ['-m physdev ! --physdev-is-bridged', SYN, true],
    ['-m physdev --physdev-is-in', SYN, true, { physInDev: 'veth1' }],
    ['-m physdev --physdev-is-out', SYN, false, { physInDev: 'veth1' }],
    ['-m physdev --physdev-out veth3', SYN, true, { physInDev: 'veth1', physOutDev: 'veth3' }],
  ],
  'set and iprange': [
    ['-m set --match-set ALLOWED dst,dst', SYN, true],
    ['-m set --match-set ALLOWED dst,dst', tcp('10.0.0.1', 40000, '10.96.0.10', 81), false],
    ['-m set --match-set ALLOWED dst,dst', udp('10.0.0.1', 5, '10.96.0.11', 53), true],
    ['-m set --match-set NETS src', SYN, true],
    ['-m set ! --match-set NETS src', SYN, false],
    ['-m set --match-set MISSING src', SYN, false],
    ['-m set --match-set NETS src', tcp('10.0.0.200', 1, '10.96.0.10', 80), false], // nomatch member
    ['-m set --match-set NETS src --return-nomatch', tcp('10.0.0.200', 1, '10.96.0.10', 80), true],
    ['-m set --match-set NETS src --return-nomatch', SYN, false],
    ['-m set --match-set NETS src --packets-gt 5', SYN, false], // netsim keeps no element counters
    ['-m set --match-set NETS src ! --bytes-eq 10', SYN, true],
  ],
  'statistic (chooser index 0 = match)': [
    ['-m statistic --mode random --probability 0.50000000000', SYN, true, { chooser: forcedChooser([0]) }],
    ['-m statistic --mode random --probability 0.50000000000', SYN, false, { chooser: forcedChooser([1]) }],
    ['-m statistic --mode random --probability 1.00000000000', SYN, true, { chooser: forcedChooser([1]) }],
    ['-m statistic --mode random --probability 0.00000000000', SYN, false, { chooser: forcedChooser([0]) }],
    ['-m statistic --mode random ! --probability 0.25000000000', SYN, false, { chooser: forcedChooser([0]) }],
  ],
};

describe('matches', () => {
  for (const [family, table] of Object.entries(rows)) {
    describe(family, () => {
      for (const [rule, packet, want, env, mark] of table) {
        it(`${rule} → ${want}`, () => {
          expect(matches(rule, packet, env, mark), `rule ${rule}: want ${want}`).toBe(want);
        });
      }
    });
  }
});

describe('iprange (engine only: the parser does not accept it yet)', () => {
  const ipr = (name: string, arg: string, neg: boolean): Rule => ({
    matches: [{ module: 'iprange', opts: [{ name, args: [arg], neg }] }],
    target: { kind: 'extension', name: 'MARK', opts: [{ name: '--set-xmark', args: ['0x1/0xffffffff'], neg: false }] },
  });
  it.each([
    ['--dst-range', '10.96.0.1-10.96.0.20', false, true],
    ['--src-range', '10.0.0.2-10.0.0.9', true, true],
    ['--src-range', '10.0.0.1-10.0.0.9', true, false],
  ] as const)('%s %s neg=%s → %s', (name, arg, neg, want) => {
    const nf = createNetfilter();
    loadRuleset(nf, ruleset(4, { mangle: { PREROUTING: [ipr(name, arg, neg)] } }));
    expect(runHook(nf, 'PREROUTING', SYN, FRESH_SKB, testEnv()).skb.mark === 1).toBe(want);
  });
});

describe('statistic', () => {
  it('asks the chooser with [p, 1-p] and a label naming the rule', () => {
    const chooser = forcedChooser([0]);
    matches('-m statistic --mode random --probability 0.33333333349', SYN, { chooser });
    const p = 715827883 / 2 ** 31; // what iptables stores for 0.33333333349 (and for 0.3333333333)
    expect(chooser.asked).toEqual([{ label: 'mangle/PREROUTING#1 statistic', probabilities: [p, 1 - p] }]);
  });

  // The kernel (xt_statistic + libxt_statistic's counter start (N-1)-P): packet P, counted from 0, matches first.
  it.each([
    [0, [1, 0, 0, 1, 0, 0]],
    [1, [0, 1, 0, 0, 1, 0]],
    [2, [0, 0, 1, 0, 0, 1]],
  ])('--mode nth --every 3 --packet %i matches packets %j, counter kept in state', (packet, want) => {
    const nf = createNetfilter();
    loadRuleset(nf, ruleset(4, { mangle: { PREROUTING: [`-m statistic --mode nth --every 3 --packet ${packet} -j MARK --set-xmark 0x1/0xffffffff`] } }));
    const got = [1, 2, 3, 4, 5, 6].map(() => runHook(nf, 'PREROUTING', DNS, FRESH_SKB, testEnv()).skb.mark);
    expect(got).toEqual(want);
  });
});

describe('recent', () => {
  it('--set then --rcheck --seconds within the window, --reap after it', () => {
    let now = 0;
    const nf = createNetfilter();
    loadRuleset(
      nf,
      ruleset(4, {
        mangle: {
          PREROUTING: [
            '-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-A --mask 255.255.255.255 --rsource -j MARK --set-xmark 0x1/0xffffffff',
            '-m recent --set --name KUBE-SEP-A --mask 255.255.255.255 --rsource',
          ],
        },
      }),
    );
    const env = testEnv({ now: () => now });
    const mark = () => runHook(nf, 'PREROUTING', udp('10.0.0.1', 1, '10.96.0.10', 53), FRESH_SKB, env).skb.mark;
    expect(mark()).toBe(0); // not listed yet; the second rule lists it
    now = 100;
    expect(mark()).toBe(1);
    expect(nf.recent.get('KUBE-SEP-A')?.size).toBe(1);
    now = 100 + 10801;
    // the mark rule's rcheck fails and reaps; then --set lists it again
    expect(mark()).toBe(0);
    expect(nf.recent.get('KUBE-SEP-A')?.get(`4 ${0x0a000001n}`)?.stamps).toEqual([10901]);
  });

  it('--mask groups sources, --rdest keys on the destination', () => {
    const nf = createNetfilter();
    loadRuleset(nf, ruleset(4, { mangle: { PREROUTING: ['-m recent --set --name L --mask 255.255.255.0 --rsource', '-m recent --set --name D --mask 255.255.255.255 --rdest'] } }));
    runHook(nf, 'PREROUTING', udp('10.0.0.77', 1, '10.96.0.10', 53), FRESH_SKB, testEnv());
    expect([...(nf.recent.get('L')?.values() ?? [])].map((e) => e.addr.value)).toEqual([0x0a000000n]);
    expect([...(nf.recent.get('D')?.values() ?? [])].map((e) => e.addr.value)).toEqual([0x0a60000an]);
  });
});

it('parses a rule helper the same way twice (sanity)', () => {
  expect(r('-p tcp -m tcp --dport 80 -j ACCEPT')).toEqual(r('-p tcp -m tcp --dport 80 -j ACCEPT'));
});
