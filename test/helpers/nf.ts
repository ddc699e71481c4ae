/**
 * Builders for netfilter engine tests: rules from iptables-save words, rulesets from a table of
 * chains, packets, and a HookEnv that records events and answers addrtype / MASQUERADE questions.
 *
 * `r()` reads the canonical iptables-save form only (what the syntax module produces); tests
 * must write rules exactly as iptables-save prints them.
 */
import { parseCidr } from '../../src/addr/cidr.js';
import { type Ip, ip } from '../../src/addr/ip.js';
import type { KernelEvent, TableName } from '../../src/kernel/events.js';
import type { AddrType, HookEnv } from '../../src/kernel/netfilter/api.js';
import type { Chain, MatchSpec, Opt, Rule, Ruleset, Table, TargetSpec } from '../../src/kernel/netfilter/rule.js';
import { BUILTIN_CHAINS } from '../../src/kernel/netfilter/state.js';
import type { Packet, TcpFlag } from '../../src/packet/packet.js';
import type { Chooser, SimContext } from '../../src/sim/context.js';

/** Splits on spaces, keeping "double quoted" words together. */
function words(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '')));
}

const EXTENSION_TARGETS = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'MARK', 'CONNMARK', 'REJECT', 'LOG', 'TRACE', 'CT', 'NOTRACK', 'NFLOG']);
const VERDICTS = new Set(['ACCEPT', 'DROP', 'RETURN']);

/** A rule from its iptables-save words after `-A CHAIN` (`-d 10.0.0.1/32 -p tcp -m tcp --dport 80 -j ACCEPT`). */
export function r(text: string): Rule {
  const w = words(text);
  const rule: { -readonly [K in keyof Rule]: Rule[K] } = { matches: [] };
  const matches: MatchSpec[] = [];
  let opts: Opt[] | undefined;
  let neg = false;
  for (let i = 0; i < w.length; i++) {
    const word = w[i] ?? '';
    if (word === '!') { neg = true; continue; }
    const next = () => w[++i] ?? '';
    const n = neg;
    neg = false;
    switch (word) {
      case '-s': case '-d': {
        const c = parseCidr(next());
        if (c === undefined) throw new Error(`bad cidr in ${text}`);
        rule[word === '-s' ? 'src' : 'dst'] = { value: c, neg: n };
        continue;
      }
      case '-i': rule.inIface = { value: next(), neg: n }; continue;
      case '-o': rule.outIface = { value: next(), neg: n }; continue;
      case '-p': rule.proto = { value: next(), neg: n }; continue;
      case '-f': rule.fragment = { value: true, neg: n }; continue;
      case '-m': opts = []; matches.push({ module: next(), opts }); continue;
      case '-j': case '-g': {
        const name = next();
        opts = [];
        const kind: TargetSpec['kind'] = word === '-g' ? 'goto' : VERDICTS.has(name) ? 'verdict' : EXTENSION_TARGETS.has(name) ? 'extension' : 'jump';
        rule.target = { kind, name, opts };
        continue;
      }
    }
    if (!word.startsWith('--') || opts === undefined) throw new Error(`unexpected ${word} in ${text}`);
    const args: string[] = [];
    while (i + 1 < w.length && !(w[i + 1] ?? '').startsWith('-') && w[i + 1] !== '!') args.push(next());
    opts.push({ name: word, args, neg: n });
  }
  rule.matches = matches;
  return rule;
}

/** Chains of one table: rule texts per chain; built-in chains get policy ACCEPT unless `policies` says otherwise. */
export type TableSpec = Readonly<Record<string, readonly (string | Rule)[]>>;

/** A ruleset from `{ nat: { PREROUTING: ['-j KUBE-SERVICES'], 'KUBE-SERVICES': [...] } }`. */
export function ruleset(family: 4 | 6, tables: Partial<Record<TableName, TableSpec>>, policies: Readonly<Record<string, 'ACCEPT' | 'DROP'>> = {}): Ruleset {
  const out: Table[] = [];
  for (const [name, spec] of Object.entries(tables) as [TableName, TableSpec][]) {
    const builtins = BUILTIN_CHAINS[name] as readonly string[];
    const names = [...builtins, ...Object.keys(spec).filter((c) => !builtins.includes(c))];
    const chains: Chain[] = names.map((c) => {
      const rules = (spec[c] ?? []).map((x) => (typeof x === 'string' ? r(x) : x));
      return builtins.includes(c) ? { name: c, policy: policies[`${name}/${c}`] ?? 'ACCEPT', rules } : { name: c, rules };
    });
    out.push({ name, chains });
  }
  return { family, tables: out };
}

/** A chooser that returns forced indices in order (then 0) and records what was asked. */
export function forcedChooser(forced: readonly number[] = []): Chooser & { asked: { label: string; probabilities: readonly number[] }[] } {
  const queue = [...forced];
  const asked: { label: string; probabilities: readonly number[] }[] = [];
  return {
    asked,
    choose(label, probabilities) {
      asked.push({ label, probabilities });
      return queue.shift() ?? 0;
    },
  };
}

/** Options of {@link testEnv}. */
export interface EnvOptions {
  readonly ns?: string;
  readonly inDev?: string;
  readonly outDev?: string;
  readonly physInDev?: string;
  readonly physOutDev?: string;
  readonly local?: readonly string[];
  readonly masq?: Readonly<Record<string, string>>;
  readonly chooser?: Chooser;
  readonly now?: () => number;
}

/** A HookEnv recording events in `events`. */
export function testEnv(o: EnvOptions = {}): HookEnv & { events: KernelEvent[] } {
  const events: KernelEvent[] = [];
  const local = new Set(o.local ?? []);
  const ctx: SimContext = { now: o.now ?? (() => 0), chooser: o.chooser ?? forcedChooser() };
  const addrType = (a: Ip): AddrType => (local.has(fmt(a)) ? 'LOCAL' : 'UNICAST');
  return {
    ns: o.ns ?? 'test',
    ...(o.inDev === undefined ? {} : { inDev: o.inDev }),
    ...(o.outDev === undefined ? {} : { outDev: o.outDev }),
    ...(o.physInDev === undefined ? {} : { physInDev: o.physInDev, bridged: true }),
    ...(o.physOutDev === undefined ? {} : { physOutDev: o.physOutDev, bridged: true }),
    addrType,
    masqueradeAddress: (dev) => {
      const a = o.masq?.[dev];
      return a === undefined ? undefined : ip(a);
    },
    ctx,
    emit: (e) => events.push(e),
    events,
  };
}

function fmt(a: Ip): string {
  const v = a.value;
  return a.family === 4 ? [24n, 16n, 8n, 0n].map((s) => ((v >> s) & 255n).toString()).join('.') : v.toString();
}

/** A TCP packet `src:sport → dst:dport` (SYN by default). */
export function tcp(src: string, sport: number, dst: string, dport: number, flags: readonly TcpFlag[] = ['SYN']): Packet {
  const s = ip(src);
  return { ip: { family: s.family, src: s, dst: ip(dst), ttl: 64, length: 60, dontFragment: true }, l4: { proto: 'tcp', sport, dport, flags }, encap: [] };
}

/** A UDP packet. */
export function udp(src: string, sport: number, dst: string, dport: number): Packet {
  const s = ip(src);
  return { ip: { family: s.family, src: s, dst: ip(dst), ttl: 64, length: 60, dontFragment: true }, l4: { proto: 'udp', sport, dport }, encap: [] };
}

/** An ICMP echo request (type 8) or another type. */
export function icmp(src: string, dst: string, type = 8, id = 1): Packet {
  const s = ip(src);
  return { ip: { family: s.family, src: s, dst: ip(dst), ttl: 64, length: 60, dontFragment: true }, l4: { proto: s.family === 4 ? 'icmp' : 'icmpv6', type, code: 0, id }, encap: [] };
}

/** Only the events of one kind. */
export function eventsOf<K extends KernelEvent['kind']>(events: readonly KernelEvent[], kind: K): Extract<KernelEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<KernelEvent, { kind: K }> => e.kind === kind);
}
