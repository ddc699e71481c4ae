/**
 * Properties: evaluation does not depend on object identity (a structuredClone'd state, whose
 * rules recompile, gives the same verdict, packet, skb and events), and the state stays
 * structured-cloneable after traffic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forcedChooser, ruleset, tcp, testEnv, udp } from '../../../../test/helpers/nf.js';
import type { Packet } from '../../../packet/packet.js';
import { createNetfilter, FRESH_SKB, loadRuleset, type NetfilterState, runHook } from '../index.js';

const POOL = [
  '-p tcp -m tcp --dport 80 -j ACCEPT',
  '-s 10.0.0.0/24 -j DROP',
  '! -d 10.96.0.0/12 -j RETURN',
  '-m conntrack --ctstate NEW -j MARK --or-mark 0x4000',
  '-m mark --mark 0x4000/0x4000 -j LOG --log-prefix "m "',
  '-p udp -m multiport --dports 53,5353 -j REJECT --reject-with icmp-port-unreachable',
  '-j USER',
  '-g USER',
  '-m statistic --mode random --probability 0.50000000000 -j DROP',
  '-i eth+ -j CONNMARK --set-xmark 0x1/0xffffffff',
  '-p tcp',
] as const;
const USER = ['-p tcp -m tcp --sport 1000:2000 -j DROP', '-m connmark --mark 0x1 -j ACCEPT', '-j RETURN'];

const rulesArb = fc.array(fc.constantFrom(...POOL), { maxLength: 6 });
const packetArb = fc
  .record({ proto: fc.constantFrom('tcp', 'udp'), a: fc.integer({ min: 0, max: 3 }), sport: fc.integer({ min: 900, max: 2100 }), dport: fc.constantFrom(53, 80, 443) })
  .map(({ proto, a, sport, dport }): Packet => (proto === 'tcp' ? tcp(`10.0.${a}.5`, sport, '10.96.0.10', dport) : udp(`10.0.${a}.5`, sport, '10.96.0.10', dport)));

function build(rules: readonly string[], dnat: boolean): NetfilterState {
  const nf = createNetfilter();
  loadRuleset(
    nf,
    ruleset(4, {
      filter: { INPUT: [...rules], FORWARD: [...rules], USER },
      ...(dnat ? { nat: { PREROUTING: ['-p tcp -m tcp --dport 80 -j DNAT --to-destination 10.1.0.1:8080'], POSTROUTING: ['-j MASQUERADE'] } } : {}),
    }),
  );
  return nf;
}

function go(nf: NetfilterState, p: Packet, choices: readonly number[]) {
  const env = testEnv({ inDev: 'eth0', outDev: 'eth1', masq: { eth1: '192.0.2.1' }, chooser: forcedChooser(choices) });
  const pre = runHook(nf, 'PREROUTING', p, FRESH_SKB, env);
  const fwd = runHook(nf, 'FORWARD', pre.packet, pre.skb, env);
  const post = runHook(nf, 'POSTROUTING', fwd.packet, fwd.skb, env);
  return { fwd, post, events: env.events };
}

describe('properties', () => {
  it('evaluation is independent of rule object identity (structuredClone)', () => {
    fc.assert(
      fc.property(rulesArb, fc.array(packetArb, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.array(fc.integer({ min: 0, max: 1 })), (rules, packets, dnat, choices) => {
        const a = build(rules, dnat);
        const b = structuredClone(a);
        for (const p of packets) {
          expect(go(b, p, choices)).toEqual(go(a, p, choices));
        }
        expect(structuredClone(a)).toEqual(b);
      }),
      { numRuns: 150 },
    );
  });
});
