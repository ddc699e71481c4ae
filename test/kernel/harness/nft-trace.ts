/**
 * IPv6 rule traces without xtables-monitor. xtables-monitor 1.8.9 cannot print an ip6tables rule
 * with a TCP/UDP match (`-p tcp --tcp-flags …`, `-m tcp --dport …`): it stops at
 * `TRACE: 10 … raw:PREROUTING:rule:0x2:CONTINUE  -6 -t raw ` with "Error: unsupported layer 4
 * protocol value … Parsing nftables rule failed" and exits (Linux 6.18, iptables 1.8.9 nf_tables).
 * So IPv6 is traced with `nft -a monitor trace`, which names each rule by its handle:
 *
 *   trace id c6062617 ip6 raw PREROUTING packet: iif "v0" … ip6 saddr fd00:1::9 ip6 daddr fd00:1::5 … tcp sport 54142 tcp dport 8082 tcp flags == syn …
 *   trace id c6062617 ip6 raw PREROUTING rule tcp flags syn / fin,syn,rst,ack  counter … meta nftrace set 1 # handle 8 (verdict continue)
 *   trace id c6062617 ip6 filter INPUT rule tcp dport 8081  counter … jump KS # handle 8 (verdict jump KS)
 *   trace id c6062617 ip6 filter KS rule counter packets 0 bytes 0 return # handle 9 (verdict return)
 *   trace id c6062617 ip6 filter INPUT policy accept
 *
 * and a handle is turned back into the rule as `ip6tables-save` prints it by position: the n-th
 * rule of a chain in `nft -a list table ip6 T` is the n-th `-A CHAIN` line of `ip6tables-save -t T`
 * (iptables-nft keeps one nft rule per iptables rule, in order). The result is the
 * {@link MonitorLog} xtables-monitor's parser gives, verdicts spelled as xtables-monitor spells
 * them (`CONTINUE`, `ACCEPT`, `JUMP:X`, `0xfffffffb` for a return), so the same
 * `monitorSteps` reads both. TCP flags become `SYN`/`ACK` fields, as on a PACKET line.
 */
import type { MonitorLog, MonitorPacket, MonitorTrace } from './trace-parse.js';

/** `table/chain/handle` → the rule as `ip6tables-save` prints it (`-A CHAIN …`). */
export type RuleIndex = ReadonlyMap<string, string>;

/** The tables `ip6tables` knows, in the order their rules are listed. */
export const IP6_TABLES = ['raw', 'mangle', 'nat', 'filter', 'security'] as const;

/** The rule handles of each chain of one `nft -a list table` listing, in order. */
function handlesByChain(listing: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let chain: string | undefined;
  for (const line of listing.split('\n')) {
    const head = /^\s*chain (\S+) \{/.exec(line);
    if (head !== null) {
      chain = head[1] as string;
      out.set(chain, []);
      continue;
    }
    if (/^\s*\}/.test(line)) {
      chain = undefined;
      continue;
    }
    const h = /# handle (\d+)\s*$/.exec(line);
    if (chain !== undefined && h !== null) out.get(chain)?.push(Number(h[1]));
  }
  return out;
}

/** The `-A CHAIN …` lines of one table's `ip6tables-save -t T`, per chain, in order. */
function rulesByChain(save: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of save.split('\n')) {
    const m = /^-A (\S+) /.exec(line);
    if (m === null) continue;
    const list = out.get(m[1] as string) ?? [];
    list.push(line.trimEnd());
    out.set(m[1] as string, list);
  }
  return out;
}

/**
 * Pairs one table's handles with its rules. Throws when a chain's counts differ: the position
 * rule would then name the wrong rule.
 */
export function indexTable(table: string, nftListing: string, save: string, into: Map<string, string>): void {
  const rules = rulesByChain(save);
  for (const [chain, handles] of handlesByChain(nftListing)) {
    const texts = rules.get(chain) ?? [];
    if (texts.length !== handles.length) throw new Error(`ip6 ${table} ${chain}: nft lists ${handles.length} rules, ip6tables-save ${texts.length}`);
    handles.forEach((h, i) => into.set(`${table}/${chain}/${h}`, texts[i] as string));
  }
}

const LINE_RE = /^trace id ([0-9a-f]+) (\S+) (\S+) (\S+) (packet|rule|policy|verdict):?\s*(.*)$/;

/** xtables-monitor's spelling of an nft verdict. */
function xtVerdict(v: string): string {
  const [word, target] = v.trim().split(/\s+/);
  switch (word) {
    case 'jump':
      return `JUMP:${target ?? ''}`;
    case 'goto':
      return `GOTO:${target ?? ''}`;
    case 'return':
      return '0xfffffffb';
    default:
      return (word ?? '').toUpperCase();
  }
}

/** The KEY=VALUE fields of a PACKET line that the harness reads, from nft's packet description. */
function packetFields(text: string): Record<string, string> {
  const f: Record<string, string> = {};
  const grab = (re: RegExp, key: string): void => {
    const m = re.exec(text);
    if (m !== null) f[key] = m[1] as string;
  };
  grab(/\bip6? saddr (\S+)/, 'SRC');
  grab(/\bip6? daddr (\S+)/, 'DST');
  grab(/\b(?:tcp|udp|sctp) sport (\d+)/, 'SPORT');
  grab(/\b(?:tcp|udp|sctp) dport (\d+)/, 'DPORT');
  grab(/\biif "([^"]+)"/, 'IN');
  grab(/\boif "([^"]+)"/, 'OUT');
  const flags = /\btcp flags == (0x[0-9a-f]+|[a-z]+(?: \| [a-z]+)*)/.exec(text)?.[1];
  if (flags !== undefined) {
    const bits = flags.startsWith('0x') ? Number.parseInt(flags, 16) : flags.split(' | ').reduce((b, n) => b | (FLAG_BITS[n] ?? 0), 0);
    for (const [name, bit] of Object.entries(FLAG_BITS)) if ((bits & bit) !== 0) f[name.toUpperCase()] = '';
  }
  return f;
}

const FLAG_BITS: Readonly<Record<string, number>> = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10, urg: 0x20 };

/**
 * Parses `nft -a monitor trace` output, keeping the lines of one family (`ip6`), into the shape
 * xtables-monitor's parser gives. A rule whose handle is not in `index` keeps nft's own text,
 * which then differs from any iptables rule (and says so in a failure message).
 */
export function parseNftTrace(text: string, family: string, index: RuleIndex): MonitorLog {
  const traces: MonitorTrace[] = [];
  const packets: MonitorPacket[] = [];
  const unknown: string[] = [];
  let last: MonitorPacket | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = LINE_RE.exec(line.trim());
    if (m === null) {
      unknown.push(line);
      continue;
    }
    const [, id, fam, table, chain, kind, rest] = m as unknown as [string, string, string, string, string, string, string];
    if (fam !== family) continue;
    if (kind === 'packet') {
      last = { id, fields: packetFields(rest) };
      packets.push(last);
      continue;
    }
    const packet = last !== undefined && last.id === id ? { packet: last } : {};
    // `policy accept meta mark 0x00004000`: the mark the packet leaves the chain with follows.
    if (kind === 'policy') traces.push({ id, table, chain, kind: 'policy', verdict: (rest.trim().split(/\s+/)[0] ?? '').toUpperCase(), ...packet });
    if (kind !== 'rule') continue; // `verdict continue` ends a user chain without a rule: xtables-monitor prints nothing
    const r = /# handle (\d+) \(verdict ([^)]*)\)/.exec(rest);
    if (r === null) {
      unknown.push(line);
      continue;
    }
    const handle = Number(r[1]);
    const rule = index.get(`${table}/${chain}/${handle}`) ?? `(nft) ${rest.slice(0, r.index).trim()}`;
    traces.push({ id, table, chain, kind: 'rule', handle, verdict: xtVerdict(r[2] as string), rule, ...packet });
  }
  return { traces, packets, unknown };
}
