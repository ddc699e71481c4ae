/**
 * Running one nft rule: its statements in order (`nft_do_chain()`'s inner loop). A match or
 * lookup that fails, or a map lookup that misses, ends the rule (NFT_BREAK); a verdict ends it
 * with that verdict; NAT statements set up the translation and accept (nft_nat_eval returns
 * NF_ACCEPT); `reject` drops after answering.
 */
import { ipFromValue, type Ip } from '../../../addr/ip.js';
import { InternalError } from '../../../diag/diagnostic.js';
import type { NatRange } from '../conntrack/nat.js';
import type { NftCtx } from './ctx.js';
import { ownNftMaps } from './state.js';
import { evalExpr, orderMatches, valueMatches } from './eval-expr.js';
import { lookupElement, type RVal, runtimeKey } from './lookup.js';
import type { NftElement, NftExpr, NftRule, NftSetRef, NftStmt, NftValue, NftVerdict } from './model.js';
import { bounds } from './lookup.js';

/** What a rule did: nothing (it did not match), continue (it matched to its end), or a verdict. */
export type RuleResult = { readonly kind: 'break' } | { readonly kind: 'continue' } | { readonly kind: 'verdict'; readonly verdict: NftVerdict | { readonly kind: 'reject'; readonly with: string } };

const BREAK: RuleResult = { kind: 'break' };

function elementsOf(ref: NftSetRef, c: NftCtx): { elements: readonly NftElement[]; dynamic?: Map<string, number> } {
  if (ref.kind === 'anon') return { elements: ref.elements };
  const set = c.table.sets.find((s) => s.name === ref.name);
  if (set === undefined) throw new InternalError(`nft: set @${ref.name} missing in ${c.table.name}`);
  const dynamic = c.state.nft.dynamic.get(`${c.table.family} ${c.table.name} ${ref.name}`);
  return dynamic === undefined ? { elements: set.elements } : { elements: set.elements, dynamic };
}

function lookup(ref: NftSetRef, key: RVal | RVal[], c: NftCtx): NftElement | 'dynamic' | undefined {
  const parts = Array.isArray(key) ? key : [key];
  const { elements, dynamic } = elementsOf(ref, c);
  const el = lookupElement(elements, parts);
  if (el !== undefined) return el;
  const exp = dynamic?.get(runtimeKey(parts));
  return exp !== undefined && exp > c.env.ctx.now() ? 'dynamic' : undefined;
}

function addrOf(v: NftValue | undefined, which: 0 | 1, family: 4 | 6): Ip | undefined {
  if (v === undefined) return undefined;
  const b = bounds(v);
  return b === undefined ? undefined : ipFromValue(family, b[which]);
}

function natRange(s: Extract<NftStmt, { kind: 'nat' }>, c: NftCtx): NatRange | undefined {
  const min = addrOf(s.addr, 0, c.v);
  const max = addrOf(s.addr, 1, c.v);
  if (min === undefined || max === undefined) return undefined;
  const p = s.port === undefined ? undefined : s.port.kind === 'range' ? { min: (s.port.from as { n: number }).n, max: (s.port.to as { n: number }).n } : s.port.kind === 'num' ? { min: s.port.n, max: s.port.n } : undefined;
  const base = { minAddr: min, maxAddr: max, randomFully: s.flags.includes('fully-random'), persistent: s.flags.includes('persistent') };
  return p === undefined ? base : { ...base, ports: p };
}

const ACCEPT: RuleResult = { kind: 'verdict', verdict: { kind: 'accept' } };
const DROP: RuleResult = { kind: 'verdict', verdict: { kind: 'drop' } };

function setValue(s: Extract<NftStmt, { kind: 'set-meta' }>, c: NftCtx): void {
  const v = s.value;
  const x = 'kind' in v && (v.kind === 'num' || v.kind === 'addr' || v.kind === 'sym' || v.kind === 'str' || v.kind === 'range' || v.kind === 'flags' || v.kind === 'masked') ? (v.kind === 'num' ? v.n : undefined) : evalExpr(v as NftExpr, c);
  if (typeof x !== 'number') return;
  if (s.target.kind === 'meta' && s.target.key === 'mark') c.mark = x >>> 0;
  else if (s.target.kind === 'ct' && s.target.key === 'mark' && c.ct.kind === 'tracked') c.ct = { ...c.ct, entry: { ...c.ct.entry, mark: x >>> 0 } };
}

function rejectWith(s: Extract<NftStmt, { kind: 'reject' }>, c: NftCtx): string {
  if (s.with === undefined) return c.v === 4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable';
  return s.with.replace(' ', '-');
}

/** One statement. */
function stmt(s: NftStmt, c: NftCtx): RuleResult | undefined {
  switch (s.kind) {
    case 'match': {
      const x = evalExpr(s.left, c);
      if (x === undefined || Array.isArray(x)) return BREAK;
      const hit = s.op === '==' || s.op === '!=' ? valueMatches(x, s.right) : orderMatches(x, s.op, s.right);
      return hit === (s.op !== '!=') ? undefined : BREAK;
    }
    case 'lookup': {
      const x = evalExpr(s.left, c);
      if (x === undefined) return BREAK;
      return (lookup(s.set, x, c) !== undefined) !== s.neg ? undefined : BREAK;
    }
    case 'vmap': {
      const x = evalExpr(s.key, c);
      const el = x === undefined ? undefined : lookup(s.map, x, c);
      if (el === undefined || el === 'dynamic' || el.data === undefined || !('kind' in el.data)) return BREAK;
      return { kind: 'verdict', verdict: el.data as NftVerdict };
    }
    case 'verdict':
      return { kind: 'verdict', verdict: s.verdict };
    case 'counter':
    case 'log':
      return undefined;
    case 'set-meta':
      setValue(s, c);
      return undefined;
    case 'notrack':
      c.notrack = true;
      return undefined;
    case 'set-update': {
      const x = evalExpr(s.key, c);
      if (x === undefined) return BREAK;
      const key = `${c.table.family} ${c.table.name} ${s.set}`;
      const set = c.table.sets.find((z) => z.name === s.set);
      const nft = ownNftMaps(c.state.nft);
      const dyn = nft.dynamic.get(key) ?? new Map<string, number>();
      nft.dynamic.set(key, dyn);
      const k = runtimeKey(Array.isArray(x) ? x : [x]);
      if (s.op === 'update' || !dyn.has(k)) dyn.set(k, c.env.ctx.now() + (set?.timeout ?? Number.POSITIVE_INFINITY));
      return undefined;
    }
    case 'nat': {
      const range = natRange(s, c);
      if (range === undefined) return DROP;
      c.nat = { manip: s.type === 'dnat' ? 'dst' : 'src', range, by: s.type === 'dnat' ? 'DNAT' : 'SNAT' };
      return ACCEPT;
    }
    case 'masquerade': {
      const a = c.env.outDev === undefined ? undefined : c.env.masqueradeAddress?.(c.env.outDev, c.v);
      if (a === undefined) return DROP;
      c.nat = { manip: 'src', range: { minAddr: a, maxAddr: a, randomFully: s.flags.includes('fully-random') }, by: 'MASQUERADE' };
      return ACCEPT;
    }
    case 'redirect': {
      const a = c.hook === 'OUTPUT' ? ipFromValue(c.v, c.v === 4 ? 0x7f000001n : 1n) : c.env.inDev === undefined ? undefined : c.env.masqueradeAddress?.(c.env.inDev, c.v);
      if (a === undefined) return DROP;
      const port = s.port?.kind === 'num' ? { ports: { min: s.port.n, max: s.port.n } } : {};
      c.nat = { manip: 'dst', range: { minAddr: a, maxAddr: a, randomFully: false, ...port }, by: 'REDIRECT' };
      return ACCEPT;
    }
    case 'reject':
      return { kind: 'verdict', verdict: { kind: 'reject', with: rejectWith(s, c) } };
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** Runs a rule's statements. */
export function runRule(r: NftRule, c: NftCtx): RuleResult {
  for (const s of r.stmts) {
    const out = stmt(s, c);
    if (out !== undefined) return out;
  }
  return { kind: 'continue' };
}
