/**
 * One nft rule: statements up to the end of the line (or `;`), as `nft add rule` and the chain
 * bodies of `nft list ruleset` write them. Matches (`ip daddr 10.0.0.1`, `ct state new`),
 * lookups (`ip daddr @cluster-ips`, `ip saddr != { 10.0.0.0/8 }`), verdict maps
 * (`… vmap @service-ips`, `numgen random mod 2 vmap { 0 : goto A, 1 : goto B }`), and the
 * statements kube-proxy and common hosts use (counter, `meta mark set`, dnat/snat/masquerade,
 * redirect, reject, log, notrack, `update @set { ip saddr }`, comment).
 */
import type { NftExpr, NftRule, NftStmt, NftValue } from './model.js';
import { describe, expr, fail, quoted, setRef, startsExpr, value, verdict, word } from './parse-expr.js';
import type { Cursor } from './tokenize.js';
import { parseValue, typesOf } from './values.js';

const OPS = new Set(['==', '!=', '<', '>', '<=', '>=', 'eq', 'ne']);
const NAT_FLAGS = new Set(['random', 'fully-random', 'persistent']);

/** Parses statements until the end of the rule; `comment "…"` becomes the rule's comment. */
export function parseRule(cur: Cursor): NftRule {
  const stmts: NftStmt[] = [];
  let comment: string | undefined;
  while (!cur.atEnd()) {
    if (cur.eat('comment')) {
      comment = quoted(cur, 'a comment');
      continue;
    }
    stmts.push(statement(cur));
  }
  if (stmts.length === 0) fail(cur, 'NFT_SYNTAX', 'empty rule');
  return comment === undefined ? { stmts } : { stmts, comment };
}

function statement(cur: Cursor): NftStmt {
  const t = cur.peek();
  const w = t.text;
  if (t.kind === 'word' && startsExpr(w)) return exprStatement(cur);
  const v = verdict(cur);
  if (v !== undefined) return { kind: 'verdict', verdict: v };
  cur.next();
  switch (w) {
    case 'counter':
      if (cur.eat('packets')) {
        word(cur, 'a packet count');
        if (cur.eat('bytes')) word(cur, 'a byte count');
      }
      return { kind: 'counter' };
    case 'dnat':
    case 'snat':
      return nat(cur, w);
    case 'masquerade':
      return { kind: 'masquerade', flags: natFlags(cur) };
    case 'redirect':
      if (cur.eat('to')) return { kind: 'redirect', port: port(cur, word(cur, 'a port')) };
      return { kind: 'redirect' };
    case 'reject':
      return reject(cur);
    case 'log':
      if (cur.eat('prefix')) return { kind: 'log', prefix: quoted(cur, 'a log prefix') };
      return { kind: 'log' };
    case 'notrack':
      return { kind: 'notrack' };
    case 'update':
    case 'add':
      return setUpdate(cur, w);
    default:
      if (t.kind === 'word' && /^[a-z][a-z0-9_-]*$/.test(w)) return fail(cur, 'NFT_UNSUPPORTED', `statement "${w}" is not modelled by netsim`, t);
      return fail(cur, 'NFT_SYNTAX', `unexpected ${describe(t)}: expected a statement`, t);
  }
}

function exprStatement(cur: Cursor): NftStmt {
  const left = expr(cur);
  const types = typesOf(left);
  if (cur.eat('vmap')) return { kind: 'vmap', key: left, map: setRef(cur, types, 'verdict') };
  if (cur.eat('set')) {
    if (left.kind !== 'meta' && left.kind !== 'ct') fail(cur, 'NFT_SYNTAX', 'only meta and ct keys can be set');
    return { kind: 'set-meta', target: left, value: setValue(cur, types[0] ?? 'integer') };
  }
  let op: string = '==';
  if (OPS.has(cur.peek().text) && cur.peek().kind === 'word') op = cur.next().text;
  if (op === 'eq') op = '==';
  if (op === 'ne') op = '!=';
  const t = cur.peek();
  if ((t.kind === 'word' && t.text.startsWith('@')) || cur.is('{')) {
    if (op !== '==' && op !== '!=') fail(cur, 'NFT_SYNTAX', `${op} cannot be used with a set`);
    const set = setRef(cur, types, undefined);
    // nft turns a one-element anonymous set into a plain comparison.
    const only = set.kind === 'anon' && set.elements.length === 1 && types.length === 1 ? set.elements[0]?.key[0] : undefined;
    if (only !== undefined) return { kind: 'match', left, op: op as '==', right: only };
    return { kind: 'lookup', left, neg: op === '!=', set };
  }
  if (types.length > 1) fail(cur, 'NFT_SYNTAX', 'a concatenation is compared with a set or map (@name or { … })');
  return { kind: 'match', left, op: op as '==', right: value(cur, types[0] ?? 'integer') };
}

function setValue(cur: Cursor, type: Parameters<typeof value>[1]): NftExpr | NftValue {
  if (cur.peek().kind === 'word' && startsExpr(cur.peek().text)) return expr(cur);
  return value(cur, type);
}

function natFlags(cur: Cursor): string[] {
  const flags: string[] = [];
  while (NAT_FLAGS.has(cur.peek().text)) {
    flags.push(cur.next().text);
    cur.eat(',');
  }
  return flags;
}

function port(cur: Cursor, w: string): NftValue {
  const v = parseValue(w.startsWith(':') ? w.slice(1) : w, 'inet_service');
  return v ?? fail(cur, 'NFT_BAD_VALUE', `"${w}" is not a port or port range`);
}

/** `dnat [ip|ip6] to ADDR[:PORT]`, `[V6]:PORT`, `:PORT`, then flags. */
function nat(cur: Cursor, type: 'dnat' | 'snat'): NftStmt {
  let family: 'ip' | 'ip6' | undefined;
  if (cur.is('ip') || cur.is('ip6')) family = cur.next().text as 'ip';
  if (!cur.eat('to')) fail(cur, 'NFT_SYNTAX', `${type}: expected "to"`);
  const tok = cur.peek();
  const w = word(cur, 'an address');
  let addrText = w;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.+))?$/.exec(w);
  if (v6 !== null) [addrText, portText] = [v6[1] as string, v6[2]];
  else if (!w.includes('::') && w.split(':').length === 2) [addrText, portText] = w.split(':') as [string, string];
  const addrType = family === 'ip6' || addrText.includes(':') ? 'ipv6_addr' : 'ipv4_addr';
  const addr = addrText === '' ? undefined : (parseValue(addrText, addrType) ?? fail(cur, 'NFT_BAD_VALUE', `"${addrText}" is not an address`, tok));
  const p = portText === undefined ? undefined : port(cur, portText);
  return { kind: 'nat', type, ...(family !== undefined ? { family } : {}), ...(addr !== undefined ? { addr } : {}), ...(p !== undefined ? { port: p } : {}), flags: natFlags(cur) };
}

function reject(cur: Cursor): NftStmt {
  if (!cur.eat('with')) return { kind: 'reject' };
  const kind = word(cur, 'icmp, icmpv6, icmpx or tcp');
  if (kind === 'tcp') {
    if (!cur.eat('reset')) fail(cur, 'NFT_SYNTAX', 'reject with tcp: expected reset');
    return { kind: 'reject', with: 'tcp reset' };
  }
  cur.eat('type');
  return { kind: 'reject', with: `${kind} ${word(cur, 'an ICMP type')}` };
}

function setUpdate(cur: Cursor, op: 'add' | 'update'): NftStmt {
  const t = cur.peek();
  if (!t.text.startsWith('@')) fail(cur, 'NFT_SYNTAX', `${op}: expected @set`);
  cur.next();
  if (!cur.eat('{')) fail(cur, 'NFT_SYNTAX', `${op} @set: expected "{"`);
  const key = expr(cur);
  if (!cur.eat('}')) fail(cur, 'NFT_SYNTAX', `${op} @set: expected "}"`);
  return { kind: 'set-update', op, set: t.text.slice(1), key };
}

