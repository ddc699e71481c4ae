/**
 * The `nft -a monitor trace` reader on output captured from Linux 6.18 (nft 1.0.6, iptables
 * 1.8.9 nf_tables rules): handles become the ip6tables-save rule text, verdicts xtables-monitor's.
 * Runs everywhere, no root.
 */
import { describe, expect, it } from 'vitest';
import { indexTable, parseNftTrace } from './nft-trace.js';
import { monitorSteps, traceIds } from './trace-parse.js';

const LISTING_FILTER = `table ip6 filter { # handle 3
	chain INPUT { # handle 1
		type filter hook input priority filter; policy accept;
		tcp dport 8081  counter packets 1 bytes 80 jump KS # handle 8
	}

	chain KS { # handle 7
		counter packets 1 bytes 80 return # handle 9
	}
}
`;
const SAVE_FILTER = `*filter
:INPUT ACCEPT [0:0]
:KS - [0:0]
-A INPUT -p tcp -m tcp --dport 8081 -m comment --comment "x y" -j KS
-A KS -j RETURN
COMMIT
`;
const LISTING_NAT = `table ip6 nat { # handle 4
	chain PREROUTING { # handle 1
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 8082 counter packets 0 bytes 0 dnat to [fd00:1::5]:8081 # handle 2
	}
}
`;
const SAVE_NAT = `*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -m tcp --dport 8082 -j DNAT --to-destination [fd00:1::5]:8081
COMMIT
`;

const TRACE = `trace id c6062617 ip6 nat PREROUTING packet: iif "v0" ether saddr 62:ad:00:ee:d2:48 ether daddr 02:61:b9:ab:55:95 ip6 saddr fd00:1::9 ip6 daddr fd00:1::5 ip6 dscp cs0 ip6 ecn not-ect ip6 hoplimit 64 ip6 flowlabel 444971 ip6 length 40 tcp sport 54142 tcp dport 8082 tcp flags == syn tcp window 64800 
trace id c6062617 ip6 nat PREROUTING rule tcp dport 8082 counter packets 0 bytes 0 dnat to [fd00:1::5]:8081 # handle 2 (verdict accept)
trace id 0000beef ip 4 filter INPUT policy accept 
trace id c6062617 ip6 filter INPUT packet: iif "v0" ether saddr 62:ad:00:ee:d2:48 ether daddr 02:61:b9:ab:55:95 ip6 saddr fd00:1::9 ip6 daddr fd00:1::5 ip6 dscp cs0 ip6 ecn not-ect ip6 hoplimit 64 ip6 flowlabel 444971 ip6 length 40 tcp sport 54142 tcp dport 8081 tcp flags == syn tcp window 64800 
trace id c6062617 ip6 filter INPUT rule tcp dport 8081  counter packets 0 bytes 0 jump KS # handle 8 (verdict jump KS)
trace id c6062617 ip6 filter KS rule counter packets 0 bytes 0 return # handle 9 (verdict return)
trace id c6062617 ip6 filter INPUT policy accept meta mark 0x00004000 
trace id f7ca3420 ip6 raw OUTPUT packet: oif "v0" ip6 saddr fd00:1::5 ip6 daddr fd00:1::9 ip6 dscp cs0 ip6 ecn not-ect ip6 hoplimit 64 ip6 flowlabel 127891 ip6 length 40 tcp sport 8081 tcp dport 37046 tcp flags == 0x12 tcp window 64260 
trace id f7ca3420 ip6 raw OUTPUT rule meta l4proto tcp counter packets 0 bytes 0 meta nftrace set 1 # handle 10 (verdict continue)
`;

function index(): Map<string, string> {
  const ix = new Map<string, string>();
  indexTable('filter', LISTING_FILTER, SAVE_FILTER, ix);
  indexTable('nat', LISTING_NAT, SAVE_NAT, ix);
  return ix;
}

describe('parseNftTrace', () => {
  it('names each rule as ip6tables-save does, verdicts as xtables-monitor does, and keeps one family', () => {
    const log = parseNftTrace(TRACE, 'ip6', index());
    expect(traceIds(log)).toEqual(['c6062617', 'f7ca3420']);
    const steps = monitorSteps(log, 'c6062617', { ownRule: () => false, ownTable: () => false });
    expect(steps).toEqual([
      { hook: 'PREROUTING', table: 'nat', chain: 'PREROUTING', rule: '-A PREROUTING -p tcp -m tcp --dport 8082 -j DNAT --to-destination [fd00:1::5]:8081', verdict: 'DNAT' },
      { hook: 'INPUT', table: 'filter', chain: 'INPUT', rule: '-A INPUT -p tcp -m tcp --dport 8081 -m comment --comment "x y" -j KS', verdict: 'JUMP:KS' },
      { hook: 'INPUT', table: 'filter', chain: 'KS', rule: '-A KS -j RETURN', verdict: 'RETURN' },
      { hook: 'INPUT', table: 'filter', chain: 'INPUT', policy: 'ACCEPT' },
    ]);
  });

  it('reads the packet: addresses, ports, and TCP flags by name or as a number', () => {
    const log = parseNftTrace(TRACE, 'ip6', index());
    expect(log.packets[0]?.fields).toMatchObject({ SRC: 'fd00:1::9', DST: 'fd00:1::5', SPORT: '54142', DPORT: '8082', SYN: '', IN: 'v0' });
    expect(log.packets[0]?.fields['ACK']).toBeUndefined();
    expect(log.packets.at(-1)?.fields).toMatchObject({ SYN: '', ACK: '', OUT: 'v0' });
  });

  it('a handle it cannot place keeps nft\'s text, marked; counts that differ are refused', () => {
    const log = parseNftTrace(TRACE, 'ip6', new Map());
    expect(log.traces.find((t) => t.chain === 'KS')?.rule).toBe('(nft) counter packets 0 bytes 0 return');
    expect(() => indexTable('filter', LISTING_FILTER, '*filter\n-A INPUT -j KS\nCOMMIT\n', new Map())).toThrow(/nft lists 1 rules, ip6tables-save 0/);
  });
});
