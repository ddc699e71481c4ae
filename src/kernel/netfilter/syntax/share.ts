/**
 * Sharing identical parts of rules within one parse (hash-consing), so that a 700,000-line
 * `iptables-save` dump keeps one object for each distinct match, target and address rather
 * than one per rule.
 *
 * kube-proxy writes the same pieces over and over: `-m tcp --dport 80`, `-j KUBE-MARK-MASQ`,
 * `-m comment --comment "ns/svc:port"` on both rules of an endpoint chain, `! -s 10.244.0.0/16`
 * on every service chain. Rules are immutable plain data, so two rules may point at the same
 * {@link MatchSpec}: the values are equal either way, and `structuredClone` keeps the sharing.
 * Rule and Chain objects themselves are never shared (the evaluator caches per Rule and Chain).
 *
 * Sharing is best effort within a window of recent distinct values ({@link SHARE_WINDOW}).
 * A sharer lives for one parse and is then dropped with its maps; without one (the default,
 * `parseIptablesSave(text, { share: true })` asks for one) the parser builds every object afresh,
 * the straightforward path that share.property.test.ts compares with this one. Measured on the
 * 700,000-line dump, sharing keeps a fifth less heap per rule and costs about a fifth more CPU.
 */
import type { Cidr } from '../../../addr/index.js';
import type { MatchSpec, Negatable, Opt, TargetSpec } from '../rule.js';

/**
 * Objects found by their option list: no options, one option of at most one argument (the
 * common case, found without building a key), or any other list under a joined key. Maps are
 * made when first needed: most names (a jump's chain) only ever have one list.
 */
interface ByOpts<T> {
  none: T | undefined;
  /** One option without `!`, then with, by option name. */
  one: Map<string, ByArg<T>> | undefined;
  oneNeg: Map<string, ByArg<T>> | undefined;
  many: Map<string, T> | undefined;
}

interface ByArg<T> {
  bare: T | undefined;
  arg: Map<string, T> | undefined;
}

function byOpts<T>(): ByOpts<T> {
  return { none: undefined, one: undefined, oneNeg: undefined, many: undefined };
}

/**
 * Entries a map keeps: past that it starts again empty. Identical parts of a dump sit close
 * together (the rules of one service), and a small map stays in the CPU cache where a map of every
 * comment of a 700,000-line dump would cost more to search than sharing saves.
 */
export const SHARE_WINDOW = 1024;

/** `map.set(key, value)`, emptying the map first when it is full. */
function put<K, V>(map: Map<K, V>, key: K, value: V, window: number): void {
  if (map.size >= window) map.clear();
  map.set(key, value);
}

/** Separates the parts of a key; an option list holding it is not shared (it cannot be confused). */
const SEP = '\u0000';

/** A key for an option list of any shape, or undefined when a word holds the separator. */
function manyKey(opts: readonly Opt[]): string | undefined {
  let key = '';
  for (const o of opts) {
    if (o.name.includes(SEP)) return undefined;
    key += `${o.name}${SEP}${o.neg ? '!' : ''}${SEP}${o.args.length}`;
    for (const a of o.args) {
      if (a.includes(SEP)) return undefined;
      key += SEP + a;
    }
    key += SEP;
  }
  return key;
}

/** The object stored for `opts`, made by `make` the first time. */
function shared<T>(node: ByOpts<T>, opts: readonly Opt[], make: () => T, window: number): T {
  if (opts.length === 0) return (node.none ??= make());
  const o = opts[0] as Opt;
  if (opts.length === 1 && o.args.length <= 1) {
    const byName = o.neg ? (node.oneNeg ??= new Map()) : (node.one ??= new Map());
    let slot = byName.get(o.name);
    if (slot === undefined) {
      slot = { bare: undefined, arg: undefined };
      put(byName, o.name, slot, window);
    }
    const a = o.args[0];
    if (a === undefined) return (slot.bare ??= make());
    return lookup((slot.arg ??= new Map()), a, make, window);
  }
  const key = manyKey(opts);
  return key === undefined ? make() : lookup((node.many ??= new Map()), key, make, window);
}

/** The value under `key`, made and stored the first time. */
function lookup<T>(map: Map<string, T>, key: string, make: () => T, window: number): T {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    put(map, key, v, window);
  }
  return v;
}

/** The sharing state of one parse. */
export interface Sharer {
  /** `-m MODULE opts…`, one object per distinct module and option list. */
  match(module: string, opts: readonly Opt[]): MatchSpec;
  /** `-j`/`-g NAME opts…`, one object per distinct kind, name and option list. */
  target(kind: TargetSpec['kind'], name: string, opts: readonly Opt[]): TargetSpec;
  /** A `-s`/`-d` value already parsed for this text and `!`, if any. */
  address(text: string, neg: boolean): Negatable<Cidr> | undefined;
  /** Remembers the value of a `-s`/`-d` text. */
  rememberAddress(text: string, neg: boolean, value: Negatable<Cidr>): void;
}

/** A new, empty sharer for one parse, keeping up to `window` entries a map. */
export function newSharer(window = SHARE_WINDOW): Sharer {
  const matches = new Map<string, ByOpts<MatchSpec>>();
  const targets: Record<TargetSpec['kind'], Map<string, ByOpts<TargetSpec>>> = { verdict: new Map(), extension: new Map(), jump: new Map(), goto: new Map() };
  const addrs: [Map<string, Negatable<Cidr>>, Map<string, Negatable<Cidr>>] = [new Map(), new Map()];
  return {
    match(module, opts) {
      let node = matches.get(module);
      if (node === undefined) {
        node = byOpts();
        put(matches, module, node, window);
      }
      return shared(node, opts, () => ({ module, opts }), window);
    },
    target(kind, name, opts) {
      const byName = targets[kind];
      let node = byName.get(name);
      if (node === undefined) {
        node = byOpts();
        put(byName, name, node, window);
      }
      return shared(node, opts, () => ({ kind, name, opts }), window);
    },
    address: (text, neg) => addrs[neg ? 1 : 0].get(text),
    rememberAddress(text, neg, value) {
      put(addrs[neg ? 1 : 0], text, value, window);
    },
  };
}
