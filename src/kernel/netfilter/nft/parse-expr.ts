/**
 * Left-hand expressions of nft rules (`ip daddr`, `meta l4proto`, `th dport`, `ct state`,
 * `fib saddr type`, `numgen random mod 2`, concatenations with `.`, `& | ^` masks) and the
 * right-hand values, sets and verdicts they are compared with or looked up in.
 */
import type { Diagnostic } from '../../../diag/diagnostic.js';
import { error } from '../../../diag/diagnostic.js';
import type { NftElement, NftExpr, NftSetRef, NftType, NftValue, NftVerdict } from './model.js';
import type { Cursor, Token } from './tokenize.js';
import { sortElements } from './sort.js';
import { parseTime, parseValue, typesOf } from './values.js';

/** Thrown inside the parser to abandon one command; caught by the command loop. */
export class NftSyntaxError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** Abandons the current command with a diagnostic at `tok`. */
export function fail(cur: Cursor, code: string, message: string, tok: Token = cur.peek()): never {
  throw new NftSyntaxError(error(code, message, cur.pos(tok)));
}

/** A word (or, with `strings`, a quoted string); fails otherwise. */
export function word(cur: Cursor, what: string): string {
  const t = cur.peek();
  if (t.kind !== 'word' && t.kind !== 'string') fail(cur, 'NFT_SYNTAX', `expected ${what}, got ${describe(t)}`);
  cur.next();
  return t.text;
}

/** A quoted string. */
export function quoted(cur: Cursor, what: string): string {
  const t = cur.peek();
  if (t.kind !== 'string') fail(cur, 'NFT_SYNTAX', `expected ${what} (a quoted string), got ${describe(t)}`);
  cur.next();
  return t.text;
}

/** `"word"`, `newline`, `end of file` for messages. */
export function describe(t: Token): string {
  if (t.kind === 'nl') return 'end of line';
  if (t.kind === 'eof') return 'end of file';
  return t.kind === 'string' ? `"${t.text}"` : `'${t.text}'`;
}

const PAYLOAD_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ip: ['saddr', 'daddr', 'protocol'],
  ip6: ['saddr', 'daddr', 'nexthdr'],
  tcp: ['sport', 'dport', 'flags'],
  udp: ['sport', 'dport'],
  sctp: ['sport', 'dport'],
  th: ['sport', 'dport'],
};
const META_KEYS = new Set(['l4proto', 'mark', 'iifname', 'oifname', 'nfproto', 'nftrace', 'protocol']);
/** Keys nft accepts without `meta` (and prints without it for iifname/oifname). */
const BARE_META = new Set(['mark', 'l4proto', 'iifname', 'oifname', 'nfproto', 'nftrace']);
const CT_KEYS = new Set(['state', 'status', 'mark']);
const FIB_RESULTS = new Set(['type', 'oif', 'oifname']);

/** True when the word starts an expression. */
export function startsExpr(w: string): boolean {
  return w in PAYLOAD_FIELDS || w === 'meta' || w === 'ct' || w === 'fib' || w === 'numgen' || BARE_META.has(w);
}

function primary(cur: Cursor): NftExpr {
  const t = cur.next();
  const w = t.text;
  const fields = PAYLOAD_FIELDS[w];
  if (fields !== undefined) {
    const f = cur.peek().text;
    if (!fields.includes(f)) fail(cur, 'NFT_UNSUPPORTED', `${w} ${f}: netsim models only ${fields.map((x) => `${w} ${x}`).join(', ')}`);
    cur.next();
    return { kind: 'payload', proto: w as 'ip', field: f };
  }
  if (w === 'meta' || BARE_META.has(w)) {
    const key = w === 'meta' ? cur.next().text : w;
    if (!META_KEYS.has(key)) fail(cur, 'NFT_UNSUPPORTED', `meta ${key} is not modelled`, t);
    return { kind: 'meta', key };
  }
  if (w === 'ct') {
    const key = cur.next().text;
    if (!CT_KEYS.has(key)) fail(cur, 'NFT_UNSUPPORTED', `ct ${key} is not modelled`, t);
    return { kind: 'ct', key };
  }
  if (w === 'fib') return fib(cur, t);
  if (w === 'numgen') return numgen(cur);
  return fail(cur, 'NFT_SYNTAX', `expected an expression, got ${describe(t)}`, t);
}

function fib(cur: Cursor, t: Token): NftExpr {
  const flags: string[] = [];
  while (!FIB_RESULTS.has(cur.peek().text)) {
    if (cur.atEnd()) fail(cur, 'NFT_SYNTAX', 'fib: expected type, oif or oifname', t);
    const f = cur.next().text;
    if (f !== '.') flags.push(f);
  }
  return { kind: 'fib', flags, result: cur.next().text as 'type' };
}

function numgen(cur: Cursor): NftExpr {
  const mode = cur.next().text;
  if (mode !== 'random' && mode !== 'inc') fail(cur, 'NFT_SYNTAX', `numgen: expected random or inc, got ${mode}`);
  if (!cur.eat('mod')) fail(cur, 'NFT_SYNTAX', 'numgen: expected mod');
  const mod = Number(word(cur, 'a modulus'));
  if (!Number.isInteger(mod) || mod < 1) fail(cur, 'NFT_BAD_VALUE', 'numgen: the modulus must be a positive integer');
  if (cur.eat('offset')) return { kind: 'numgen', mode, mod, offset: Number(word(cur, 'an offset')) };
  return { kind: 'numgen', mode, mod };
}

const BINOPS: Readonly<Record<string, '&' | '|' | '^'>> = { '&': '&', and: '&', '|': '|', or: '|', '^': '^', xor: '^' };

/** An expression: primaries joined by `.`, then an optional `& | ^ VALUE`. */
export function expr(cur: Cursor): NftExpr {
  const parts = [primary(cur)];
  while (cur.is('.')) {
    cur.next();
    parts.push(primary(cur));
  }
  let e: NftExpr = parts.length === 1 ? (parts[0] as NftExpr) : { kind: 'concat', parts };
  const op = BINOPS[cur.peek().text];
  if (op !== undefined && cur.peek().kind === 'word') {
    cur.next();
    e = { kind: 'binop', op, left: e, right: value(cur, typesOf(e)[0] ?? 'integer') };
  }
  return e;
}

/** One value of `type`. */
export function value(cur: Cursor, type: NftType): NftValue {
  const t = cur.peek();
  if (t.kind !== 'word' && t.kind !== 'string') fail(cur, 'NFT_SYNTAX', `expected a ${type} value, got ${describe(t)}`);
  cur.next();
  const v = parseValue(t.text, type, t.kind === 'string');
  if (v === undefined) fail(cur, 'NFT_BAD_VALUE', `"${t.text}" is not a valid ${type}`, t);
  if ((type === 'ct_state' || type === 'tcp_flag') && v.kind === 'flags') return flagList(cur, v.names, type);
  return v;
}

/** `established,related` arrives as words and commas; `syn / syn,ack` adds a mask. */
function flagList(cur: Cursor, first: readonly string[], type: NftType): NftValue {
  const names = [...first];
  while (cur.is(',') && cur.peek(1).kind === 'word') {
    cur.next();
    names.push(cur.next().text);
  }
  const v: NftValue = { kind: 'flags', names };
  if (type === 'tcp_flag' && cur.is('/')) {
    cur.next();
    return { kind: 'masked', value: v, mask: value(cur, type) };
  }
  return v;
}

/** A verdict, or undefined when the word is not one. */
export function verdict(cur: Cursor): NftVerdict | undefined {
  const w = cur.peek().text;
  if (cur.peek().kind !== 'word') return undefined;
  if (w === 'accept' || w === 'drop' || w === 'continue' || w === 'return') {
    cur.next();
    return { kind: w };
  }
  if (w === 'jump' || w === 'goto') {
    cur.next();
    return { kind: w, chain: word(cur, 'a chain name') };
  }
  return undefined;
}

/** `KEY[ . KEY…] [comment "…"] [timeout T] [: DATA]` inside `{ }`. */
export function element(cur: Cursor, keyTypes: readonly NftType[], dataType: NftType | undefined): NftElement {
  const key: NftValue[] = [];
  for (const [i, type] of keyTypes.entries()) {
    if (i > 0 && !cur.eat('.')) fail(cur, 'NFT_BAD_VALUE', `expected ${keyTypes.length} values joined by "." (${keyTypes.join(' . ')})`);
    key.push(value(cur, type));
  }
  let comment: string | undefined;
  let timeout: number | undefined;
  for (;;) {
    if (cur.eat('comment')) comment = quoted(cur, 'a comment');
    else if (cur.eat('timeout')) timeout = parseTime(word(cur, 'a time')) ?? fail(cur, 'NFT_BAD_VALUE', 'bad timeout');
    else break;
  }
  let data: NftElement['data'];
  if (dataType !== undefined) {
    if (!cur.eat(':')) fail(cur, 'NFT_SYNTAX', 'expected ":" and the mapped value');
    data = dataType === 'verdict' ? (verdict(cur) ?? fail(cur, 'NFT_BAD_VALUE', 'expected a verdict')) : value(cur, dataType);
  }
  return { key, ...(data !== undefined ? { data } : {}), ...(comment !== undefined ? { comment } : {}), ...(timeout !== undefined ? { timeout } : {}) };
}

/** `{ e, e, … }` (newlines allowed inside). */
export function elementList(cur: Cursor, keyTypes: readonly NftType[], dataType: NftType | undefined): NftElement[] {
  if (!cur.eat('{')) fail(cur, 'NFT_SYNTAX', `expected "{", got ${describe(cur.peek())}`);
  const out: NftElement[] = [];
  cur.skipNl();
  while (!cur.is('}')) {
    out.push(element(cur, keyTypes, dataType));
    cur.skipNl();
    if (!cur.eat(',')) break;
    cur.skipNl();
  }
  cur.skipNl();
  if (!cur.eat('}')) fail(cur, 'NFT_SYNTAX', `expected "," or "}", got ${describe(cur.peek())}`);
  return out;
}

/** `@name` or `{ … }`. */
export function setRef(cur: Cursor, keyTypes: readonly NftType[], dataType: NftType | undefined): NftSetRef {
  const t = cur.peek();
  if (t.kind === 'word' && t.text.startsWith('@')) {
    cur.next();
    return { kind: 'named', name: t.text.slice(1) };
  }
  const elements = elementList(cur, keyTypes, dataType);
  const interval = elements.some((e) => e.key.some((k) => k.kind === 'range' || (k.kind === 'addr' && k.cidr.prefix < (k.cidr.addr.family === 4 ? 32 : 128))));
  return { kind: 'anon', elements: sortElements(elements, keyTypes, interval) };
}
