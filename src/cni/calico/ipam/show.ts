/**
 * `calicoctl ipam show [--show-blocks]` (calicoctl `commands/ipam/show.go`, Calico v3.30): one
 * row per IP pool (every pool, by name, as the API lists them) with its size and the addresses
 * in use in its blocks, and with `--show-blocks` a row per block under its pool (blocks in the
 * API's order: by object name). Blocks no pool contains are counted under a pseudo-pool
 * 0.0.0.0/0 that has no row of its own. Numbers are Go's `%.5g`, percentages `%.f`; the table
 * is olekukonko/tablewriter's default (centred headers, numbers right-aligned, text left).
 */
import { type Cidr, canonicalCidr, cidrOverlaps, cidrSize, formatCidr } from '../../../addr/cidr.js';
import type { ClusterApi } from '../../types.js';
import { type Block, blockFromJson } from './block.js';
import { CALICO_RESOURCE } from './crd.js';
import { readPools } from './datastore.js';

/** Options of `calicoctl ipam show`. */
export interface IpamShowOptions {
  readonly showBlocks: boolean;
}

/** Go's `fmt.Sprintf("%.5g", x)` for x ≥ 0. */
export function goG5(x: number): string {
  if (x === 0) return '0';
  const [mant = '0', expText = '0'] = x.toExponential(4).split('e');
  const exp = Number(expText);
  const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= 5) return `${trim(mant)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return trim(x.toFixed(Math.max(0, 4 - exp)));
}

/** Go's `%.f`: round half to even. */
export function goRound(x: number): string {
  const f = Math.floor(x);
  const d = x - f;
  return String(d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f);
}

function row(kind: string, cidr: string, inUse: number, capacity: number): string[] {
  const pct = (n: number): string => `${goG5(n)} (${goRound((100 * n) / capacity)}%)`;
  return [kind, cidr, goG5(capacity), pct(inUse), pct(capacity - inUse)];
}

/** The pseudo-pool of blocks outside every pool (IPv4 only, as upstream's overlap test). */
const ORPHANS: Cidr = { addr: { family: 4, value: 0n }, prefix: 0 };

const NUMERIC = /^-?(?:\d{1,3}(?:,\d{3})*|\d+)(\.\d+)?$/;

/** tablewriter's default rendering. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const border = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const centre = (s: string, w: number): string => {
    const left = Math.floor((w - s.length) / 2);
    return ' '.repeat(left) + s + ' '.repeat(w - s.length - left);
  };
  const line = (cells: readonly string[], pad: (s: string, w: number) => string): string => `| ${cells.map((c, i) => pad(c, widths[i] ?? 0)).join(' | ')} |`;
  const cell = (s: string, w: number): string => (NUMERIC.test(s) ? s.padStart(w) : s.padEnd(w));
  return [border, line(header, centre), border, ...rows.map((r) => line(r, cell)), border, ''].join('\n');
}

function blocksByName(api: ClusterApi): Block[] {
  const entries = [...(api.get(CALICO_RESOURCE.blocks) ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([, v]) => blockFromJson(v)).filter((b): b is Block => b !== undefined);
}

/** The text `calicoctl ipam show` prints (`--show-blocks` with `showBlocks`). */
export function ipamShowText(api: ClusterApi, opts: IpamShowOptions): string {
  const groups = readPools(api).map((p) => ({ cidr: p.cidr, blocks: [] as Block[] }));
  groups.push({ cidr: ORPHANS, blocks: [] });
  for (const b of blocksByName(api)) groups.find((g) => cidrOverlaps(g.cidr, b.cidr))?.blocks.push(b);
  const rows: string[][] = [];
  for (const g of groups) {
    const blockRows = g.blocks.map((b) => {
      const cap = b.allocations.length;
      return row('Block', formatCidr(b.cidr), cap - b.unallocated.length, cap);
    });
    const inUse = g.blocks.reduce((n, b) => n + b.allocations.length - b.unallocated.length, 0);
    if (g.cidr.prefix > 0) rows.push(row('IP Pool', formatCidr(canonicalCidr(g.cidr)), inUse, Number(cidrSize(g.cidr))));
    if (opts.showBlocks) rows.push(...blockRows);
  }
  return renderTable(['GROUPING', 'CIDR', 'IPS TOTAL', 'IPS IN USE', 'IPS FREE'], rows);
}
