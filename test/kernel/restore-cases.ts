/**
 * Hostile rulesets for the iptables-restore differential test: each is given to the real
 * `iptables-restore` in a namespace and to netsim's loader. `kernel` is what iptables-restore
 * v1.8.9 (nf_tables) on kernel 6.18 answered, recorded so that netsim's side is checked on every
 * machine; as root the test also checks each recorded answer against the kernel at hand.
 *
 * `notModelled` marks rulesets the kernel accepts and netsim refuses only because it does not
 * model the feature: netsim's message must then say "not modelled".
 */
export interface RestoreCase {
  readonly name: string;
  readonly text: string;
  readonly kernel: 'accept' | 'refuse';
  readonly notModelled?: true;
  /** The code netsim must give when it refuses (the first error). */
  readonly code?: string;
}

/** A filter table with user chains `chains` and rule lines `rules`. */
function filter(chains: readonly string[], rules: readonly string[]): string {
  return ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ...chains.map((c) => `:${c} - [0:0]`), ...rules, 'COMMIT', ''].join('\n');
}

/** A table other than filter, with its built-in chains declared by the caller. */
function table(name: string, lines: readonly string[]): string {
  return [`*${name}`, ...lines, 'COMMIT', ''].join('\n');
}

/** INPUT → C1 → … → Cn (or the same ladder with nothing reaching C1). */
function ladder(n: number, opts: { base: boolean; goto?: boolean }): string {
  const names = Array.from({ length: n }, (_, i) => `C${i + 1}`);
  const rules = names.slice(0, -1).map((c, i) => `-A ${c} ${opts.goto === true ? '-g' : '-j'} C${i + 2}`);
  return filter(names, [...(opts.base ? ['-A INPUT -j C1'] : []), ...rules, `-A C${n} -j ACCEPT`]);
}

const ports16 = Array.from({ length: 16 }, (_, i) => String(i + 1)).join(',');

export const RESTORE_CASES: readonly RestoreCase[] = [
  // Loops and nesting (nf_tables: "RULE_APPEND failed (Too many links)", exit 4).
  { name: 'loop A → B → A', text: filter(['A', 'B'], ['-A INPUT -j A', '-A A -j B', '-A B -j A']), kernel: 'refuse', code: 'IPT_CHAIN_LOOP' },
  { name: 'chain jumping to itself', text: filter(['A'], ['-A INPUT -j A', '-A A -j A']), kernel: 'refuse', code: 'IPT_CHAIN_LOOP' },
  { name: 'goto loop', text: filter(['A', 'B'], ['-A INPUT -j A', '-A A -g B', '-A B -g A']), kernel: 'refuse', code: 'IPT_CHAIN_LOOP' },
  { name: 'loop whose rules never both match', text: filter(['A', 'B'], ['-A INPUT -j A', '-A A -p tcp -j B', '-A B -p udp -j A']), kernel: 'refuse', code: 'IPT_CHAIN_LOOP' },
  { name: 'loop closed by the base chain rule, last', text: filter(['A', 'B'], ['-A A -j B', '-A B -j A', '-A INPUT -j A']), kernel: 'refuse', code: 'IPT_CHAIN_LOOP' },
  { name: 'loop in nat OUTPUT', text: table('nat', [':OUTPUT ACCEPT [0:0]', ':A - [0:0]', '-A OUTPUT -j A', '-A A -j A']), kernel: 'refuse', code: 'IPT_CHAIN_LOOP' },
  { name: 'loop no base chain reaches', text: filter(['A', 'B'], ['-A A -j B', '-A B -j A']), kernel: 'accept' },
  { name: 'self-jump no base chain reaches', text: filter(['A'], ['-A A -j A']), kernel: 'accept' },
  { name: 'loop flushed later in the same payload', text: filter(['A'], ['-A INPUT -j A', '-A A -j A', '-F A']), kernel: 'accept' },
  { name: '15 jumps below INPUT', text: ladder(15, { base: true }), kernel: 'accept' },
  { name: '16 jumps below INPUT', text: ladder(16, { base: true }), kernel: 'refuse', code: 'IPT_CHAIN_TOO_DEEP' },
  { name: '16 gotos below INPUT', text: ladder(16, { base: true, goto: true }), kernel: 'refuse', code: 'IPT_CHAIN_TOO_DEEP' },
  { name: '40 chains deep, no base chain', text: ladder(40, { base: false }), kernel: 'accept' },
  // Chains.
  { name: 'jump to an undeclared chain', text: filter([], ['-A INPUT -j NOPE']), kernel: 'refuse', code: 'IPT_UNKNOWN_CHAIN' },
  { name: 'jump to a chain declared later', text: filter(['A'], ['-A A -j B', ':B - [0:0]']), kernel: 'refuse', code: 'IPT_UNKNOWN_CHAIN' },
  { name: 'jump to a built-in chain', text: filter([], ['-A INPUT -j OUTPUT']), kernel: 'refuse', code: 'IPT_UNKNOWN_CHAIN' },
  { name: 'append to an undeclared chain', text: filter([], ['-A NOPE -j ACCEPT']), kernel: 'refuse', code: 'IPT_UNKNOWN_CHAIN' },
  { name: 'chain declared twice', text: filter(['A', 'A'], ['-A A -j ACCEPT']), kernel: 'accept' },
  { name: '-N of an existing chain', text: filter(['A'], ['-N A']), kernel: 'refuse', code: 'IPT_BAD_LINE' },
  { name: 'chain name of 29 characters', text: filter(['ABCDEFGHIJKLMNOPQRSTUVWXYZ123'], []), kernel: 'refuse', code: 'IPT_BAD_CHAIN_NAME' },
  { name: 'chain name of 28 characters', text: filter(['ABCDEFGHIJKLMNOPQRSTUVWXYZ12'], []), kernel: 'accept' },
  { name: 'policy on a user chain (ignored)', text: filter([], [':A ACCEPT [0:0]']), kernel: 'accept' },
  { name: 'built-in chain with policy REJECT', text: table('filter', [':INPUT REJECT [0:0]']), kernel: 'refuse', code: 'IPT_BAD_POLICY' },
  // File structure.
  { name: 'missing COMMIT', text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n', kernel: 'refuse', code: 'IPT_MISSING_COMMIT' },
  { name: 'rule before any table', text: '-A INPUT -j ACCEPT\n', kernel: 'refuse', code: 'IPT_NO_TABLE' },
  { name: 'unknown table', text: table('bogus', [':X - [0:0]']), kernel: 'refuse', code: 'IPT_UNKNOWN_TABLE' },
  { name: 'empty input', text: '', kernel: 'accept' },
  { name: 'comments and an empty table', text: '# nothing\n*filter\nCOMMIT\n', kernel: 'accept' },
  { name: 'unterminated quote (swallows the newline)', text: filter([], ['-A INPUT -m comment --comment "oops -j ACCEPT']), kernel: 'accept', notModelled: true, code: 'IPT_UNTERMINATED_QUOTE' },
  // Matches netsim does not evaluate load (the trace forks on them); owner/TCPMSS are modelled, with the kernel's placement rules.
  { name: '-m owner in INPUT', text: filter([], ['-A INPUT -m owner --uid-owner 0 -j ACCEPT']), kernel: 'refuse', code: 'IPT_WRONG_CHAIN' },
  { name: '-j TCPMSS --clamp-mss-to-pmtu in PREROUTING', text: table('mangle', [':PREROUTING ACCEPT [0:0]', '-A PREROUTING -p tcp -j TCPMSS --clamp-mss-to-pmtu']), kernel: 'refuse', code: 'IPT_WRONG_CHAIN' },
  { name: '-j TOS in filter', text: filter([], ['-A INPUT -j TOS --set-tos 0x10']), kernel: 'refuse', code: 'IPT_WRONG_CHAIN' },
  { name: '-j CLASSIFY in filter FORWARD', text: filter([], ['-A FORWARD -j CLASSIFY --set-class 1:10']), kernel: 'accept' },
  { name: '-m ttl', text: filter([], ['-A INPUT -m ttl --ttl-eq 1 -j DROP']), kernel: 'accept' },
  { name: '-m length', text: filter([], ['-A INPUT -m length --length 0:40 -j DROP']), kernel: 'accept' },
  { name: '-m hashlimit', text: filter([], ['-A INPUT -m hashlimit --hashlimit-upto 10/sec --hashlimit-name h1 -j ACCEPT']), kernel: 'accept' },
  { name: '-m string', text: filter([], ['-A INPUT -m string --string foo --algo bm -j DROP']), kernel: 'accept' },
  { name: '-m owner in OUTPUT', text: filter([], ['-A OUTPUT -m owner --uid-owner 0 -j ACCEPT']), kernel: 'accept' },
  { name: '-j NFQUEUE', text: filter([], ['-A INPUT -j NFQUEUE --queue-num 1']), kernel: 'accept', notModelled: true, code: 'IPT_UNKNOWN_TARGET' },
  { name: '-j TCPMSS in mangle', text: table('mangle', [':FORWARD ACCEPT [0:0]', '-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu']), kernel: 'accept' },
  { name: '-j CT --zone in raw', text: table('raw', [':PREROUTING ACCEPT [0:0]', '-A PREROUTING -j CT --zone 1']), kernel: 'accept', notModelled: true },
  { name: '-I in a restore file', text: filter([], ['-A INPUT -j ACCEPT', '-I INPUT 1 -j DROP']), kernel: 'accept' },
  { name: '-I past the end', text: filter([], ['-A INPUT -j ACCEPT', '-I INPUT 3 -j DROP']), kernel: 'refuse', code: 'IPT_BAD_LINE' },
  { name: '-D in a restore file', text: filter([], ['-A INPUT -j ACCEPT', '-D INPUT 1']), kernel: 'accept', notModelled: true, code: 'IPT_UNSUPPORTED_COMMAND' },
  // Matches and targets that do not exist, and bad options.
  { name: 'unknown match', text: filter([], ['-A INPUT -m nosuchmatch -j ACCEPT']), kernel: 'refuse', code: 'IPT_UNKNOWN_MATCH' },
  { name: 'unknown target (no such chain)', text: filter([], ['-A INPUT -j NOSUCHTARGET']), kernel: 'refuse', code: 'IPT_UNKNOWN_CHAIN' },
  { name: 'unknown option', text: filter([], ['-A INPUT --bogus 1 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: '--dport without -p', text: filter([], ['-A INPUT --dport 80 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: '-m tcp with -p udp', text: filter([], ['-A INPUT -p udp -m tcp --dport 1 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'port 65536', text: filter([], ['-A INPUT -p tcp --dport 65536 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'port 65535', text: filter([], ['-A INPUT -p tcp --dport 65535 -j ACCEPT']), kernel: 'accept' },
  { name: 'huge port', text: filter([], ['-A INPUT -p tcp --sport 99999999999999999999 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'multiport with 16 ports', text: filter([], [`-A INPUT -p tcp -m multiport --dports ${ports16} -j ACCEPT`]), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'interface name of 16 characters', text: filter([], ['-A INPUT -i abcdefghijklmnop -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'two targets', text: filter([], ['-A INPUT -j ACCEPT -j DROP']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'option without its argument', text: filter([], ['-A INPUT -j ACCEPT -s']), kernel: 'refuse', code: 'IPT_MISSING_ARG' },
  { name: 'comment of 257 bytes (cut to 255)', text: filter([], [`-A INPUT -m comment --comment ${'x'.repeat(257)} -j ACCEPT`]), kernel: 'accept' },
  { name: 'word of 1024 bytes', text: filter([], [`-A INPUT -m comment --comment ${'x'.repeat(1024)} -j ACCEPT`]), kernel: 'refuse', code: 'IPT_PARAMETER_TOO_LONG' },
  // Addresses.
  { name: 'address 10.0.0.300', text: filter([], ['-A INPUT -s 10.0.0.300 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_ADDRESS' },
  { name: 'prefix /33', text: filter([], ['-A INPUT -d 10.0.0.0/33 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_ADDRESS' },
  { name: 'IPv6 address in iptables', text: filter([], ['-A INPUT -s fd00::1 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_ADDRESS' },
  { name: 'inverted port range 20:10', text: filter([], ['-A INPUT -p tcp --dport 20:10 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'port 0', text: filter([], ['-A INPUT -p udp --dport 0 -j ACCEPT']), kernel: 'accept' },
  { name: 'negative port', text: filter([], ['-A INPUT -p tcp --dport -1 -j ACCEPT']), kernel: 'refuse' },
  { name: 'protocol number 256', text: filter([], ['-A INPUT -p 256 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'interface wildcard eth+', text: filter([], ['-A INPUT -i eth+ -j ACCEPT']), kernel: 'accept' },
  { name: 'interface name with a slash (a warning)', text: filter([], ['-A INPUT -i a/b -j ACCEPT']), kernel: 'accept' },
  { name: 'empty interface name', text: filter([], ['-A INPUT -i "" -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'RETURN in a built-in chain', text: filter([], ['-A INPUT -j RETURN']), kernel: 'accept' },
  { name: '-X of a chain still jumped to', text: filter(['A'], ['-A INPUT -j A', '-X A']), kernel: 'refuse' },
  { name: '-X of an unreferenced empty chain', text: filter(['A'], ['-X A']), kernel: 'accept' },
  { name: 'the same table twice', text: filter(['A'], ['-A INPUT -j A']) + filter([], ['-A INPUT -j ACCEPT']), kernel: 'accept' },
  { name: 'COMMIT outside a table', text: 'COMMIT\n', kernel: 'refuse', code: 'IPT_NO_TABLE' },
  { name: 'garbage line', text: filter([], ['hello world']), kernel: 'refuse', code: 'IPT_BAD_LINE' },
  { name: 'counters prefix on a rule', text: filter([], ['[5:300] -A INPUT -j ACCEPT']), kernel: 'accept' },
  { name: 'bad counters on a chain line (ignored)', text: filter([], [':A - [x:y]']), kernel: 'accept' },
  { name: 'bad counters on a rule line (ignored)', text: filter([], ['[x:y] -A INPUT -j ACCEPT']), kernel: 'accept' },
  { name: 'counters without a closing bracket', text: filter([], ['[1:2 -A INPUT -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_LINE' },
  { name: 'CRLF line ends', text: filter([], ['-A INPUT -j ACCEPT']).replaceAll('\n', '\r\n'), kernel: 'refuse', code: 'IPT_BAD_LINE' },
  { name: 'probability 1.5', text: filter([], ['-A INPUT -m statistic --mode random --probability 1.5 -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'mark with a mask', text: filter([], ['-A INPUT -m mark --mark 0x1/0x1 -j ACCEPT']), kernel: 'accept' },
  { name: 'bad mark', text: filter([], ['-A INPUT -m mark --mark zz -j ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  { name: 'DNAT to port 70000', text: table('nat', [':PREROUTING ACCEPT [0:0]', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:70000']), kernel: 'refuse' },
  { name: 'goto a verdict', text: filter([], ['-A INPUT -g ACCEPT']), kernel: 'refuse', code: 'IPT_BAD_OPTION' },
  // Where a target may stand.
  { name: 'REJECT in nat', text: table('nat', [':PREROUTING ACCEPT [0:0]', '-A PREROUTING -j REJECT']), kernel: 'refuse', code: 'IPT_WRONG_CHAIN' },
  { name: '-o in INPUT', text: filter([], ['-A INPUT -o eth0 -j ACCEPT']), kernel: 'refuse', code: 'IPT_WRONG_CHAIN' },
];
