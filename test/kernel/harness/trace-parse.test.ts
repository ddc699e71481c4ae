/**
 * The xtables-monitor parser on traces captured from a real kernel (Linux 6.18, iptables 1.8.9
 * nf_tables) by the differential suite with KERNEL_DIFF_CAPTURE set. Runs everywhere, no root.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packetAfterNat } from './conntrack.js';
import { HARNESS_COMMENT } from './kernel-trace.js';
import { netsimVerdict, ruleTarget, ruleWords, verdictConsistent } from './rule-text.js';
import { outcomeDifferences, sideBySide, type Step, type TraceOutcome } from './steps.js';
import { finalVerdict, lastSeenPacket, monitorSteps, parseMonitor, traceIds } from './trace-parse.js';

const DIR = fileURLToPath(new URL('../../fixtures/kernel-diff/monitor/', import.meta.url));
const RULES = fileURLToPath(new URL('../../fixtures/kernel-diff/', import.meta.url));
const captured = readdirSync(DIR)
  .filter((f) => f.endsWith('.monitor.txt'))
  .map((f) => f.replace(/\.monitor\.txt$/, ''))
  .sort();

interface Captured {
  readonly case: { readonly rules: string; readonly packet: { readonly proto: string } };
  readonly outcome: TraceOutcome;
}

describe('parseMonitor on captured kernel traces', () => {
  it('has fixtures', () => expect(captured.length).toBeGreaterThan(5));

  it.each(captured)('%s', (name) => {
    const text = readFileSync(`${DIR}${name}.monitor.txt`, 'utf8');
    const want = JSON.parse(readFileSync(`${DIR}${name}.kernel.json`, 'utf8')) as Captured;
    const hasRaw = /^\*raw\s*$/m.test(readFileSync(`${RULES}${want.case.rules}`, 'utf8'));
    const log = parseMonitor(text);
    expect(log.unknown).toEqual([]);
    const ids = traceIds(log);
    expect(ids).toHaveLength(1);
    const steps = monitorSteps(log, ids[0] as string, {
      ownRule: (_t, r) => r.includes(`--comment ${HARNESS_COMMENT}`),
      ownTable: (t) => t === 'raw' && !hasRaw,
    });
    expect(steps).toEqual(want.outcome.steps);
    expect(finalVerdict(steps)).toBe(want.outcome.verdict);
    for (const t of log.traces) if (t.kind === 'rule') expect(verdictConsistent(t.rule ?? '', t.verdict), `${t.rule} answered ${t.verdict}`).toBe(true);
  });
});

describe('parseMonitor details', () => {
  const text = [
    'PACKET: 2 88bcefe9 IN=eth0 OUT=eth1 MACSRC=e:79:17:d3:fc:c6 MACDST=52:bd:85:5d:30:68 MACPROTO=0800 SRC=192.168.0.1 DST=10.180.0.5 LEN=40 TOS=0x0 TTL=63 ID=1 SPORT=40000 DPORT=8080 SYN MARK=0x4000 ',
    ' TRACE: 2 88bcefe9 raw:PREROUTING:rule:0x2:CONTINUE  -4 -t raw -A PREROUTING -s 192.168.0.1/32 -m comment --comment netsim-harness -j TRACE',
    ' TRACE: 2 88bcefe9 raw:PREROUTING:policy:ACCEPT ',
    ' TRACE: 2 88bcefe9 filter:B:rule:0x9:0xfffffffb  -4 -t filter -A B -m addrtype --dst-type LOCAL -j RETURN',
    ' TRACE: 2 88bcefe9 filter:A:rule:0x8:DROP  -4 -t filter -A A -j REJECT --reject-with icmp-port-unreachable',
  ].join('\n');
  const log = parseMonitor(text);

  it('reads handles, raw verdicts and the rule without the -4 -t prefix', () => {
    expect(log.traces[2]).toMatchObject({ table: 'filter', chain: 'B', kind: 'rule', handle: 9, verdict: '0xfffffffb', rule: '-A B -m addrtype --dst-type LOCAL -j RETURN' });
    expect(log.traces[1]).toMatchObject({ kind: 'policy', verdict: 'ACCEPT' });
  });

  it('drops the harness rule and table, names RETURN and REJECT', () => {
    const steps = monitorSteps(log, '88bcefe9', { ownRule: (_t, r) => r.includes('netsim-harness'), ownTable: (t) => t === 'raw' });
    expect(steps).toEqual([
      { hook: 'PREROUTING', table: 'filter', chain: 'B', rule: '-A B -m addrtype --dst-type LOCAL -j RETURN', verdict: 'RETURN' },
      { hook: 'PREROUTING', table: 'filter', chain: 'A', rule: '-A A -j REJECT --reject-with icmp-port-unreachable', verdict: 'REJECT' },
    ]);
    expect(finalVerdict(steps)).toBe('REJECT');
  });

  it('reads the packet a base chain saw', () => {
    expect(lastSeenPacket(log, '88bcefe9', 'tcp')).toEqual({ src: '192.168.0.1', dst: '10.180.0.5', proto: 'tcp', sport: 40000, dport: 8080 });
  });
});

describe('rule text', () => {
  it('splits quoted comments', () => {
    expect(ruleWords('-A X -m comment --comment "a \\"b\\" -j c" -j KUBE-SVC-1')).toEqual(['-A', 'X', '-m', 'comment', '--comment', 'a "b" -j c', '-j', 'KUBE-SVC-1']);
  });
  it('finds the target after a comment that mentions -j', () => {
    expect(ruleTarget('-A X -m comment --comment "-j DROP" -g Y')).toEqual({ kind: 'goto', name: 'Y' });
    expect(ruleTarget('-A KUBE-FW-X -m comment --comment "other traffic"')).toBeUndefined();
  });
  it.each([
    ['-A X -j DNAT --to-destination 10.0.0.1:80', 'ACCEPT', 'DNAT'],
    ['-A X -j MASQUERADE --random-fully', 'ACCEPT', 'MASQUERADE'],
    ['-A X -j MARK --set-xmark 0x4000/0x4000', 'CONTINUE', 'MARK'],
    ['-A X -j REJECT --reject-with tcp-reset', 'DROP', 'REJECT'],
    ['-A X -j RETURN', '0xfffffffb', 'RETURN'],
    ['-A X -j KUBE-SVC-1', 'JUMP:KUBE-SVC-1', 'JUMP:KUBE-SVC-1'],
    ['-A X -g B', 'GOTO:B', 'GOTO:B'],
    ['-A X -p tcp', 'CONTINUE', 'CONTINUE'],
    ['-A X -j ACCEPT', 'ACCEPT', 'ACCEPT'],
  ])('%s answered %s is %s', (rule, kernel, want) => {
    expect(netsimVerdict(rule, kernel)).toBe(want);
    expect(verdictConsistent(rule, kernel)).toBe(true);
  });
});

describe('conntrack', () => {
  const sent = { src: '192.168.0.1', dst: '172.30.0.10', proto: 'tcp', sport: 40000, dport: 80 };
  it('turns the reply tuple of an event around', () => {
    const ev = '    [NEW] tcp      6 120 SYN_SENT src=192.168.0.1 dst=172.30.0.10 sport=40000 dport=80 [UNREPLIED] src=10.180.0.5 dst=10.0.1.1 sport=8080 dport=60733';
    expect(packetAfterNat(ev, sent)).toEqual({ src: '10.0.1.1', dst: '10.180.0.5', proto: 'tcp', sport: 60733, dport: 8080 });
  });
  it('ignores other flows and reads ICMP without ports', () => {
    const list = 'icmp     1 29 src=192.168.0.1 dst=192.168.0.2 type=8 code=0 id=77 src=192.168.0.2 dst=192.168.0.1 type=0 code=0 id=77 mark=0 use=2';
    expect(packetAfterNat(list, sent)).toBeUndefined();
    expect(packetAfterNat(list, { src: '192.168.0.1', dst: '192.168.0.2', proto: 'icmp' })).toEqual({ src: '192.168.0.1', dst: '192.168.0.2', proto: 'icmp' });
  });
});

describe('comparison', () => {
  const step = (rule: string, verdict: string): Step => ({ hook: 'FORWARD', table: 'filter', chain: 'FORWARD', rule, verdict });
  const k: TraceOutcome = { verdict: 'DROP', packet: { src: '1.1.1.1', dst: '2.2.2.2', proto: 'tcp', sport: 1, dport: 2 }, steps: [step('-A FORWARD -j DROP', 'DROP')] };
  const n: TraceOutcome = { ...k, verdict: 'ACCEPT', packet: { ...k.packet, sport: 9 }, steps: [{ hook: 'FORWARD', table: 'filter', chain: 'FORWARD', policy: 'ACCEPT' }] };
  it('names every kind of difference', () => {
    expect(outcomeDifferences(k, n)).toEqual(['verdict: kernel DROP, netsim ACCEPT', 'packet after NAT: kernel 1.1.1.1:1 > 2.2.2.2:2 tcp, netsim 1.1.1.1:9 > 2.2.2.2:2 tcp', 'steps differ from step 1']);
    expect(outcomeDifferences(k, n, { ignoreSport: true })).toHaveLength(2);
  });
  it('shows the two step lists side by side, marking the rows that differ', () => {
    const view = sideBySide(k.steps, n.steps, 50);
    expect(view.split('\n')[2]).toBe(`!  1 ${'FORWARD filter/FORWARD -A FORWARD -j DROP => DROP'.padEnd(50)} | FORWARD filter/FORWARD policy ACCEPT`);
  });
});
