import { describe, expect, it } from 'vitest';
import { createNetfilter, getRuleset } from './index.js';
import { iptablesRestore } from './restore.js';
import { printRuleset } from './syntax/index.js';

const base = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:CNI-1 - [0:0]
:KUBE-SEP-OLD - [0:0]
-A POSTROUTING -s 10.244.1.2/32 -j CNI-1
-A CNI-1 -d 10.244.1.0/24 -j ACCEPT
-A KUBE-SEP-OLD -p tcp -j DNAT --to-destination 10.244.1.9:80
COMMIT
`;

describe('iptables-restore --noflush', () => {
  it('flushes declared chains, appends to undeclared ones, deletes -X chains and keeps the rest', () => {
    const nf = createNetfilter();
    expect(iptablesRestore(nf, base, { file: 'base', family: 4, noflush: false }).diagnostics).toEqual([]);
    const payload = `*nat
:KUBE-SERVICES - [0:0]
:KUBE-SEP-OLD - [0:0]
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j ACCEPT
-A POSTROUTING -j KUBE-SERVICES
-X KUBE-SEP-OLD
COMMIT
`;
    expect(iptablesRestore(nf, payload, { file: 'kube-proxy', family: 4, noflush: true }).diagnostics).toEqual([]);
    const text = printRuleset(getRuleset(nf, 4));
    expect(text).toContain('-A POSTROUTING -s 10.244.1.2/32 -j CNI-1\n-A POSTROUTING -j KUBE-SERVICES\n');
    expect(text).toContain('-A CNI-1 -d 10.244.1.0/24 -j ACCEPT');
    expect(text).toContain(':KUBE-SERVICES - [0:0]');
    expect(text).not.toContain('KUBE-SEP-OLD');
  });

  it('changes nothing when the payload has an error', () => {
    const nf = createNetfilter();
    iptablesRestore(nf, base, { file: 'base', family: 4, noflush: false });
    const before = printRuleset(getRuleset(nf, 4));
    const r = iptablesRestore(nf, '*nat\n-A POSTROUTING -m nosuchmatch -j ACCEPT\nCOMMIT\n', { file: 'bad', family: 4, noflush: true });
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(printRuleset(getRuleset(nf, 4))).toBe(before);
  });

  it('refuses a payload that nests too deep only together with the chains already loaded', () => {
    const nf = createNetfilter();
    const ladder = Array.from({ length: 14 }, (_, i) => `-A C${i + 1} -j C${i + 2}`);
    const chains = Array.from({ length: 15 }, (_, i) => `:C${i + 1} - [0:0]`);
    const first = ['*filter', ':INPUT ACCEPT [0:0]', ...chains, '-A INPUT -j C1', ...ladder, 'COMMIT', ''].join('\n');
    expect(iptablesRestore(nf, first, { file: 'base', family: 4, noflush: false }).diagnostics).toEqual([]);
    const before = printRuleset(getRuleset(nf, 4));
    const payload = '*filter\n:C15 - [0:0]\n:C16 - [0:0]\n-A C15 -j C16\nCOMMIT\n';
    const r = iptablesRestore(nf, payload, { file: 'more', family: 4, noflush: true });
    expect(r.diagnostics).toEqual([{ code: 'IPT_CHAIN_TOO_DEEP', severity: 'error', message: expect.stringContaining('16 jumps below INPUT'), pos: { file: 'more', line: 4 } }]);
    expect(printRuleset(getRuleset(nf, 4))).toBe(before);
  });

  it('does not flush a declared built-in chain: sets its policy and appends (as iptables-restore --noflush does)', () => {
    const nf = createNetfilter();
    iptablesRestore(nf, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 1.2.3.4/32 -j DROP\nCOMMIT\n', { file: 'base', family: 4, noflush: false });
    const r = iptablesRestore(nf, '*filter\n:INPUT DROP [0:0]\n-A INPUT -s 5.6.7.8/32 -j DROP\nCOMMIT\n', { file: 'more', family: 4, noflush: true });
    expect(r.diagnostics).toEqual([]);
    expect(printRuleset(getRuleset(nf, 4))).toContain(':INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -s 1.2.3.4/32 -j DROP\n-A INPUT -s 5.6.7.8/32 -j DROP\n');
  });
});

describe('iptables-restore -I', () => {
  // Checked against iptables-restore v1.8.9 (nf_tables) in a namespace: the same order, and
  // "line 4 failed: Index of insertion too big." for -I C 3 into a chain of one rule.
  it('inserts at N (default 1) among the rules the payload has put in the chain so far', () => {
    const nf = createNetfilter();
    const r = iptablesRestore(nf, '*filter\n:C - [0:0]\n-A C -s 1.1.1.1 -j ACCEPT\n-I C -s 2.2.2.2 -j ACCEPT\n-I C 2 -s 3.3.3.3 -j ACCEPT\n-I C 4 -s 4.4.4.4 -j ACCEPT\nCOMMIT\n', { file: 't', family: 4, noflush: false });
    expect(r.diagnostics).toEqual([]);
    expect(printRuleset(getRuleset(nf, 4)).split('\n').filter((l) => l.startsWith('-A C'))).toEqual([
      '-A C -s 2.2.2.2/32 -j ACCEPT',
      '-A C -s 3.3.3.3/32 -j ACCEPT',
      '-A C -s 1.1.1.1/32 -j ACCEPT',
      '-A C -s 4.4.4.4/32 -j ACCEPT',
    ]);
  });

  it('refuses an index past the end + 1, and loads nothing', () => {
    const nf = createNetfilter();
    const r = iptablesRestore(nf, '*filter\n:C - [0:0]\n-A C -j ACCEPT\n-I C 3 -j DROP\nCOMMIT\n', { file: 't', family: 4, noflush: false });
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['IPT_BAD_LINE -I C 3: index of insertion too big (the chain has 1 rules)']);
    expect(printRuleset(getRuleset(nf, 4))).toBe('');
  });
});
