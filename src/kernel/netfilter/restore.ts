/**
 * `iptables-restore [--noflush]`: loading a payload into a namespace's netfilter state.
 *
 * Without --noflush every table in the payload is replaced. With --noflush (how kube-proxy and
 * CNI plugins write their rules) a table is merged: a chain declared with `:CHAIN` is flushed
 * and refilled, `-A` to a chain that is not declared appends to what is there, `-X CHAIN`
 * deletes it, and everything else in the table stays as it was.
 */
import { type Diagnostic, type Parsed, error, hasErrors } from '../../diag/diagnostic.js';
import type { TableName } from '../events.js';
import type { Chain, Rule, Ruleset, Table } from './rule.js';
import { BUILTIN_CHAINS, type NetfilterState, getRuleset, isBuiltinChain, loadRuleset } from './state.js';
import { parseIptablesSave } from './syntax/index.js';
import { nestingMessage } from './syntax/nesting-text.js';
import { nestingProblem } from './syntax/nesting.js';

/** Options of {@link iptablesRestore}. */
export interface RestoreOptions {
  readonly file: string;
  readonly family: 4 | 6;
  readonly noflush: boolean;
  /**
   * Tables the caller has proven to pass the nesting check as merged (no loop, depth and chain
   * entries within the limits): their walk is skipped. Only restoreParsed's callers know enough
   * to say so (cluster/assemble/proxy-nesting.ts proves it for kube-proxy's shared payload).
   */
  readonly provenTables?: ReadonlySet<TableName>;
}

/**
 * Parses payloads once: a cluster's nodes usually receive the same kube-proxy payload, and the
 * parsed rules are immutable plain data, so nodes can share them (and their compiled matchers).
 * Bounded, so a long-lived process does not keep every payload it ever saw.
 */
const parseCache = new Map<string, Parsed<Ruleset>>();
const PARSE_CACHE_LIMIT = 16;

function parseOnce(text: string, opts: RestoreOptions): Parsed<Ruleset> {
  const key = `${opts.family}\u0000${opts.file}\u0000${text}`;
  const hit = parseCache.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseIptablesSave(text, { file: opts.file, family: opts.family });
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.delete(parseCache.keys().next().value as string);
  parseCache.set(key, parsed);
  return parsed;
}

/** Loads an iptables-restore payload. On any error nothing is changed, as the real command commits nothing. */
export function iptablesRestore(state: NetfilterState, text: string, opts: RestoreOptions): Parsed<void> {
  const parsed = parseOnce(text, opts);
  if (hasErrors(parsed.diagnostics)) return { value: undefined, diagnostics: parsed.diagnostics };
  if (!opts.noflush) {
    loadRuleset(state, parsed.value);
    return { value: undefined, diagnostics: parsed.diagnostics };
  }
  const merged = restoreParsed(state, parsed.value, scanDeclarations(text), opts);
  return { value: undefined, diagnostics: [...parsed.diagnostics, ...merged] };
}

/**
 * `iptables-restore --noflush` of a payload already parsed (each table as parseIptablesSave
 * gives it: built-in chains first, then user chains in name order), with the chains each table
 * declares or deletes. For a writer that assembles its payload from parts it parsed once
 * (kube-proxy's shared rules, cluster/assemble/proxy-parts.ts); the text path above is the same
 * merge. Returns the kernel's refusals; on any, nothing is changed.
 */
export function restoreParsed(state: NetfilterState, payload: Ruleset, declared: ReadonlyMap<TableName, Declarations>, opts: RestoreOptions): Diagnostic[] {
  const current = getRuleset(state, opts.family);
  const merged: Ruleset = {
    family: opts.family,
    tables: payload.tables.map((t) => mergeTable(current.tables.find((c) => c.name === t.name), t, declared.get(t.name))),
  };
  const refused = nestingDiagnostics({ ...merged, tables: merged.tables.filter((t) => opts.provenTables?.has(t.name) !== true) }, payload, opts.file);
  if (refused.length === 0) loadRuleset(state, merged);
  return refused;
}

/**
 * With --noflush the kernel validates each table as merged with what was loaded before: the
 * payload alone may be fine and still close a loop through an existing chain. Rules already
 * loaded come first in load order; the payload's follow by line.
 */
function nestingDiagnostics(merged: Ruleset, payload: Ruleset, file: string): Diagnostic[] {
  // Which rules the payload brought is asked only once a table is refused (kube-proxy's
  // payload on a large node has 150,000 rules and is never refused).
  let freshRules: Set<Rule> | undefined;
  const fresh = (r: Rule): boolean => (freshRules ??= new Set(payload.tables.flatMap((t) => t.chains.flatMap((c) => c.rules)))).has(r);
  const out: Diagnostic[] = [];
  for (const t of merged.tables) {
    const p = nestingProblem(t, (r) => (fresh(r) ? (r.line ?? 1) : 0));
    if (p === undefined) continue;
    const [code, message] = nestingMessage(t.name, p);
    out.push(error(code, message, { file, line: fresh(p.rule) ? (p.rule.line ?? 1) : 1 }));
  }
  return out;
}

/** The chains one table of a payload declares (`:CHAIN`) and deletes (`-X CHAIN`). */
export interface Declarations {
  readonly declared: { has(chain: string): boolean };
  readonly deleted: ReadonlySet<string>;
}

/** Which chains each table of the payload declares (`:CHAIN`) or deletes (`-X CHAIN`). */
function scanDeclarations(text: string): Map<TableName, Declarations> {
  const out = new Map<TableName, { declared: Set<string>; deleted: Set<string> }>();
  let current: { declared: Set<string>; deleted: Set<string> } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) {
      current = { declared: new Set(), deleted: new Set() };
      out.set(line.slice(1) as TableName, current);
    } else if (line.startsWith(':') && current !== undefined) {
      current.declared.add(line.slice(1).split(/\s+/)[0] ?? '');
    } else if (current !== undefined) {
      const m = /^(?:-X|--delete-chain)\s+(\S+)/.exec(line);
      if (m?.[1] !== undefined) current.deleted.add(m[1]);
    }
  }
  return out;
}

/** One table after a --noflush restore. */
function mergeTable(existing: Table | undefined, payload: Table, decl: Declarations | undefined): Table {
  const base: Chain[] = existing !== undefined ? [...existing.chains] : BUILTIN_CHAINS[payload.name].map((name) => ({ name, policy: 'ACCEPT' as const, rules: [] }));
  const byName = new Map(base.map((c, i) => [c.name, i]));
  for (const chain of payload.chains) {
    const at = byName.get(chain.name);
    const isDeclared = decl?.declared.has(chain.name) ?? false;
    if (at === undefined) {
      // A parsed table names each chain once, so a new chain needs no index entry.
      base.push(chain);
    } else if (isDeclared && !isBuiltinChain(payload.name, chain.name)) {
      base[at] = chain;
    } else if (isDeclared) {
      const old = base[at] as Chain;
      base[at] = { ...old, ...(chain.policy !== undefined ? { policy: chain.policy } : {}), rules: [...old.rules, ...chain.rules] };
    } else if (chain.rules.length > 0) {
      const old = base[at] as Chain;
      base[at] = { ...old, rules: [...old.rules, ...chain.rules] };
    }
  }
  const deleted: ReadonlySet<string> = decl?.deleted ?? new Set<string>();
  return { name: payload.name, chains: deleted.size === 0 ? base : base.filter((c) => !deleted.has(c.name)) };
}
