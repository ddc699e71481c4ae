/**
 * NetworkPolicy in a calico cluster's datapath, end to end (test/fixtures/netpol/calico-policies.yaml):
 * Felix's chains drop or let through, the reply rides conntrack, and the note says why in
 * Kubernetes terms.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildText, notes, trip } from '../../test/helpers/calico-netpol.js';

const text = readFileSync('test/fixtures/netpol/calico-policies.yaml', 'utf8');
const built = buildText(text.replace('EXCEPT', '10.244.0.0/26'));

describe('Felix enforces NetworkPolicy (calico)', () => {
  it('default deny: dropped by the tier\'s DROP, with the reason', () => {
    const t = trip(built, 'x/a', 'y/b', { port: 81 });
    expect(t.forward.ending.disposition).toBe('DROPPED');
    expect(t.forward.ending.detail).toMatch(/cali-tw-cali[0-9a-f]{11}#\d+/);
    expect(notes(t.forward)).toEqual(['dropped by default deny: pod y/b is selected by NetworkPolicies y/deny-all, y/allow-web (ingress), no rule allows x/a on TCP 81']);
  });

  it('allowed by a namespaceSelector rule; the reply rides conntrack (no second verdict)', () => {
    const t = trip(built, 'x/a', 'y/b', { port: 80 });
    expect(t.forward.ending.disposition).toBe('DELIVERED');
    expect(t.reply?.ending.disposition).toBe('DELIVERED');
    expect(notes(t.forward)).toEqual(['allowed by NetworkPolicy y/allow-web ingress rule #1 (from namespaceSelector ns=x, on TCP 80)']);
    expect(t.reply === undefined ? [] : notes(t.reply)).toEqual([]);
  });

  it('a Service is checked after DNAT: the named port web (8080) on the backend', () => {
    const t = trip(built, 'x/a', 'service/y/b');
    expect(t.forward.ending.disposition).toBe('DELIVERED');
    expect(notes(t.forward)).toEqual(['allowed by NetworkPolicy y/allow-web ingress rule #1 (from namespaceSelector ns=x, on TCP web)']);
  });

  it('endPort: 9005 gets through the policy (nothing listens: reset), 9011 does not', () => {
    expect(trip(built, 'x/a', 'y/b', { port: 9005 }).forward.ending.disposition).toBe('REJECTED');
    expect(trip(built, 'x/a', 'y/b', { port: 9011 }).forward.ending.disposition).toBe('DROPPED');
  });

  it('UDP and SCTP from the pod rule; TCP from the same pod is denied', () => {
    expect(trip(built, 'y/c', 'y/b', { port: 5000, protocol: 'udp' }).forward.ending.disposition).toBe('DELIVERED');
    expect(trip(built, 'y/c', 'y/b', { port: 7000, protocol: 'sctp' }).forward.ending.disposition).toBe('DELIVERED');
    expect(trip(built, 'y/c', 'y/b', { port: 80 }).forward.ending.disposition).toBe('DROPPED');
  });

  it('egress with ipBlock except: the except is node-1\'s first /26 block, where a and c live', () => {
    const toA = trip(built, 'x/d', 'x/a', { port: 80 });
    const toC = trip(built, 'x/d', 'y/c', { port: 80 });
    expect(toA.forward.ending.disposition).toBe('DROPPED');
    expect(notes(toA.forward)[0]).toBe('dropped by default deny: pod x/d is selected by NetworkPolicy x/d-egress (egress), no rule allows traffic to x/a on TCP 80');
    expect(toC.forward.ending.disposition).toBe('DROPPED');
  });

  it('without the except, d reaches a (egress allowed by the ipBlock rule)', () => {
    const open = buildText(text.replace('EXCEPT', '10.244.255.0/24'));
    const t = trip(open, 'x/d', 'x/a', { port: 80 });
    expect(t.forward.ending.disposition).toBe('DELIVERED');
    expect(notes(t.forward)).toEqual(['allowed by NetworkPolicy x/d-egress egress rule #1 (to ipBlock 10.244.0.0/16 except 10.244.255.0/24, any port)']);
  });
});
