/**
 * From a {@link Draft} (words as written) to canonical {@link Rule}s: what the kernel keeps and
 * iptables-save prints.
 *
 * Kernel facts (fixtures basic.rules): addresses lose their host bits and always print a prefix
 * (`-d 10.0.0.1` → `-d 10.0.0.1/32`); a /0 address is not printed; `-s a,b` becomes one rule per
 * address (sources outer, destinations inner); `-p all` prints nothing; `-p 47` prints `-p gre`.
 */
import { type Cidr, canonicalCidr } from '../../../addr/index.js';
import type { MatchSpec, Negatable, Rule, TargetSpec } from '../rule.js';
import type { Draft, DraftTarget, RawValue } from './draft.js';
import type { ExtContext } from './extension.js';
import type { WordContext } from './parse-rule.js';
import { protoName, protoNumber } from './protocols.js';
import { parseCidrFast, utf8Length } from './values.js';

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
  const rest: Mutable<Rule> = { matches: finishMatches(d, ext) };
  // Filled field by field rather than by spreading: this runs once per line of a 100k-line dump.
  if (d.inIface !== undefined) rest.inIface = iface(d.inIface, ctx);
  if (d.outIface !== undefined) rest.outIface = iface(d.outIface, ctx);
  if (proto !== undefined) rest.proto = proto;
  if (d.fragment !== undefined) rest.fragment = { value: true, neg: d.fragment.neg };
  if (d.target !== undefined) rest.target = finishTarget(d.target, ext);
  if (d.counters !== undefined) rest.counters = d.counters;
  rest.line = ctx.line;
  const rules: Rule[] = [];
  for (const s of srcs) {
    for (const t of dsts) rules.push(withAddresses(rest, s, t));
  }
  return rules;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The rule with its addresses first, in the field order iptables-save prints. */
function withAddresses(rest: Rule, src: Negatable<Cidr> | undefined, dst: Negatable<Cidr> | undefined): Rule {
  if (src === undefined && dst === undefined) return rest;
  const r: Mutable<Rule> = { matches: rest.matches };
  if (src !== undefined) r.src = src;
  if (dst !== undefined) r.dst = dst;
  return Object.assign(r, rest);
}

function canonProto(raw: RawValue, ctx: WordContext): Negatable<string> | undefined {
  const num = protoNumber(raw.text);
  if (num === undefined) {
    ctx.report('IPT_BAD_OPTION', `unknown protocol "${raw.text}"`);
    return { value: raw.text, neg: raw.neg };
  }
  const name = protoName(num);
  return name === undefined ? undefined : { value: name, neg: raw.neg };
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
function addresses(raw: RawValue | undefined, flag: string, ctx: WordContext): Array<Negatable<Cidr> | undefined> {
  if (raw === undefined) return [undefined];
  const out: Array<Negatable<Cidr> | undefined> = [];
  for (const text of raw.text.split(',')) {
    const c = parseCidrFast(text);
    if (c === undefined || c.addr.family !== ctx.family) {
      const why = c === undefined ? 'not an address or prefix (host names are not resolved)' : `not an IPv${ctx.family} address`;
      ctx.report('IPT_BAD_ADDRESS', `${flag} ${text}: ${why}`);
      continue;
    }
    // A /0 without `!` matches everything, so the kernel keeps no test and nothing is printed.
    out.push(c.prefix === 0 && !raw.neg ? undefined : { value: canonicalCidr(c), neg: raw.neg });
  }
  return out.length === 0 ? [undefined] : out;
}

function finishMatches(d: Draft, ext: ExtContext): MatchSpec[] {
  const out: MatchSpec[] = [];
  for (const m of d.matches) {
    const protos = m.def.protos;
    if (protos !== undefined && (ext.proto === undefined || !protos.includes(ext.proto))) {
      ext.report('IPT_BAD_OPTION', `-m ${m.def.name} needs -p ${protos.join(' or -p ')}`);
    }
    const opts = m.def.canonicalize(m.opts, ext);
    if (opts !== undefined) out.push({ module: m.def.name, opts });
  }
  return out;
}

function finishTarget(t: DraftTarget, ext: ExtContext): TargetSpec {
  if (t.def === undefined) return { kind: t.kind, name: t.name, opts: [] };
  const opts = t.def.canonicalize(t.opts, ext) ?? [];
  return { kind: t.kind, name: t.name, opts };
}
