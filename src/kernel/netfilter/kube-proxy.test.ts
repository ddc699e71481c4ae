/**
 * kube-proxy-shaped rules (docs: shared/reference/kube-proxy.md §5, §9) through whole hooks:
 * endpoint selection with `-m statistic` (each endpoint reachable, probabilities as iptables-save
 * prints them), KUBE-MARK-MASQ + KUBE-POSTROUTING masquerade, hairpin, ClientIP affinity with
 * `-m recent`, and REJECT for a service without endpoints — in the packet-flow-table style.
 */
import { describe, expect, it } from 'vitest';
import { eventsOf, forcedChooser, ruleset, tcp, testEnv } from '../../../test/helpers/nf.js';
import type { Packet } from '../../packet/packet.js';
import { formatIp } from '../../addr/ip.js';
import { createNetfilter, FRESH_SKB, loadRuleset, type NetfilterState, runHook } from './index.js';
import type { EnvOptions } from '../../../test/helpers/nf.js';

const SVC = 'KUBE-SVC-CDGGSHYLG3RE2FKL';
const SEP = ['KUBE-SEP-AAAAAAAAAAAAAAAA', 'KUBE-SEP-BBBBBBBBBBBBBBBB', 'KUBE-SEP-CCCCCCCCCCCCCCCC'] as const;
const EPS = ['10.180.0.5', '10.180.1.7', '10.180.2.9'] as const;

function node(affinity = false): NetfilterState {
  const nf = createNetfilter();
  const sep = (i: number) => [
    `-s ${EPS[i]}/32 -m comment --comment default/web:http -j KUBE-MARK-MASQ`,
    `-p tcp -m comment --comment default/web:http${affinity ? ` -m recent --set --name ${SEP[i]} --mask 255.255.255.255 --rsource` : ''} -m tcp -j DNAT --to-destination ${EPS[i]}:8080`,
  ];
  const pick = (i: number) => `-m comment --comment "default/web:http -> ${EPS[i]}:8080" -m recent --rcheck --seconds 10800 --reap --name ${SEP[i]} --mask 255.255.255.255 --rsource -j ${SEP[i]}`;
  loadRuleset(
    nf,
    ruleset(4, {
      nat: {
        PREROUTING: ['-m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
        OUTPUT: ['-m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
        POSTROUTING: ['-m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING'],
        'KUBE-SERVICES': [
          `-d 172.30.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${SVC}`,
          '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
        ],
        'KUBE-NODEPORTS': [],
        'KUBE-MARK-MASQ': ['-j MARK --or-mark 0x4000'],
        'KUBE-POSTROUTING': [
          '-m mark ! --mark 0x4000/0x4000 -j RETURN',
          '-j MARK --xor-mark 0x4000',
          '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
        ],
        [SVC]: [
          `-d 172.30.0.10/32 ! -s 10.0.0.0/8 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
          ...(affinity ? [pick(0), pick(1), pick(2)] : []),
          `-m comment --comment "default/web:http -> ${EPS[0]}:8080" -m statistic --mode random --probability 0.33333333349 -j ${SEP[0]}`,
          `-m comment --comment "default/web:http -> ${EPS[1]}:8080" -m statistic --mode random --probability 0.50000000000 -j ${SEP[1]}`,
          `-m comment --comment "default/web:http -> ${EPS[2]}:8080" -j ${SEP[2]}`,
        ],
        [SEP[0]]: sep(0),
        [SEP[1]]: sep(1),
        [SEP[2]]: sep(2),
      },
      filter: {
        // the CNI plugin's rule accepting pod traffic (flannel's FLANNEL-FWD, simplified)
        FORWARD: ['-m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD', '-s 10.0.0.0/8 -j ACCEPT'],
        OUTPUT: ['-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
        'KUBE-FORWARD': [
          '-m conntrack --ctstate INVALID -j DROP',
          '-m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
          '-m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        ],
        'KUBE-SERVICES': [
          '-d 172.30.0.99/32 -p tcp -m comment --comment "default/empty has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
        ],
      },
    }, { 'filter/FORWARD': 'DROP' }),
  );
  return nf;
}

const NODE: EnvOptions = { local: ['192.168.0.2', '127.0.0.1'], masq: { eth0: '192.168.0.2', cni0: '10.0.0.1' } };

/** A forwarded packet through PREROUTING, FORWARD, POSTROUTING, stopping at the first non-ACCEPT. */
function forward(nf: NetfilterState, p: Packet, o: EnvOptions) {
  const env = testEnv({ ...NODE, ...o });
  let res = runHook(nf, 'PREROUTING', p, FRESH_SKB, env);
  if (res.verdict === 'ACCEPT') res = runHook(nf, 'FORWARD', res.packet, res.skb, env);
  if (res.verdict === 'ACCEPT') res = runHook(nf, 'POSTROUTING', res.packet, res.skb, env);
  return { res, env };
}

const show = (p: Packet) => (p.l4.proto === 'tcp' ? `${formatIp(p.ip.src)}:${p.l4.sport} > ${formatIp(p.ip.dst)}:${p.l4.dport}` : '');

describe('endpoint selection', () => {
  it.each([
    [[0], '10.180.0.5'],
    [[1, 0], '10.180.1.7'],
    [[1, 1], '10.180.2.9'],
  ])('choices %j reach %s', (choices, ep) => {
    const chooser = forcedChooser(choices);
    const { res } = forward(node(), tcp('10.0.1.5', 40000, '172.30.0.10', 80), { inDev: 'cni0', outDev: 'eth0', chooser });
    expect(show(res.packet)).toBe(`10.0.1.5:40000 > ${ep}:8080`);
    expect(chooser.asked.map((a) => a.probabilities[0])).toEqual([715827883 / 2 ** 31, 0.5].slice(0, choices.length));
  });

  it('the probabilities along each path give each endpoint a third', () => {
    const p = [0.33333333349, (1 - 0.33333333349) * 0.5, (1 - 0.33333333349) * 0.5];
    for (const x of p) expect(x).toBeCloseTo(1 / 3, 9);
  });

  it('the trace shows KUBE-SERVICES → KUBE-SVC → KUBE-SEP → DNAT', () => {
    const { env } = forward(node(), tcp('10.0.1.5', 40000, '172.30.0.10', 80), { inDev: 'cni0', outDev: 'eth0', chooser: forcedChooser([1, 0]) });
    const nat = eventsOf(env.events, 'nf-rule').filter((e) => e.table === 'nat' && e.hook === 'PREROUTING');
    expect(nat.map((e) => `${e.chain}#${e.position} ${e.verdict}`)).toEqual([
      'PREROUTING#1 JUMP:KUBE-SERVICES',
      `KUBE-SERVICES#1 JUMP:${SVC}`,
      `${SVC}#3 JUMP:${SEP[1]}`,
      `${SEP[1]}#2 DNAT`,
    ]);
    expect(nat[3]?.rule).toBe(`-A ${SEP[1]} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.180.1.7:8080`);
  });
});

describe('masquerade', () => {
  it.each([
    // [source, inDev, masqueraded?]
    ['10.0.1.5', 'cni0', false], // pod → ClusterIP: no masquerade
    ['192.168.0.50', 'eth0', true], // off-cluster source: ! -s 10.0.0.0/8 → KUBE-MARK-MASQ
    ['10.180.0.5', 'cni0', true], // hairpin: the endpoint reaching itself
  ])('%s via %s masqueraded=%s', (src, inDev, masq) => {
    const { res, env } = forward(node(), tcp(src, 40000, '172.30.0.10', 80), { inDev, outDev: 'eth0', chooser: forcedChooser([0]) });
    expect(res.verdict).toBe('ACCEPT');
    expect(formatIp(res.packet.ip.src)).toBe(masq ? '192.168.0.2' : src);
    expect(res.skb.mark & 0x4000).toBe(0); // KUBE-POSTROUTING clears the bit
    expect(eventsOf(env.events, 'nf-rule').some((e) => e.verdict === 'MASQUERADE')).toBe(masq);
  });

  it('the reply to a masqueraded connection is un-SNATed and un-DNATed', () => {
    const nf = node();
    const out = forward(nf, tcp('192.168.0.50', 40000, '172.30.0.10', 80), { inDev: 'eth0', outDev: 'eth0', chooser: forcedChooser([0]) });
    // --random-fully remapped the source port (to the lowest free one: netsim is deterministic)
    expect(show(out.res.packet)).toBe('192.168.0.2:1024 > 10.180.0.5:8080');
    const { res } = forward(nf, tcp('10.180.0.5', 8080, '192.168.0.2', 1024, ['SYN', 'ACK']), { inDev: 'eth0', outDev: 'eth0' });
    expect(show(res.packet)).toBe('172.30.0.10:80 > 192.168.0.50:40000');
    expect(res.verdict).toBe('ACCEPT'); // KUBE-FORWARD: ESTABLISHED
  });
});

describe('filter', () => {
  it('a ClusterIP without endpoints is rejected in filter OUTPUT for local clients', () => {
    const nf = node();
    const env = testEnv(NODE);
    const res = runHook(nf, 'OUTPUT', tcp('192.168.0.2', 40000, '172.30.0.99', 80), FRESH_SKB, env);
    expect(res).toMatchObject({ verdict: 'REJECT', rejectWith: 'icmp-port-unreachable', decidedBy: 'filter/KUBE-SERVICES#1' });
  });

  it('FORWARD policy DROP applies to unmarked new connections that were not DNATed', () => {
    const { res } = forward(node(), tcp('192.168.0.50', 40000, '10.180.0.5', 8080), { inDev: 'eth0', outDev: 'cni0' });
    expect(res).toMatchObject({ verdict: 'DROP', decidedBy: 'filter/FORWARD:policy' });
  });
});

describe('ClientIP affinity', () => {
  it('the second connection from the same client goes to the recorded endpoint without asking the chooser', () => {
    let now = 0;
    const nf = node(true);
    const first = forward(nf, tcp('10.0.1.5', 40000, '172.30.0.10', 80), { inDev: 'cni0', outDev: 'eth0', chooser: forcedChooser([1, 1]), now: () => now });
    expect(show(first.res.packet)).toBe('10.0.1.5:40000 > 10.180.2.9:8080');
    now = 60;
    const chooser = forcedChooser([0]);
    const second = forward(nf, tcp('10.0.1.5', 40001, '172.30.0.10', 80), { inDev: 'cni0', outDev: 'eth0', chooser, now: () => now });
    expect(show(second.res.packet)).toBe('10.0.1.5:40001 > 10.180.2.9:8080');
    expect(chooser.asked).toEqual([]);
    now = 60 + 10801;
    const third = forward(nf, tcp('10.0.1.5', 40002, '172.30.0.10', 80), { inDev: 'cni0', outDev: 'eth0', chooser: forcedChooser([0]), now: () => now });
    expect(show(third.res.packet)).toBe('10.0.1.5:40002 > 10.180.0.5:8080');
  });
});
