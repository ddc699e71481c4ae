/**
 * Indexed rule evaluation for long chains: kube-proxy's KUBE-SERVICES holds one
 * `-d VIP/32 -p tcp -m comment --comment … -m tcp --dport N -j KUBE-SVC-…` rule per Service port,
 * tens of thousands on a large cluster, and the kernel walks them one by one
 * (`ipt_do_table()`). netsim answers the same question with a hash on (daddr, proto, dport).
 *
 * The index changes nothing a trace can see. A rule goes in the index only when it can match a
 * packet solely if the packet's destination, protocol and destination port equal the rule's, and
 * when evaluating it has no effect (no `-m statistic`, `-m recent`, unmodelled match, …): then a
 * rule the index leaves out would have failed its tests without a trace, and skipping it is
 * invisible. Every other rule stays in a list in chain order; the walk merges the packet's
 * bucket with that list, so the rules it evaluates are the linear scan's matching rules, in the
 * same order (same `nf-rule` events, same verdict, same `--mode nth` counters).
 *
 * A rule without `-d` (kube-proxy's `-m addrtype --dst-type LOCAL -p tcp -m tcp --dport N -j DROP`
 * in KUBE-EXTERNAL-SERVICES, one per eTP Local Service without a local endpoint, and the
 * `--dport N` rules of KUBE-NODEPORTS) is indexed by (protocol, destination port) alone, for any
 * address: the packet's rules are then its address's bucket merged with its port's.
 *
 * The index is built lazily per Chain object. Chains are replaced, never mutated, when a rule
 * changes (state.ts), so a new chain gets a new index; the rules array's identity and length are
 * checked too, so an index never outlives the rules it was built from.
 */
import { InternalError } from '../../../diag/diagnostic.js';
import type { Chain, MatchSpec, Rule } from '../rule.js';
import { protoNumber } from '../syntax/protocols.js';
import type { PacketView } from './ctx.js';

/** Chain positions (0-based) by (protocol, destination port) then destination address. */
type Buckets = Map<number, Map<number | bigint, number[]>>;

/** The index of one chain. */
export interface ChainDispatch {
  readonly rules: readonly Rule[];
  readonly length: number;
  /** Each position's key: protocol × 65536 + port, or -1 where the rule is not indexed. */
  readonly portProto: Int32Array;
  /** Each position's destination address (a number for IPv4), undefined for a rule without `-d`. */
  readonly addr: readonly (number | bigint | undefined)[];
  /** Positions of the rules the index cannot express, ascending. */
  readonly others: readonly number[];
  /** Lookups answered so far by scanning `portProto` (see {@link bucketFor}). */
  scans: number;
  /** The hash, made once the chain has been looked up often enough ({@link indexMaps}). */
  maps: IndexMaps | undefined;
}

/** Chain positions (0-based) by (protocol, destination port) then destination address, and the address-less ones by (protocol, port). */
export interface IndexMaps {
  readonly buckets: Buckets;
  readonly anyAddr: Map<number, number[]>;
}

/**
 * Lookups a chain's index answers by scanning its keys before it builds the hash. A node's own
 * chains (KUBE-EXTERNAL-SERVICES: one rule per eTP Local Service without a local endpoint, 3,334
 * at 10,000 Services) are new Chain objects on every node and met by one or two packets of a
 * trace, where building the hash cost more than the rest of the node's filter walk; a shared
 * chain (KUBE-SERVICES) is met by every trace and gets its hash after a few.
 */
const DEFAULT_SCANS_BEFORE_HASH = 4;
let scansBeforeHash = DEFAULT_SCANS_BEFORE_HASH;

/** Sets how many lookups scan before the hash is built (0: hash at once); returns the previous value. For tests. */
export function setScansBeforeHash(n: number): number {
  const old = scansBeforeHash;
  scansBeforeHash = n;
  return old;
}

/** Fewer indexable rules than this and the chain is walked rule by rule (the index would not pay). */
const DEFAULT_MIN_INDEXED = 16;
let minIndexed = DEFAULT_MIN_INDEXED;

/**
 * Sets how many indexable rules a chain needs before it is indexed (Infinity: never; 1: every
 * chain); returns the previous value. Tests use it to compare the index with the linear scan.
 */
export function setIndexThreshold(n: number): number {
  const old = minIndexed;
  minIndexed = n;
  return old;
}

/** Matches that only read the packet and its conntrack entry: evaluating them changes nothing. */
const PURE_MATCHES: ReadonlySet<string> = new Set(['comment', 'tcp', 'udp', 'sctp', 'multiport', 'mark', 'connmark', 'conntrack', 'state', 'addrtype', 'iprange', 'tos', 'dscp']);

/** Port matches whose `--dport N` keys the index, by the protocol they need. */
const PORT_MODULES: ReadonlyMap<string, string> = new Map([
  ['tcp', 'tcp'],
  ['udp', 'udp'],
  ['sctp', 'sctp'],
]);

/**
 * The index key of a rule, or undefined when the index cannot express it. `addr` is undefined
 * for a rule without `-d`, which any destination address may match.
 */
export function indexKey(rule: Rule): { readonly portProto: number; readonly addr: number | bigint | undefined } | undefined {
  const dst = rule.dst;
  const proto = rule.proto;
  if ((dst !== undefined && dst.neg) || proto === undefined || proto.neg) return undefined;
  if (dst !== undefined && dst.value.prefix !== (dst.value.addr.family === 4 ? 32 : 128)) return undefined;
  let port: number | undefined;
  for (const m of rule.matches) {
    if (!PURE_MATCHES.has(m.module)) return undefined;
    const p = PORT_MODULES.get(m.module) === proto.value ? dportOf(m) : undefined;
    if (p !== undefined) port = p;
  }
  const num = protoNumber(proto.value);
  if (port === undefined || num === undefined || num === 0) return undefined;
  if (dst === undefined) return { portProto: num * 65536 + port, addr: undefined };
  return { portProto: num * 65536 + port, addr: dst.value.addr.family === 4 ? Number(dst.value.addr.value) : dst.value.addr.value };
}

/** The single port of a non-negated `--dport N` (canonical text: a decimal number). */
function dportOf(m: MatchSpec): number | undefined {
  const o = m.opts.find((x) => x.name === '--dport');
  const text = o?.args[0];
  if (o === undefined || o.neg || text === undefined || !/^[0-9]+$/.test(text)) return undefined;
  return Number(text);
}

const cache = new WeakMap<Chain, ChainDispatch | null>();

/** The chain's index, built on first use; undefined when the chain is walked rule by rule. */
export function dispatchOf(chain: Chain): ChainDispatch | undefined {
  if (chain.rules.length < minIndexed) return undefined;
  const hit = cache.get(chain);
  if (hit !== undefined && (hit === null || (hit.rules === chain.rules && hit.length === chain.rules.length))) return hit ?? undefined;
  const recipe = recipes.get(chain);
  const built = finish(chain.rules, recipe !== undefined && recipe.rules === chain.rules ? splicedKeys(recipe) : keysOf(chain.rules));
  cache.set(chain, built ?? null);
  return built;
}

/** A rule's index key (null: not indexable), kept per Rule object: rules are immutable and shared by the chains of every node (kube-proxy's per-node chains reuse the parsed rules). */
const keys = new WeakMap<Rule, RuleKey | null>();

type RuleKey = NonNullable<ReturnType<typeof indexKey>>;

function keyOf(rule: Rule): RuleKey | undefined {
  let key = keys.get(rule);
  if (key === undefined) keys.set(rule, (key = indexKey(rule) ?? null));
  return key ?? undefined;
}

/** The addresses of a chain none of whose indexed rules has `-d` (every position reads undefined). */
const NO_ADDR: readonly (number | bigint | undefined)[] = Object.freeze([]);

/** Each position's key (-1: not indexed) and address: what an index is made from. */
interface Keys {
  readonly portProto: Int32Array;
  readonly addr: readonly (number | bigint | undefined)[];
}

/** The rules' keys, each read from the rule (and kept per Rule object). */
function keysOf(rules: readonly Rule[]): Keys {
  const portProto = new Int32Array(rules.length);
  // Made at the first rule with `-d`: a node's KUBE-EXTERNAL-SERVICES (3,334 rules, none with
  // `-d`) would otherwise keep 26 KB of empty slots for as long as the node lives.
  let addr: (number | bigint | undefined)[] | undefined;
  for (let i = 0; i < rules.length; i++) {
    const key = keyOf(rules[i] as Rule);
    const pp = key === undefined ? -1 : key.portProto;
    portProto[i] = pp;
    if (pp >= 0 && key?.addr !== undefined) (addr ??= new Array(rules.length))[i] = key.addr;
  }
  return { portProto, addr: addr ?? NO_ADDR };
}

function finish(rules: readonly Rule[], k: Keys): ChainDispatch | undefined {
  const others: number[] = [];
  for (let i = 0; i < k.portProto.length; i++) if ((k.portProto[i] as number) < 0) others.push(i);
  const indexed = rules.length - others.length;
  return indexed < minIndexed ? undefined : { rules, length: rules.length, portProto: k.portProto, addr: k.addr, others, scans: 0, maps: undefined };
}

/** A run of another chain's rules (positions `from` to `to`, exclusive), or rules of the chain's own. */
export type DispatchPiece = { readonly chain: Chain; readonly from: number; readonly to: number } | { readonly rules: readonly Rule[] };

const recipes = new WeakMap<Chain, { readonly rules: readonly Rule[]; readonly pieces: readonly DispatchPiece[] }>();

/**
 * Says that `chain`'s rules are the pieces' rules in order, so that its index, when first
 * needed, copies the keys of the runs from their chains' indexes instead of reading every rule:
 * kube-proxy's KUBE-EXTERNAL-SERVICES on a node is the shared chain's thousands of rules with a
 * port's rules taken out, a new Chain object on each node (cluster/assemble/proxy-base.ts
 * patchedTop). The index is the one the rules give (dispatch.property.test.ts).
 */
export function spliceDispatch(chain: Chain, pieces: readonly DispatchPiece[]): void {
  recipes.set(chain, { rules: chain.rules, pieces });
}

function splicedKeys(recipe: { readonly rules: readonly Rule[]; readonly pieces: readonly DispatchPiece[] }): Keys {
  const n = recipe.rules.length;
  const portProto = new Int32Array(n);
  let addr: (number | bigint | undefined)[] | undefined;
  let at = 0;
  for (const p of recipe.pieces) {
    const from = 'rules' in p ? 0 : p.from;
    const to = 'rules' in p ? p.rules.length : p.to;
    const src = 'rules' in p ? keysOf(p.rules) : sourceKeys(p.chain);
    portProto.set(src.portProto.subarray(from, to), at);
    for (let i = from; i < to; i++, at++) {
      const a = src.addr[i];
      if (a !== undefined) (addr ??= new Array(n))[at] = a;
    }
  }
  if (at !== n) throw new InternalError(`spliced index of ${n} rules made of ${at}`);
  return { portProto, addr: addr ?? NO_ADDR };
}

/** The keys of a chain a splice copies from: its own index's when it has one. */
function sourceKeys(chain: Chain): Keys {
  return dispatchOf(chain) ?? keysOf(chain.rules);
}

/** The index's hash (built on first call from the keys already read). */
export function indexMaps(d: ChainDispatch): IndexMaps {
  if (d.maps !== undefined) return d.maps;
  const buckets: Buckets = new Map();
  const anyAddr = new Map<number, number[]>();
  for (let i = 0; i < d.length; i++) {
    const key = d.portProto[i] as number;
    if (key < 0) continue;
    const a = d.addr[i];
    if (a === undefined) {
      const list = anyAddr.get(key);
      if (list === undefined) anyAddr.set(key, [i]);
      else list.push(i);
      continue;
    }
    let byAddr = buckets.get(key);
    if (byAddr === undefined) buckets.set(key, (byAddr = new Map()));
    const list = byAddr.get(a);
    if (list === undefined) byAddr.set(a, [i]);
    else list.push(i);
  }
  d.maps = { buckets, anyAddr };
  return d.maps;
}

const NONE: readonly number[] = [];

/** The indexed rules that may match the packet (ascending positions). */
export function bucketFor(d: ChainDispatch, p: PacketView): readonly number[] {
  if (p.dport === undefined) return NONE;
  const key = p.proto * 65536 + p.dport;
  const dst = p.family === 4 ? p.dst32 : p.dst.value;
  if (d.maps === undefined && d.scans < scansBeforeHash) {
    d.scans++;
    // The positions whose key is the packet's, with its address or none: what the hash's two
    // lists merged give, in ascending order.
    let out: number[] | undefined;
    const keys = d.portProto;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== key) continue;
      const a = d.addr[i];
      if (a === undefined || a === dst) (out ??= []).push(i);
    }
    return out ?? NONE;
  }
  const maps = indexMaps(d);
  const exact = maps.buckets.get(key)?.get(dst) ?? NONE;
  const any = maps.anyAddr.get(key) ?? NONE;
  return any.length === 0 ? exact : exact.length === 0 ? any : mergeAscending(exact, any);
}

/** Two ascending lists of distinct positions as one. */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) < (b[j] as number))) out.push(a[i++] as number);
    else out.push(b[j++] as number);
  }
  return out;
}

/** The first index of the ascending list whose value is at least `start`. */
export function lowerBound(list: readonly number[], start: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
