/**
 * Conntrack and NAT through whole hooks. The router case replays an experiment done on
 * Linux 6.18 in namespaces (client 10.9.0.1 → router DNAT 10.99.0.100:80 → 10.9.1.1:8080,
 * MASQUERADE out of nsA2-r1 with 10.9.1.2); the expected `conntrack -L` lines are what the
 * kernel printed there.
 */
import { describe, expect, it } from 'vitest';
import { eventsOf, icmp, ruleset, tcp, testEnv, udp } from '../../../../test/helpers/nf.js';
import type { Packet, TcpFlag } from '../../../packet/packet.js';
import { createNetfilter, deleteConntrack, FRESH_SKB, type HookEnv, loadRuleset, type NetfilterState, type NfSkb, renderConntrack, runHook } from '../index.js';
import { ip } from '../../../addr/ip.js';

function router(): NetfilterState {
  const nf = createNetfilter();
  loadRuleset(
    nf,
    ruleset(4, {
      nat: {
        PREROUTING: [
          '-d 10.99.0.100/32 -p udp -m udp --dport 80 -j DNAT --to-destination 10.9.1.1:8080',
          '-d 10.99.0.100/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.9.1.1:8080',
          '-d 10.99.0.100/32 -p icmp -j DNAT --to-destination 10.9.1.1',
        ],
        POSTROUTING: ['-o nsA2-r1 -j MASQUERADE'],
      },
    }),
  );
  return nf;
}

const IN = testEnv({ inDev: 'nsA2-r0', outDev: 'nsA2-r1', masq: { 'nsA2-r1': '10.9.1.2' } });
const BACK = testEnv({ inDev: 'nsA2-r1', outDev: 'nsA2-r0', masq: { 'nsA2-r0': '10.9.0.2' } });

/** PREROUTING, FORWARD, POSTROUTING of a forwarded packet. */
function forward(nf: NetfilterState, p: Packet, env: HookEnv, skb: NfSkb = FRESH_SKB) {
  const pre = runHook(nf, 'PREROUTING', p, skb, env);
  if (pre.verdict !== 'ACCEPT') return pre;
  const fwd = runHook(nf, 'FORWARD', pre.packet, pre.skb, env);
  if (fwd.verdict !== 'ACCEPT') return fwd;
  return runHook(nf, 'POSTROUTING', fwd.packet, fwd.skb, env);
}

describe('conntrack -L lines match the kernel', () => {
  it('UDP DNAT + MASQUERADE, unreplied', () => {
    const nf = router();
    const out = forward(nf, udp('10.9.0.1', 5555, '10.99.0.100', 80), IN);
    expect(out.packet.ip.src).toEqual(udp('10.9.1.2', 1, '1.1.1.1', 1).ip.src);
    expect(renderConntrack(nf)).toBe('udp      17 29 src=10.9.0.1 dst=10.99.0.100 sport=5555 dport=80 [UNREPLIED] src=10.9.1.1 dst=10.9.1.2 sport=8080 dport=5555 mark=0 use=1\n');
  });

  it('TCP handshake: ESTABLISHED and ASSURED', () => {
    const nf = router();
    forward(nf, tcp('10.9.0.1', 40812, '10.99.0.100', 80), IN);
    expect(renderConntrack(nf)).toContain('tcp      6 119 SYN_SENT src=10.9.0.1 dst=10.99.0.100 sport=40812 dport=80 [UNREPLIED] src=10.9.1.1');
    forward(nf, tcp('10.9.1.1', 8080, '10.9.1.2', 40812, ['SYN', 'ACK']), BACK);
    expect(renderConntrack(nf)).toContain('tcp      6 59 SYN_RECV ');
    forward(nf, tcp('10.9.0.1', 40812, '10.99.0.100', 80, ['ACK']), IN);
    expect(renderConntrack(nf)).toBe(
      'tcp      6 431999 ESTABLISHED src=10.9.0.1 dst=10.99.0.100 sport=40812 dport=80 src=10.9.1.1 dst=10.9.1.2 sport=8080 dport=40812 [ASSURED] mark=0 use=1\n',
    );
  });

  it('ICMP echo and reply', () => {
    const nf = router();
    const out = forward(nf, icmp('10.9.0.1', '10.99.0.100', 8, 4321), IN);
    expect(out.packet.l4).toMatchObject({ type: 8, id: 4321 });
    const back = forward(nf, icmp('10.9.1.1', '10.9.1.2', 0, 4321), BACK);
    expect(back.packet.ip).toMatchObject(icmp('10.99.0.100', '10.9.0.1').ip);
    expect(renderConntrack(nf)).toBe(
      'icmp     1 29 src=10.9.0.1 dst=10.99.0.100 type=8 code=0 id=4321 src=10.9.1.1 dst=10.9.1.2 type=0 code=0 id=4321 mark=0 use=1\n',
    );
  });
});

describe('NAT round trip', () => {
  it('DNAT on the first packet, reply un-DNATed and un-SNATed, later packets not re-evaluated by nat', () => {
    const nf = router();
    const env1 = testEnv({ inDev: 'nsA2-r0', outDev: 'nsA2-r1', masq: { 'nsA2-r1': '10.9.1.2' } });
    const first = forward(nf, tcp('10.9.0.1', 40000, '10.99.0.100', 80), env1);
    expect(first.packet).toEqual(tcp('10.9.1.2', 40000, '10.9.1.1', 8080));
    expect(eventsOf(env1.events, 'nat').map((e) => `${e.hook} ${e.field} ${e.from}→${e.to} by ${e.by}`)).toEqual([
      'PREROUTING dst 10.99.0.100→10.9.1.1 by DNAT',
      'PREROUTING dport 80→8080 by DNAT',
      'POSTROUTING src 10.9.0.1→10.9.1.2 by MASQUERADE',
    ]);
    expect(eventsOf(env1.events, 'conntrack').map((e) => e.action)).toEqual(['new', 'confirm']);

    const env2 = testEnv({ inDev: 'nsA2-r1', outDev: 'nsA2-r0' });
    const reply = forward(nf, tcp('10.9.1.1', 8080, '10.9.1.2', 40000, ['SYN', 'ACK']), env2);
    expect(reply.packet).toEqual(tcp('10.99.0.100', 80, '10.9.0.1', 40000, ['SYN', 'ACK']));
    expect(eventsOf(env2.events, 'nat').map((e) => `${e.hook} ${e.field} by ${e.by}`)).toEqual([
      'PREROUTING dst by conntrack un-MASQUERADE',
      'POSTROUTING src by conntrack un-DNAT',
      'POSTROUTING sport by conntrack un-DNAT',
    ]);
    expect(eventsOf(env2.events, 'nf-hook').filter((e) => e.table === 'nat')).toEqual([]);

    const env3 = testEnv({ inDev: 'nsA2-r0', outDev: 'nsA2-r1', masq: { 'nsA2-r1': '10.9.1.2' } });
    const again = forward(nf, tcp('10.9.0.1', 40000, '10.99.0.100', 80, ['ACK']), env3);
    expect(again.packet).toEqual(tcp('10.9.1.2', 40000, '10.9.1.1', 8080, ['ACK']));
    expect(eventsOf(env3.events, 'nf-hook').filter((e) => e.table === 'nat')).toEqual([]);
    expect(eventsOf(env3.events, 'conntrack').map((e) => e.action)).toEqual(['established']);
  });

  it('a second datagram before any reply is still NEW but does not traverse nat (checked on Linux)', () => {
    const nf = createNetfilter();
    loadRuleset(
      nf,
      ruleset(4, {
        mangle: { PREROUTING: ['-m conntrack --ctstate NEW -j MARK --set-xmark 0x1/0x1', '-m conntrack --ctstate DNAT -j MARK --set-xmark 0x2/0x2'] },
        nat: { PREROUTING: ['-p udp', '-d 10.99.0.100/32 -p udp -m udp --dport 80 -j DNAT --to-destination 10.9.1.1:8080'] },
      }),
    );
    const envA = testEnv({ inDev: 'r0', outDev: 'r1' });
    const a = forward(nf, udp('10.9.0.1', 5555, '10.99.0.100', 80), envA);
    const envB = testEnv({ inDev: 'r0', outDev: 'r1' });
    const b = forward(nf, udp('10.9.0.1', 5555, '10.99.0.100', 80), envB);
    expect([a.skb.mark, b.skb.mark]).toEqual([1, 3]);
    expect(eventsOf(envA.events, 'nf-rule').filter((e) => e.table === 'nat').length).toBe(2);
    expect(eventsOf(envB.events, 'nf-rule').filter((e) => e.table === 'nat').length).toBe(0);
    expect(b.packet.ip.dst).toEqual(udp('1.1.1.1', 1, '10.9.1.1', 1).ip.dst);
  });

  it('records a null binding when no nat rule matched', () => {
    const nf = router();
    forward(nf, udp('10.9.0.1', 5555, '10.9.1.1', 53), testEnv({ inDev: 'nsA2-r0', outDev: 'other' }));
    const [entry] = [...nf.conntrack.entries.values()];
    expect(entry).toMatchObject({ natDst: 'null', natSrc: 'null' });
  });

  it('a packet dropped before confirm leaves no entry', () => {
    const nf = router();
    loadRuleset(nf, ruleset(4, { filter: { FORWARD: ['-j DROP'] } }));
    const out = forward(nf, udp('10.9.0.1', 5555, '10.99.0.100', 80), IN);
    expect(out.verdict).toBe('DROP');
    expect(nf.conntrack.entries.size).toBe(0);
    expect(renderConntrack(nf)).toBe('');
  });

  it('a TCP packet that cannot start a connection is INVALID and not translated', () => {
    const nf = router();
    const env = testEnv({ inDev: 'nsA2-r0', outDev: 'nsA2-r1', masq: { 'nsA2-r1': '10.9.1.2' } });
    const out = forward(nf, tcp('10.9.0.1', 40000, '10.99.0.100', 80, ['FIN', 'ACK']), env);
    expect(out.packet.ip.dst).toEqual(tcp('1.1.1.1', 1, '10.99.0.100', 1).ip.dst);
    expect(eventsOf(env.events, 'conntrack').map((e) => e.action)).toEqual(['invalid']);
  });
});

describe('TCP states (sequences replayed from Linux 6.18, liberal window mode)', () => {
  // o = client → server, r = server → client; after each packet the state `conntrack -L` showed,
  // `!` when the packet was INVALID, `-` when the entry was gone.
  const CASES: Readonly<Record<string, string>> = {
    'close, client first': 'o:S=SYN_SENT r:SA=SYN_RECV o:A=ESTABLISHED o:FA=FIN_WAIT r:A=CLOSE_WAIT r:FA=LAST_ACK o:A=TIME_WAIT',
    'close, server first': 'o:S=SYN_SENT r:SA=SYN_RECV o:A=ESTABLISHED r:FA=FIN_WAIT o:A=CLOSE_WAIT o:FA=LAST_ACK r:A=TIME_WAIT',
    'FINs cross': 'o:S=SYN_SENT r:SA=SYN_RECV o:A=ESTABLISHED o:FA=FIN_WAIT r:FA=LAST_ACK o:A=TIME_WAIT r:A=TIME_WAIT',
    'RST as the only reply removes the entry': 'o:S=SYN_SENT r:R=-',
    'SYN/ACK from the originator is INVALID': 'o:S=SYN_SENT o:SA=SYN_SENT!',
    'reply ACK in SYN_SENT is ignored': 'o:S=SYN_SENT r:A=SYN_SENT',
    'simultaneous open': 'o:S=SYN_SENT r:S=SYN_SENT2 r:SA=SYN_RECV o:SA=SYN_RECV o:A=ESTABLISHED',
    'SYN while established is ignored': 'o:S=SYN_SENT r:SA=SYN_RECV o:A=ESTABLISHED o:S=ESTABLISHED',
    'duplicate SYN/ACK is ignored': 'o:S=SYN_SENT r:SA=SYN_RECV r:SA=SYN_RECV o:A=ESTABLISHED',
  };
  const FLAGS: Readonly<Record<string, TcpFlag>> = { S: 'SYN', A: 'ACK', F: 'FIN', R: 'RST' };
  it.each(Object.entries(CASES))('%s', (_name, script) => {
    const nf = router(); // any NAT rule turns conntrack on, as in the kernel runs these came from
    const got: string[] = [];
    for (const step of script.split(' ')) {
      const [dir = '', rest = ''] = step.split(':');
      const [flagText = ''] = rest.split('=');
      const flags = [...flagText].map((ch) => FLAGS[ch] ?? 'ACK');
      const env = testEnv({ inDev: dir === 'o' ? 'r0' : 'r1', outDev: dir === 'o' ? 'r1' : 'r0' });
      const p = dir === 'o' ? tcp('10.9.0.1', 30000, '10.9.1.1', 80, flags) : tcp('10.9.1.1', 80, '10.9.0.1', 30000, flags);
      forward(nf, p, env);
      const invalid = eventsOf(env.events, 'conntrack').some((e) => e.action === 'invalid');
      const state = /^tcp +6 \d+ (\S+)/.exec(renderConntrack(nf))?.[1] ?? '-';
      got.push(`${dir}:${flagText}=${state}${invalid ? '!' : ''}`);
    }
    expect(got.join(' ')).toBe(script);
  });

  it('a picked-up connection (bare ACK) becomes ASSURED on the first packet after a reply, as on Linux', () => {
    const nf = router();
    const o = () => forward(nf, tcp('10.9.0.1', 30000, '10.9.1.1', 80, ['ACK']), testEnv({ inDev: 'r0', outDev: 'r1' }));
    o();
    forward(nf, tcp('10.9.1.1', 80, '10.9.0.1', 30000, ['ACK']), testEnv({ inDev: 'r1', outDev: 'r0' }));
    expect(renderConntrack(nf)).not.toContain('[ASSURED]');
    o();
    expect(renderConntrack(nf)).toContain('ESTABLISHED src=10.9.0.1');
    expect(renderConntrack(nf)).toContain('[ASSURED]');
  });

  it('a SYN on a TIME_WAIT entry starts a new connection (new id on Linux too), and NAT is decided again', () => {
    const nf = router();
    const steps: [Packet, HookEnv][] = [
      [tcp('10.9.0.1', 40000, '10.99.0.100', 80), IN],
      [tcp('10.9.1.1', 8080, '10.9.1.2', 40000, ['SYN', 'ACK']), BACK],
      [tcp('10.9.0.1', 40000, '10.99.0.100', 80, ['ACK']), IN],
      [tcp('10.9.0.1', 40000, '10.99.0.100', 80, ['FIN', 'ACK']), IN],
      [tcp('10.9.1.1', 8080, '10.9.1.2', 40000, ['FIN', 'ACK']), BACK],
      [tcp('10.9.0.1', 40000, '10.99.0.100', 80, ['ACK']), IN],
    ];
    for (const [p, env] of steps) forward(nf, p, env);
    expect(renderConntrack(nf)).toContain('TIME_WAIT');
    const env = testEnv({ inDev: 'nsA2-r0', outDev: 'nsA2-r1', masq: { 'nsA2-r1': '10.9.1.2' } });
    forward(nf, tcp('10.9.0.1', 40000, '10.99.0.100', 80), env);
    expect(renderConntrack(nf)).toContain('SYN_SENT');
    expect(eventsOf(env.events, 'nf-hook').some((e) => e.table === 'nat')).toBe(true);
  });
});

describe('ICMP and IPv6', () => {
  it('an echo reply or an ICMP error without a connection is INVALID', () => {
    const nf = router();
    for (const type of [0, 3, 11]) {
      const env = testEnv({ inDev: 'nsA2-r0', outDev: 'nsA2-r1' });
      forward(nf, icmp('10.9.0.1', '10.9.1.1', type, 7), env);
      expect(eventsOf(env.events, 'conntrack').map((e) => e.action)).toEqual(['invalid']);
    }
    expect(nf.conntrack.entries.size).toBe(0);
  });

  it('IPv6 DNAT to [addr]:port and the reply un-DNATed', () => {
    const nf = createNetfilter();
    loadRuleset(nf, ruleset(6, { nat: { PREROUTING: ['-d fd00:96::10/128 -p tcp -m tcp --dport 80 -j DNAT --to-destination [fd00:180::5]:8080'] } }));
    const out = forward(nf, tcp('fd00:1::5', 40000, 'fd00:96::10', 80), testEnv({ inDev: 'a', outDev: 'b' }));
    expect(out.packet).toEqual(tcp('fd00:1::5', 40000, 'fd00:180::5', 8080));
    const back = forward(nf, tcp('fd00:180::5', 8080, 'fd00:1::5', 40000, ['SYN', 'ACK']), testEnv({ inDev: 'b', outDev: 'a' }));
    expect(back.packet).toEqual(tcp('fd00:96::10', 80, 'fd00:1::5', 40000, ['SYN', 'ACK']));
    expect(renderConntrack(nf, 0, 6)).toBe(
      'tcp      6 59 SYN_RECV src=fd00:1::5 dst=fd00:96::10 sport=40000 dport=80 src=fd00:180::5 dst=fd00:1::5 sport=8080 dport=40000 mark=0 use=1\n',
    );
    expect(renderConntrack(nf, 0, 4)).toBe('');
  });
});

describe('source port choice', () => {
  it('MASQUERADE keeps the source port unless the reply tuple is taken, then takes the lowest free port', () => {
    const nf = router();
    const a = forward(nf, udp('10.9.0.1', 5555, '10.99.0.100', 80), IN);
    const b = forward(nf, udp('10.9.0.7', 5555, '10.99.0.100', 80), IN);
    expect(a.packet.l4).toMatchObject({ sport: 5555 });
    expect(b.packet.l4).toMatchObject({ sport: 1024 });
    const c = forward(nf, udp('10.9.0.8', 5555, '10.99.0.100', 80), IN);
    expect(c.packet.l4).toMatchObject({ sport: 1025 });
  });

  it('a low source port stays in its class (1-511)', () => {
    const nf = router();
    forward(nf, udp('10.9.0.1', 123, '10.99.0.100', 80), IN);
    const b = forward(nf, udp('10.9.0.7', 123, '10.99.0.100', 80), IN);
    expect(b.packet.l4).toMatchObject({ sport: 1 });
  });

  it('--random-fully always remaps (deterministically to the lowest free port)', () => {
    const nf = createNetfilter();
    loadRuleset(nf, ruleset(4, { nat: { POSTROUTING: ['-o nsA2-r1 -j MASQUERADE --random-fully'] } }));
    const a = forward(nf, udp('10.9.0.1', 5555, '10.9.1.1', 80), IN);
    expect(a.packet).toEqual(udp('10.9.1.2', 1024, '10.9.1.1', 80));
  });

  it('MASQUERADE on a device without address drops', () => {
    const nf = router();
    const out = forward(nf, udp('10.9.0.1', 5555, '10.9.1.1', 80), testEnv({ inDev: 'nsA2-r0', outDev: 'nsA2-r1' }));
    expect(out).toMatchObject({ verdict: 'DROP', decidedBy: 'nat/POSTROUTING#1' });
  });

  it('SNAT --to-source with a port range picks inside the range', () => {
    const nf = createNetfilter();
    loadRuleset(nf, ruleset(4, { nat: { POSTROUTING: ['-p udp -j SNAT --to-source 192.0.2.1:2000-2001'] } }));
    const a = forward(nf, udp('10.9.0.1', 5555, '10.9.1.1', 80), IN);
    const b = forward(nf, udp('10.9.0.2', 5555, '10.9.1.1', 80), IN);
    expect([a.packet.l4, b.packet.l4]).toMatchObject([{ sport: 2000 }, { sport: 2001 }]);
  });
});

describe('conntrack -D', () => {
  it('deletes UDP entries to a VIP DNATed to a given endpoint; the next datagram is NEW and re-balanced', () => {
    const nf = router();
    forward(nf, udp('10.9.0.1', 5555, '10.99.0.100', 80), IN);
    forward(nf, tcp('10.9.0.1', 40000, '10.99.0.100', 80), IN);
    expect(deleteConntrack(nf, { proto: 17, origDst: ip('10.99.0.100').value, dstNat: ip('10.9.1.1').value })).toBe(1);
    expect(renderConntrack(nf)).not.toContain('udp');
    const env = testEnv({ inDev: 'nsA2-r0', outDev: 'nsA2-r1', masq: { 'nsA2-r1': '10.9.1.2' } });
    forward(nf, udp('10.9.0.1', 5555, '10.99.0.100', 80), env);
    expect(eventsOf(env.events, 'conntrack')[0]?.action).toBe('new');
  });
});

describe('expiry', () => {
  it('an entry past its timeout is gone: the next packet is NEW again', () => {
    let now = 0;
    const nf = router();
    const env = testEnv({ inDev: 'nsA2-r0', outDev: 'nsA2-r1', masq: { 'nsA2-r1': '10.9.1.2' }, now: () => now });
    forward(nf, udp('10.9.0.1', 5555, '10.99.0.100', 80), env);
    now = 31;
    expect(renderConntrack(nf, now)).toBe('');
    forward(nf, udp('10.9.0.1', 5555, '10.99.0.100', 80), env);
    expect(eventsOf(env.events, 'conntrack').map((e) => e.action)).toEqual(['new', 'confirm', 'new', 'confirm']);
  });
});
