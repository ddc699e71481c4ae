/**
 * `nft -f FILE`: a script of commands (`add table|chain|set|map|element|rule`, `insert rule`,
 * `flush ruleset|table|chain|set|map`, `delete table|chain`) and/or `table FAMILY NAME { … }`
 * blocks as `nft list ruleset` prints them, applied in order to a ruleset with the kernel's
 * checks: a rule may only jump to a chain and look up a set that exist when it is added (in a
 * block, by the end of the block, as nft orders a block's chains before its rules). Errors are
 * diagnostics with file:line:col and an NFT_* code; a failing command is skipped, as nft does
 * not apply a transaction with errors (the caller decides what to do with the partial value).
 */
import type { Diagnostic, Parsed } from '../../../diag/diagnostic.js';
import type { NftBase, NftChainType, NftFamily, NftHook, NftRuleset, NftSet, NftType } from './model.js';
import { describe, elementList, fail, NftSyntaxError, quoted, word } from './parse-expr.js';
import { parseRule } from './parse-rule.js';
import { parsePriority } from './priority.js';
import { Builder } from './builder.js';
import { Cursor, tokenize } from './tokenize.js';
import { parseTime } from './values.js';

const FAMILIES = new Set<string>(['ip', 'ip6', 'inet']);
const HOOKS = new Set<string>(['prerouting', 'input', 'forward', 'output', 'postrouting']);
const CHAIN_TYPES = new Set<string>(['filter', 'nat', 'route']);
const TYPES = new Set<string>(['ipv4_addr', 'ipv6_addr', 'inet_proto', 'inet_service', 'mark', 'integer', 'ifname', 'verdict']);

/** Parses and applies an nft script to `base` (the empty ruleset by default). */
export function parseNft(text: string, opts: { readonly file: string; readonly base?: NftRuleset }): Parsed<NftRuleset> {
  const cur = new Cursor(tokenize(text), opts.file);
  const b = new Builder(opts.base);
  const diagnostics: Diagnostic[] = [];
  for (;;) {
    cur.skipNl(true);
    if (cur.peek().kind === 'eof') break;
    const start = cur.mark();
    try {
      command(cur, b);
      if (!cur.atEnd()) fail(cur, 'NFT_SYNTAX', `unexpected ${describe(cur.peek())}`);
    } catch (e) {
      if (!(e instanceof NftSyntaxError)) throw e;
      diagnostics.push(e.diagnostic);
      b.abandonBlock();
      skipCommand(cur, start);
    }
  }
  return { value: b.build(), diagnostics };
}

/** Skips the failed command from its first token: to the end of its line, past any braces it opened. */
function skipCommand(cur: Cursor, start: number): void {
  cur.reset(start);
  let depth = 0;
  for (;;) {
    const t = cur.peek();
    if (t.kind === 'eof' || (t.kind === 'nl' && depth <= 0)) return;
    if (t.text === '{' && t.kind === 'punct') depth++;
    if (t.text === '}' && t.kind === 'punct') depth--;
    cur.next();
  }
}

function family(cur: Cursor): NftFamily {
  if (FAMILIES.has(cur.peek().text) && cur.peek(1).kind === 'word') return cur.next().text as NftFamily;
  if (cur.is('arp') || cur.is('bridge') || cur.is('netdev')) fail(cur, 'NFT_UNSUPPORTED', `the ${cur.peek().text} family is not modelled`);
  return 'ip';
}

function command(cur: Cursor, b: Builder): void {
  const t = cur.next();
  switch (t.text) {
    case 'table':
      return tableBlock(cur, b);
    case 'add':
    case 'create':
    case 'insert':
      return addCommand(cur, b, t.text);
    case 'flush':
      return flushCommand(cur, b);
    case 'delete':
    case 'destroy':
      return deleteCommand(cur, b);
    default:
      return fail(cur, 'NFT_SYNTAX', `unexpected ${describe(t)}: expected a command (add, insert, flush, delete) or a table block`, t);
  }
}

function addCommand(cur: Cursor, b: Builder, verb: string): void {
  const what = word(cur, 'table, chain, rule, set, map or element');
  if (verb === 'insert' && what !== 'rule') fail(cur, 'NFT_SYNTAX', 'insert applies to rules only');
  const fam = family(cur);
  if (what === 'table') {
    const name = word(cur, 'a table name');
    b.addTable(fam, name);
    if (cur.eat('{')) {
      cur.skipNl(true);
      if (cur.eat('comment')) b.setTableComment(fam, name, quoted(cur, 'a comment'));
      cur.skipNl(true);
      if (!cur.eat('}')) fail(cur, 'NFT_SYNTAX', 'expected "}"');
    }
    return;
  }
  const table = word(cur, 'a table name');
  b.table(cur, fam, table);
  const name = word(cur, what === 'rule' ? 'a chain name' : `a ${what} name`);
  switch (what) {
    case 'chain':
      b.addChain(cur, fam, table, name);
      if (cur.eat('{')) chainBody(cur, b, fam, table, name, false);
      return;
    case 'rule': {
      const rule = parseRule(cur);
      b.addRule(cur, fam, table, name, rule, verb === 'insert' ? 'front' : 'back', true);
      return;
    }
    case 'set':
    case 'map':
      return setBlock(cur, b, fam, table, name, what);
    case 'element': {
      const set = b.set(cur, fam, table, name);
      b.addElements(cur, fam, table, name, elementList(cur, set.keyType, set.dataType));
      return;
    }
    default:
      return fail(cur, 'NFT_SYNTAX', `add ${what}: expected table, chain, rule, set, map or element`);
  }
}

function flushCommand(cur: Cursor, b: Builder): void {
  const what = word(cur, 'ruleset, table, chain, set or map');
  if (what === 'ruleset') return b.flushRuleset();
  const fam = family(cur);
  const table = word(cur, 'a table name');
  if (what === 'table') return b.flushTable(cur, fam, table);
  const name = word(cur, `a ${what} name`);
  if (what === 'chain') return b.flushChain(cur, fam, table, name);
  if (what === 'set' || what === 'map') return b.flushSet(cur, fam, table, name);
  return fail(cur, 'NFT_SYNTAX', `flush ${what}: expected ruleset, table, chain, set or map`);
}

function deleteCommand(cur: Cursor, b: Builder): void {
  const what = word(cur, 'table or chain');
  const fam = family(cur);
  const table = word(cur, 'a table name');
  if (what === 'table') return b.deleteTable(cur, fam, table);
  if (what === 'chain') return b.deleteChain(cur, fam, table, word(cur, 'a chain name'));
  return fail(cur, 'NFT_UNSUPPORTED', `delete ${what} is not modelled (flush and re-add instead)`);
}

/** `table FAMILY NAME { comment "…" set … map … chain … }`. */
function tableBlock(cur: Cursor, b: Builder): void {
  const fam = family(cur);
  const name = word(cur, 'a table name');
  b.addTable(fam, name);
  if (!cur.eat('{')) fail(cur, 'NFT_SYNTAX', 'expected "{"');
  b.beginBlock();
  for (;;) {
    cur.skipNl(true);
    if (cur.eat('}')) break;
    const t = cur.next();
    if (t.text === 'comment') b.setTableComment(fam, name, quoted(cur, 'a comment'));
    else if (t.text === 'set' || t.text === 'map') setBlock(cur, b, fam, name, word(cur, `a ${t.text} name`), t.text);
    else if (t.text === 'chain') {
      const chain = word(cur, 'a chain name');
      b.addChain(cur, fam, name, chain);
      if (!cur.eat('{')) fail(cur, 'NFT_SYNTAX', 'expected "{"');
      chainBody(cur, b, fam, name, chain, true);
    } else fail(cur, 'NFT_SYNTAX', `unexpected ${describe(t)} in a table: expected comment, set, map or chain`, t);
  }
  b.endBlock();
}

/** The body of a chain after `{`: declaration (`type … hook … priority …; policy …;`, comment) and, in blocks, rules. */
function chainBody(cur: Cursor, b: Builder, fam: NftFamily, table: string, chain: string, rules: boolean): void {
  for (;;) {
    cur.skipNl(true);
    if (cur.eat('}')) return;
    if (cur.is('type')) {
      cur.next();
      b.setBase(cur, fam, table, chain, baseDecl(cur));
    } else if (cur.is('policy')) {
      cur.next();
      const p = word(cur, 'accept or drop');
      if (p !== 'accept' && p !== 'drop') fail(cur, 'NFT_BAD_VALUE', `policy ${p}: expected accept or drop`);
      b.setPolicy(cur, fam, table, chain, p);
    } else if (cur.is('comment') && cur.peek(1).kind === 'string' && cur.peek(2).kind !== 'word') {
      cur.next();
      b.setChainComment(fam, table, chain, quoted(cur, 'a comment'));
    } else if (rules) {
      b.addRule(cur, fam, table, chain, parseRule(cur), 'back', false);
    } else fail(cur, 'NFT_SYNTAX', `unexpected ${describe(cur.peek())} in a chain declaration`);
  }
}

function baseDecl(cur: Cursor): Omit<NftBase, 'policy'> {
  const type = word(cur, 'filter, nat or route');
  if (!CHAIN_TYPES.has(type)) fail(cur, 'NFT_BAD_VALUE', `chain type ${type}: expected filter, nat or route`);
  if (!cur.eat('hook')) fail(cur, 'NFT_SYNTAX', 'expected hook');
  const hookTok = cur.peek();
  const hook = word(cur, 'a hook');
  if (!HOOKS.has(hook)) fail(cur, 'NFT_UNSUPPORTED', `hook ${hook} is not modelled (prerouting, input, forward, output, postrouting)`, hookTok);
  if (cur.eat('device')) word(cur, 'a device');
  if (!cur.eat('priority')) fail(cur, 'NFT_SYNTAX', 'expected priority');
  const priority = parsePriority(cur, hook as NftHook);
  return { type: type as NftChainType, hook: hook as NftHook, priority };
}

/** `{ type K [. K…] [: D] ; flags …; timeout …; size …; comment "…"; elements = { … } }`. */
function setBlock(cur: Cursor, b: Builder, fam: NftFamily, table: string, name: string, what: 'set' | 'map'): void {
  if (!cur.eat('{')) fail(cur, 'NFT_SYNTAX', 'expected "{"');
  let keyType: NftType[] = [];
  let dataType: NftType | undefined;
  const decl: { -readonly [K in keyof NftSet]?: NftSet[K] } = {};
  let elements: ReturnType<typeof elementList> = [];
  for (;;) {
    cur.skipNl(true);
    if (cur.eat('}')) break;
    const t = cur.next();
    if (t.text === 'type') {
      keyType = [typeName(cur)];
      while (cur.eat('.')) keyType.push(typeName(cur));
      if (cur.eat(':')) dataType = typeName(cur);
    } else if (t.text === 'flags') {
      const flags = [word(cur, 'a flag')];
      while (cur.eat(',')) flags.push(word(cur, 'a flag'));
      for (const f of flags) if (!['constant', 'dynamic', 'interval', 'timeout'].includes(f)) fail(cur, 'NFT_UNSUPPORTED', `set flag ${f} is not modelled`, t);
      decl.flags = flags as NftSet['flags'];
    } else if (t.text === 'timeout') decl.timeout = parseTime(word(cur, 'a time')) ?? fail(cur, 'NFT_BAD_VALUE', 'bad timeout', t);
    else if (t.text === 'size') decl.size = Number(word(cur, 'a size'));
    else if (t.text === 'comment') decl.comment = quoted(cur, 'a comment');
    else if (t.text === 'policy') word(cur, 'performance or memory');
    else if (t.text === 'elements') {
      if (!cur.eat('=')) fail(cur, 'NFT_SYNTAX', 'expected "="');
      elements = elementList(cur, keyType, dataType);
    } else fail(cur, 'NFT_SYNTAX', `unexpected ${describe(t)} in a ${what}`, t);
  }
  if (keyType.length === 0) fail(cur, 'NFT_SYNTAX', `${what} ${name}: missing type`);
  if ((what === 'map') !== (dataType !== undefined)) fail(cur, 'NFT_SYNTAX', what === 'map' ? `map ${name}: type needs ": DATATYPE"` : `set ${name}: a set has no data type (use map)`);
  b.addSet(cur, fam, table, { name, keyType, ...(dataType !== undefined ? { dataType } : {}), flags: decl.flags ?? [], ...decl, elements: [] });
  if (elements.length > 0) b.addElements(cur, fam, table, name, elements);
}

function typeName(cur: Cursor): NftType {
  const t = cur.peek();
  const w = word(cur, 'a data type');
  if (!TYPES.has(w)) fail(cur, 'NFT_UNSUPPORTED', `data type ${w} is not modelled`, t);
  return w as NftType;
}
