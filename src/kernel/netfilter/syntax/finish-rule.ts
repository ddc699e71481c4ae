/**
 * From a {@link Draft} (words as written) to canonical {@link Rule}s: what the kernel keeps and
 * iptables-save prints.
 *
 * Kernel facts (fixtures basic.rules): addresses lose their host bits and always print a prefix
 * (`-d 10.0.0.1` → `-d 10.0.0.1/32`); a /0 address is not printed; `-s a,b` becomes one rule per
 * address (sources outer, destinations inner); `-p all` prints nothing; `-p 47` prints `-p gre`.
 */
import type { Cidr } from '../../../addr/index.js';
import type { MatchSpec, Negatable, Opt, Rule, TargetSpec } from '../rule.js';
import type { Draft, DraftTarget, RawValue } from './draft.js';
import type { ExtContext } from './extension.js';
import type { WordContext } from './parse-rule.js';
import { protoName, protoNumber } from './protocols.js';
import { parseNetFast, utf8Length } from './values.js';

/** Builds the rules a draft stands for (more than one when `-s`/`-d` list addresses). */
export function finishRule(d: Draft, ctx: WordContext): Rule[] {
  const proto = d.proto === undefined ? undefined : canonProto(d.proto, ctx);
  const ext: ExtContext = {
    family: ctx.family,
    proto: proto === undefined || proto.neg ? undefined : proto.value,
    report: ctx.report,
  };
  const srcs = addresses(d.src, '-s', ctx);
  const dsts = addresses(d.dst, '-d', ctx);
  // In this order, which is the order of the diagnostics.
  const matches = finishMatches(d, ext);
  const inIface = d.inIface === undefined ? undefined : iface(d.inIface, ctx);
  const outIface = d.outIface === undefined ? undefined : iface(d.outIface, ctx);
  const fragment: Negatable<true> | undefined = d.fragment === undefined ? undefined : { value: true, neg: d.fragment.neg };
  const target = d.target === undefined ? undefined : finishTarget(d.target, ext);
  const counters = d.counters;
  const line = ctx.line;
  if (srcs.length === 1 && dsts.length === 1) {
    return [makeRule(matches, srcs[0], dsts[0], inIface, outIface, proto, fragment, target, counters, line)];
  }
  const rules: Rule[] = [];
  for (const src of srcs) {
    for (const dst of dsts) rules.push(makeRule(matches, src, dst, inIface, outIface, proto, fragment, target, counters, line));
  }
  return rules;
}

/**
 * The rule with the fields that are present, in the order iptables-save prints them (addresses
 * first; the key order is what JSON output shows). The shapes nearly every rule of a dump has
 * are written as one object literal each, which V8 lays out in one allocation; a rule grown field
 * by field keeps a second, out-of-object store, and a 700,000-line dump keeps 466,000 rules.
 */
// One parameter per field (not an options object): this runs once per rule of the dump.
export function makeRule(
  matches: Rule['matches'],
  src: Rule['src'] | undefined,
  dst: Rule['dst'] | undefined,
  inIface: Rule['inIface'] | undefined,
  outIface: Rule['outIface'] | undefined,
  proto: Rule['proto'] | undefined,
  fragment: Rule['fragment'] | undefined,
  target: Rule['target'] | undefined,
  counters: Rule['counters'] | undefined,
  line: number,
): Rule {
  if (inIface === undefined && outIface === undefined && fragment === undefined && counters === undefined && target !== undefined) {
    if (src === undefined) {
      if (dst === undefined) return proto === undefined ? { matches, target, line } : { matches, proto, target, line };
      return proto === undefined ? { matches, dst, target, line } : { matches, dst, proto, target, line };
    }
    if (dst === undefined) return proto === undefined ? { matches, src, target, line } : { matches, src, proto, target, line };
    return proto === undefined ? { matches, src, dst, target, line } : { matches, src, dst, proto, target, line };
  }
  const r: Mutable<Rule> = { matches };
  if (src !== undefined) r.src = src;
  if (dst !== undefined) r.dst = dst;
  if (inIface !== undefined) r.inIface = inIface;
  if (outIface !== undefined) r.outIface = outIface;
  if (proto !== undefined) r.proto = proto;
  if (fragment !== undefined) r.fragment = fragment;
  if (target !== undefined) r.target = target;
  if (counters !== undefined) r.counters = counters;
  r.line = line;
  return r;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function canonProto(raw: RawValue, ctx: WordContext): Negatable<string> | undefined {
  const num = protoNumber(raw.text);
  if (num === undefined) {
    ctx.report('IPT_BAD_OPTION', `unknown protocol "${raw.text}"`);
    return { value: raw.text, neg: raw.neg };
  }
  const name = protoName(num);
  return name === undefined ? undefined : internProto(name, raw.neg);
}

/** Protocol values are immutable and few: one object per name and `!`, shared by every rule. */
const protos = new Map<string, Negatable<string>>();

export function internProto(value: string, neg: boolean): Negatable<string> {
  const key = neg ? `!${value}` : value;
  let p = protos.get(key);
  if (p === undefined) {
    p = { value, neg };
    protos.set(key, p);
  }
  return p;
}

/**
 * `-i`/`-o`: 1 to 15 bytes (IFNAMSIZ - 1), a trailing `+` matches every name with that prefix.
 * Like xtables_parse_interface, a `/` or a space only warns: iptables-restore loads the rule,
 * which can never match a device the kernel would create.
 */
function iface(raw: RawValue, ctx: WordContext): Negatable<string> {
  if (raw.text.length === 0 || utf8Length(raw.text) > 15) {
    ctx.report('IPT_BAD_OPTION', `bad interface name "${raw.text}" (1 to 15 bytes)`);
  } else if (/[\s/]/.test(raw.text)) {
    ctx.warn?.('IPT_WEIRD_INTERFACE', `interface name "${raw.text}" has a character the kernel allows in no device name (/ or a space): the rule loads but never matches that way`);
  }
  return { value: raw.text, neg: raw.neg };
}

/** The addresses of `-s`/`-d`: one entry per listed address, `[undefined]` when absent or /0. */
function addresses(raw: RawValue | undefined, flag: string, ctx: WordContext): ReadonlyArray<Negatable<Cidr> | undefined> {
  if (raw === undefined) return NO_ADDRESS;
  const out: Array<Negatable<Cidr> | undefined> = [];
  for (const text of raw.text.includes(',') ? raw.text.split(',') : [raw.text]) {
    const c = parseNetFast(text);
    if (c === undefined || c.addr.family !== ctx.family) {
      const why = c === undefined ? 'not an address or prefix (host names are not resolved)' : `not an IPv${ctx.family} address`;
      ctx.report('IPT_BAD_ADDRESS', `${flag} ${text}: ${why}`);
      continue;
    }
    // A /0 without `!` matches everything, so the kernel keeps no test and nothing is printed.
    if (c.prefix === 0 && !raw.neg) {
      out.push(undefined);
      continue;
    }
    const value: Negatable<Cidr> = { value: c, neg: raw.neg };
    out.push(value);
  }
  return out.length === 0 ? NO_ADDRESS : out;
}

/** No `-s` (or no `-d`): one rule without the field. */
const NO_ADDRESS: ReadonlyArray<undefined> = Object.freeze([undefined]);

function finishMatches(d: Draft, ext: ExtContext): MatchSpec[] {
  // Sized once (map, then filter only if a match vanished): an array grown by push keeps a
  // 17-slot store, and the rules of a 700k-line dump keep their match lists.
  let dropped = false;
  const out = d.matches.map((m): MatchSpec | undefined => {
    const protos = m.def.protos;
    if (protos !== undefined && (ext.proto === undefined || !protos.includes(ext.proto))) {
      ext.report('IPT_BAD_OPTION', `-m ${m.def.name} needs -p ${protos.join(' or -p ')}`);
    }
    const opts = m.def.canonicalize(m.opts, ext);
    if (opts === undefined) dropped = true;
    return opts === undefined ? undefined : { module: m.def.name, opts };
  });
  return dropped ? out.filter((m) => m !== undefined) : (out as MatchSpec[]);
}

/** The options of a target that has none, shared (rules are immutable). */
const NO_OPTS: readonly Opt[] = Object.freeze([]);

function finishTarget(t: DraftTarget, ext: ExtContext): TargetSpec {
  const opts = t.def === undefined ? NO_OPTS : (t.def.canonicalize(t.opts, ext) ?? NO_OPTS);
  return { kind: t.kind, name: t.name, opts };
}
