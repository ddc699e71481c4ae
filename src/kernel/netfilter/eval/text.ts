/**
 * The iptables-save text of a rule, for `nf-rule` events. This is the engine's single import of
 * canonical rule text: it prints with a small stand-in until the syntax module's `printRule`
 * lands, then forwards to it. Texts are cached per rule object.
 */
import { canonicalCidr, formatCidr } from '../../../addr/cidr.js';
import type { Negatable, Opt, Rule } from '../rule.js';

const cache = new WeakMap<Rule, { chain: string; text: string }>();

/** Arguments iptables prints through `xtables_save_string` (quoted unless `[A-Za-z0-9_-]+`). */
const STRING_OPTS = new Set(['--comment', '--log-prefix', '--nflog-prefix']);

function quote(s: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(s)) return s;
  return `"${s.replace(/["\\']/g, (ch) => `\\${ch}`)}"`;
}

function opt(o: Opt): string {
  const args = STRING_OPTS.has(o.name) ? o.args.map(quote) : o.args;
  return [o.neg ? '!' : '', o.name, ...args].filter((w) => w !== '').join(' ');
}

function neg<T>(flag: string, n: Negatable<T> | undefined, show: (v: T) => string): string[] {
  if (n === undefined) return [];
  return n.neg ? ['!', flag, show(n.value)] : [flag, show(n.value)];
}

function standIn(chain: string, r: Rule): string {
  const words = [`-A ${chain}`];
  words.push(...neg('-s', r.src, (c) => formatCidr(canonicalCidr(c))));
  words.push(...neg('-d', r.dst, (c) => formatCidr(canonicalCidr(c))));
  words.push(...neg('-i', r.inIface, (s) => s));
  words.push(...neg('-o', r.outIface, (s) => s));
  words.push(...neg('-p', r.proto, (s) => s));
  if (r.fragment !== undefined) words.push(r.fragment.neg ? '! -f' : '-f');
  for (const m of r.matches) words.push(`-m ${m.module}`, ...m.opts.map(opt));
  if (r.target !== undefined) words.push(r.target.kind === 'goto' ? `-g ${r.target.name}` : `-j ${r.target.name}`, ...r.target.opts.map(opt));
  return words.join(' ');
}

/** `-A CHAIN …` exactly as iptables-save prints the rule. */
export function ruleText(chain: string, rule: Rule): string {
  const hit = cache.get(rule);
  if (hit !== undefined && hit.chain === chain) return hit.text;
  const text = standIn(chain, rule);
  cache.set(rule, { chain, text });
  return text;
}
