/**
 * The shape every match (`-m NAME`) and target (`-j NAME`) extension shares.
 *
 * An extension declares its options as data (names, argument count, whether `!` is allowed);
 * the rule parser collects the words into {@link Opt}s under the canonical option name, and the
 * extension's `canonicalize` then rewrites values and order into exactly what iptables-save
 * prints after the kernel has the rule (libxt_*'s `parse` followed by its `save`).
 */
import type { Opt } from '../rule.js';

/** One option of an extension. The first name is the one iptables-save prints. */
export interface OptSpec {
  readonly names: readonly string[];
  readonly nargs: 0 | 1 | 2;
  readonly negatable?: boolean;
}

/** What an extension sees of the rule it sits in. */
export interface ExtContext {
  readonly family: 4 | 6;
  /** The rule's `-p` protocol name when it is given without `!`. */
  readonly proto: string | undefined;
  /** Reports a problem with this extension's options (`IPT_BAD_OPTION`, `IPT_MISSING_ARG`, …). */
  report(code: string, message: string): void;
}

/** A match or target extension. */
export interface ExtensionDef {
  readonly name: string;
  readonly options: readonly OptSpec[];
  /** The one address family the extension exists in (icmp is iptables-only, icmp6 ip6tables-only). */
  readonly family?: 4 | 6;
  /** Protocols the rule must have (`-p tcp` for `-m tcp`); absent means any. */
  readonly protos?: readonly string[];
  /**
   * Rewrites the collected options into the printed form. Returns undefined when the kernel keeps
   * nothing of the extension (a tcp match whose only option was `! --dport 0:65535`).
   */
  readonly canonicalize: (opts: readonly Opt[], ctx: ExtContext) => readonly Opt[] | undefined;
  /**
   * A real match netsim does not evaluate (`-m string`, `-m connlimit`, …): its options are kept
   * as written, and the tracer follows both outcomes where a packet reaches it.
   */
  readonly opaque?: boolean;
}

const opaqueDefs = new Map<string, ExtensionDef>();

/** The definition of an unmodelled match: options taken as written (`--name [args…]`). */
export function opaqueMatch(name: string): ExtensionDef {
  let def = opaqueDefs.get(name);
  if (def === undefined) {
    def = { name, options: [], opaque: true, canonicalize: (opts) => opts };
    opaqueDefs.set(name, def);
  }
  return def;
}

/** Builds an option. */
export function opt(name: string, args: readonly string[] = [], neg = false): Opt {
  return { name, args, neg };
}

/** The option of that name, if given. */
export function find(opts: readonly Opt[], name: string): Opt | undefined {
  return opts.find((o) => o.name === name);
}

/**
 * Sorts options into the order the extension's save function prints them. A list already in
 * that order (one option, or as iptables-save wrote it) comes back as it is, not copied.
 */
export function inOrder(opts: readonly Opt[], order: readonly string[]): readonly Opt[] {
  const rank = (o: Opt): number => {
    const i = order.indexOf(o.name);
    return i < 0 ? order.length : i;
  };
  let sorted = true;
  for (let i = 1; i < opts.length && sorted; i++) sorted = rank(opts[i - 1] as Opt) <= rank(opts[i] as Opt);
  return sorted ? opts : [...opts].sort((a, b) => rank(a) - rank(b));
}

/**
 * Rewrites the argument(s) of each option with a per-name function; a function returning
 * undefined reports and keeps the input. Options whose arguments come back unchanged are kept
 * as they are, and so is the list when none changed.
 */
export function mapArgs(
  opts: readonly Opt[],
  ctx: ExtContext,
  fns: Readonly<Record<string, (args: readonly string[]) => readonly string[] | undefined>>,
): readonly Opt[] {
  let changed = false;
  const out = opts.map((o) => {
    const fn = fns[o.name];
    if (fn === undefined) return o;
    const args = fn(o.args);
    if (args === undefined) {
      ctx.report('IPT_BAD_OPTION', `bad value for ${o.name}: ${o.args.join(' ')}`);
      return o;
    }
    if (sameArgs(args, o.args)) return o;
    changed = true;
    return { ...o, args };
  });
  return changed ? out : opts;
}

/** True when both argument lists hold the same strings. */
export function sameArgs(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `o` with `args` as its arguments: `o` itself when they are already its arguments. */
export function withArgs(o: Opt, args: readonly string[]): Opt {
  return sameArgs(args, o.args) ? o : { ...o, args };
}

/** An extension without options (`-j ACCEPT`, `-j TRACE`). */
export function bare(name: string): ExtensionDef {
  return { name, options: [], canonicalize: (opts) => opts };
}
