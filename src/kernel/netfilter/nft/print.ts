/**
 * `nft list ruleset`, byte for byte as nft 1.0.6 prints it (checked against the kernel:
 * test/fixtures/nftables/*.list): tables in creation order; in a table its comment, then sets
 * and maps, then chains, each block separated by a blank line; base chains open with
 * `type T hook H priority P; policy accept;`; set elements wrap as nft's `calculate_delim`
 * decides (2 addresses or 5 numbers a line, one concatenation a line, one a line as soon as an
 * element carries a comment or timeout).
 */
import type { NftChain, NftElement, NftRuleset, NftSet, NftTable, NftType } from './model.js';
import { formatPriority } from './priority.js';
import { formatElement, formatRule } from './print-rule.js';
import { formatTime } from './values.js';

const NEWLINE = ',\n\t\t\t     ';

function perLine(types: readonly NftType[], elements: readonly NftElement[]): number {
  if (elements.some((e) => e.comment !== undefined || e.timeout !== undefined)) return 1;
  if (types.length > 1) return 1;
  const t = types[0];
  if (t === 'ipv4_addr' || t === 'ct_state') return 2;
  if (t === 'inet_proto' || t === 'inet_service' || t === 'mark' || t === 'integer' || t === 'nf_proto') return 5;
  return 1;
}

function formatElements(s: NftSet): string {
  const n = perLine(s.keyType, s.elements);
  let out = '';
  s.elements.forEach((e, i) => {
    if (i > 0) out += i % n === 0 ? NEWLINE : ', ';
    out += formatElement(e, s.keyType, s.dataType);
  });
  return `{ ${out} }`;
}

/** A set or map block. */
export function formatSet(s: NftSet): string {
  const lines = [`\t${s.dataType !== undefined ? 'map' : 'set'} ${s.name} {`, `\t\ttype ${s.keyType.join(' . ')}${s.dataType !== undefined ? ` : ${s.dataType}` : ''}`];
  if (s.size !== undefined) lines.push(`\t\tsize ${s.size}`);
  const shown = s.flags.some((f) => f !== 'timeout');
  if (shown) lines.push(`\t\tflags ${(['constant', 'dynamic', 'interval', 'timeout'] as const).filter((f) => s.flags.includes(f)).join(',')}`);
  if (s.timeout !== undefined) lines.push(`\t\ttimeout ${formatTime(s.timeout)}`);
  if (s.comment !== undefined) lines.push(`\t\tcomment "${s.comment}"`);
  if (s.elements.length > 0) lines.push(`\t\telements = ${formatElements(s)}`);
  lines.push('\t}');
  return `${lines.join('\n')}\n`;
}

/** A chain block. */
export function formatChain(c: NftChain): string {
  const lines = [`\tchain ${c.name} {`];
  if (c.comment !== undefined) lines.push(`\t\tcomment "${c.comment}"`);
  if (c.base !== undefined) lines.push(`\t\ttype ${c.base.type} hook ${c.base.hook} priority ${formatPriority(c.base.priority, c.base.hook)}; policy ${c.base.policy};`);
  for (const r of c.rules) lines.push(`\t\t${formatRule(r)}`);
  lines.push('\t}');
  return `${lines.join('\n')}\n`;
}

/** One table. */
export function formatTable(t: NftTable): string {
  const head = `table ${t.family} ${t.name} {\n${t.comment !== undefined ? `\tcomment "${t.comment}"\n` : ''}`;
  const blocks = [...t.sets.map(formatSet), ...t.chains.map(formatChain)];
  return `${head}${blocks.join('\n')}}\n`;
}

/** `nft list ruleset`. */
export function printNft(rs: NftRuleset): string {
  return rs.tables.map(formatTable).join('');
}
