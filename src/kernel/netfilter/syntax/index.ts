/**
 * The iptables-save syntax layer of the netfilter engine: text in, canonical rules out, and back.
 *
 * Owns: the words of `iptables-save` / `iptables-restore` files, the per-extension
 * canonicalisation that makes a parsed rule hold exactly what the kernel prints back, and the
 * printer. May import `addr`, `diag` and `../rule.ts`; nothing here evaluates a rule (that is
 * `../eval/`). Invariants: parsing never throws; print(parse(save)) = save byte for byte; every
 * problem is a diagnostic with a code listed in docs/errors.md ("iptables rules files").
 *
 * The canonical forms were taken from iptables v1.8.9 (nf_tables) on Linux, see
 * test/fixtures/iptables/README.md; each extension file lists the kernel facts it encodes.
 *
 * Modelled matches: tcp udp sctp multiport icmp icmp6 comment mark connmark conntrack state
 * statistic limit recent addrtype physdev set nfacct iprange. Targets: ACCEPT DROP RETURN QUEUE,
 * jump/goto, DNAT SNAT MASQUERADE REDIRECT MARK CONNMARK REJECT LOG NFLOG TRACE NOTRACK
 * `CT --notrack`. Not modelled (reported, never passed through): every other extension, sctp
 * `--chunk-types`, host names, ip6tables
 * extension headers (`-m frag`, `-m hbh`, …), and `/etc/services` beyond common names.
 */
export { parseIptablesSave, type SaveParseOptions } from './parse-save.js';
export { parseRule, type RuleLine, type RuleSource } from './parse-rule.js';
export { printRule, printRuleset, type PrintOptions } from './print.js';
export { quoteString, tokenize, type Tokens } from './tokenize.js';
export { BUILTIN_CHAINS, TABLE_ORDER, isBuiltinChain, isTableName, orderChains } from './tables.js';
