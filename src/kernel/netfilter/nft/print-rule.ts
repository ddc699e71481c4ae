/**
 * A rule as `nft list ruleset` prints it (and `nft monitor trace` quotes it): `mark` becomes
 * `meta mark`, masks and marks print as `0x%08x`, `reject with icmp type X` as
 * `reject with icmp X`, a counter with its (here always zero) packets and bytes.
 */
import { assertNever } from '../../../diag/diagnostic.js';
import type { NftElement, NftExpr, NftRule, NftSetRef, NftStmt, NftType, NftValue, NftVerdict } from './model.js';
import { formatValue, typesOf } from './values.js';

/** `accept`, `jump CHAIN` … */
export function formatVerdict(v: NftVerdict): string {
  return v.kind === 'jump' || v.kind === 'goto' ? `${v.kind} ${v.chain}` : v.kind;
}

const BARE = new Set(['iifname', 'oifname']);

/** An expression (`ip daddr . meta l4proto . th dport`). */
export function formatExpr(e: NftExpr): string {
  switch (e.kind) {
    case 'payload':
      return `${e.proto} ${e.field}`;
    case 'meta':
      return BARE.has(e.key) ? e.key : `meta ${e.key}`;
    case 'ct':
      return `ct ${e.key}`;
    case 'fib':
      return `fib ${e.flags.join(' . ')} ${e.result}`;
    case 'numgen':
      return `numgen ${e.mode} mod ${e.mod}${e.offset !== undefined ? ` offset ${e.offset}` : ''}`;
    case 'concat':
      return e.parts.map(formatExpr).join(' . ');
    case 'binop':
      return `${formatExpr(e.left)} ${e.op} ${formatValue(e.right, typesOf(e.left)[0] ?? 'integer')}`;
    default:
      return assertNever(e, 'nft expression');
  }
}

/** One element: `KEY . KEY comment "…" : DATA`. */
export function formatElement(e: NftElement, keyTypes: readonly NftType[], dataType: NftType | undefined): string {
  const key = e.key.map((v, i) => formatValue(v, keyTypes[i] ?? 'integer')).join(' . ');
  const comment = e.comment !== undefined ? ` comment "${e.comment}"` : '';
  const d = e.data;
  const data = d === undefined ? '' : ` : ${'chain' in d || d.kind === 'accept' || d.kind === 'drop' || d.kind === 'continue' || d.kind === 'return' ? formatVerdict(d as NftVerdict) : formatValue(d as NftValue, dataType ?? 'integer')}`;
  return `${key}${comment}${data}`;
}

function formatSetRef(s: NftSetRef, keyTypes: readonly NftType[], dataType: NftType | undefined): string {
  if (s.kind === 'named') return `@${s.name}`;
  return `{ ${s.elements.map((e) => formatElement(e, keyTypes, dataType)).join(', ')} }`;
}

function natTarget(s: Extract<NftStmt, { kind: 'nat' }>): string {
  const port = s.port !== undefined ? formatValue(s.port, 'inet_service') : undefined;
  if (s.addr === undefined) return port !== undefined ? ` to :${port}` : '';
  const a = formatValue(s.addr, 'ipv4_addr');
  const v6 = s.addr.kind === 'addr' ? s.addr.cidr.addr.family === 6 : a.includes(':');
  if (port === undefined) return ` to ${a}`;
  return v6 ? ` to [${a}]:${port}` : ` to ${a}:${port}`;
}

/** One statement. */
export function formatStmt(s: NftStmt): string {
  switch (s.kind) {
    case 'match': {
      const type = typesOf(s.left)[0] ?? 'integer';
      const op = s.op === '==' ? (s.left.kind === 'binop' ? ' == ' : ' ') : ` ${s.op} `;
      return `${formatExpr(s.left)}${op}${formatValue(s.right, type)}`;
    }
    case 'lookup':
      return `${formatExpr(s.left)}${s.neg ? ' != ' : ' '}${formatSetRef(s.set, typesOf(s.left), undefined)}`;
    case 'vmap':
      return `${formatExpr(s.key)} vmap ${formatSetRef(s.map, typesOf(s.key), 'verdict')}`;
    case 'verdict':
      return formatVerdict(s.verdict);
    case 'counter':
      return 'counter packets 0 bytes 0';
    case 'set-meta': {
      const v = s.value;
      const text = 'kind' in v && ['payload', 'meta', 'ct', 'fib', 'numgen', 'concat', 'binop'].includes(v.kind) ? formatExpr(v as NftExpr) : formatValue(v as NftValue, typesOf(s.target)[0] ?? 'integer');
      return `${formatExpr(s.target)} set ${text}`;
    }
    case 'nat':
      return `${s.type}${s.family !== undefined ? ` ${s.family}` : ''}${natTarget(s)}${s.flags.map((f) => ` ${f}`).join('')}`;
    case 'masquerade':
      return `masquerade${s.flags.map((f) => ` ${f}`).join('')}`;
    case 'redirect':
      return s.port !== undefined ? `redirect to :${formatValue(s.port, 'inet_service')}` : 'redirect';
    case 'reject':
      return s.with !== undefined ? `reject with ${s.with}` : 'reject';
    case 'log':
      return s.prefix !== undefined ? `log prefix "${s.prefix}"` : 'log';
    case 'notrack':
      return 'notrack';
    case 'set-update':
      return `${s.op} @${s.set} { ${formatExpr(s.key)} }`;
    default:
      return assertNever(s, 'nft statement');
  }
}

/** A rule's text (what follows the indentation in `nft list ruleset`). */
export function formatRule(r: NftRule): string {
  const body = r.stmts.map(formatStmt).join(' ');
  return r.comment !== undefined ? `${body} comment "${r.comment}"` : body;
}
