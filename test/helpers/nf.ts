/**
 * Builders for netfilter engine tests: rules from iptables-save words, rulesets from a table of
 * chains, packets, and a HookEnv that records events and answers addrtype / MASQUERADE questions.
 *
 * Rules go through the syntax module's parser, so tests exercise the canonical form the engine
 * receives from real dumps.
 */
import { type Ip, ip } from '../../src/addr/ip.js';
import type { KernelEvent, TableName } from '../../src/kernel/events.js';
import type { AddrType, HookEnv } from '../../src/kernel/netfilter/api.js';
import type { Chain, Rule, Ruleset, Table } from '../../src/kernel/netfilter/rule.js';
import { parseRule } from '../../src/kernel/netfilter/syntax/index.js';
import { BUILTIN_CHAINS } from '../../src/kernel/netfilter/state.js';
import type { Packet, TcpFlag } from '../../src/packet/packet.js';
import type { Chooser, SimContext } from '../../src/sim/context.js';

/**
 * A rule from its iptables-save words after `-A CHAIN` (`-d 10.0.0.1/32 -p tcp -m tcp --dport 80
 * -j ACCEPT`), read by the syntax module's parser; a diagnostic fails the test.
 */
export function r(text: string, family: 4 | 6 = 4): Rule {
  const { value, diagnostics } = parseRule(`-A X ${text}`, { file: 'test', family });
  const rule = value?.rules[0];
  if (diagnostics.length > 0 || rule === undefined || value?.rules.length !== 1) {
    throw new Error(`test rule ${text}: ${diagnostics.map((d) => `${d.code} ${d.message}`).join('; ') || 'no single rule'}`);
  }
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
      const rules = (spec[c] ?? []).map((x) => (typeof x === 'string' ? r(x, family) : x));
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
  /** The reverse-path lookup `-m rpfilter` asks (absent: every packet passes). */
  readonly reverseRoute?: HookEnv['reverseRoute'];
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
    ...(o.reverseRoute === undefined ? {} : { reverseRoute: o.reverseRoute }),
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
