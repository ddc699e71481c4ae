/**
 * The nftables half of the chains view (`--view chains NODE`): each `nft list ruleset` table of
 * the view's family (ip or inet for IPv4) as a cluster. Base chains are roots (bold, with their
 * `type … hook … priority …; policy …`), `jump`/`goto` verdicts edges, and a verdict map
 * (`vmap @service-ips`, kube-proxy's dispatch) one edge per target chain labelled with the key
 * that leads there. Statements that end a packet's walk here (dnat, masquerade, reject, drop)
 * are leaves. kube-proxy's nftables picture follows: nat-prerouting → services → service-… →
 * endpoint-… → dnat.
 */
import type { NftChain, NftElement, NftRule, NftSet, NftStmt, NftTable, NftVerdict } from '../../kernel/netfilter/index.js';
import { formatNftRule } from '../../kernel/netfilter/index.js';
import { formatElement, formatStmt } from '../../kernel/netfilter/nft/print-rule.js';
import { clip, clusterBlock, edgeStmt, nodeStmt } from './dot.js';

/** Element keys listed on one vmap edge before the rest are counted. */
const KEYS_PER_EDGE = 2;

/** The DOT lines of every nft table of `family` (4: ip and inet, 6: ip6 and inet). */
export function nftTablesLines(tables: readonly NftTable[], family: 4 | 6): string[] {
  const own = family === 4 ? 'ip' : 'ip6';
  return tables.filter((t) => t.family === own || t.family === 'inet').flatMap(tableLines);
}

const tableKey = (t: NftTable): string => `nft-${t.family}-${t.name}`;
const chainId = (t: NftTable, chain: string): string => `${tableKey(t)}/${chain}`;

function tableLines(table: NftTable): string[] {
  const nodes: string[] = [];
  const edges: string[] = [];
  const names = new Set(table.chains.map((c) => c.name));
  for (const chain of table.chains) {
    const base = chain.base;
    const label = base === undefined ? chain.name : `${chain.name}\n${base.type} hook ${base.hook} priority ${base.priority}\npolicy ${base.policy}`;
    nodes.push(
      nodeStmt(chainId(table, chain.name), {
        label,
        style: base !== undefined ? 'rounded,bold,filled' : 'rounded',
        fillcolor: base !== undefined ? '#e8eefc' : undefined,
        tooltip: `${chain.rules.length} rules`,
      }),
    );
    chain.rules.forEach((rule, i) => edges.push(...ruleLines(table, chain, rule, i + 1, names)));
  }
  return clusterBlock(`table-${tableKey(table)}`, { label: `table ${table.family} ${table.name}`, style: 'rounded', color: '#999999' }, [...nodes, ...edges]);
}

/** Edges for a rule's jumps, gotos and verdict maps, and a leaf for a statement that ends the walk. */
function ruleLines(table: NftTable, chain: NftChain, rule: NftRule, position: number, chains: ReadonlySet<string>): string[] {
  const from = chainId(table, chain.name);
  const text = formatNftRule(rule);
  const out: string[] = [];
  for (const stmt of rule.stmts) {
    if (stmt.kind === 'verdict') out.push(...verdictLines(table, from, stmt.verdict, `#${position}`, text, chains, `${from}/rule-${position}`));
    else if (stmt.kind === 'vmap') out.push(...vmapLines(table, from, stmt, position, text, chains));
    else {
      const end = leafOf(stmt);
      if (end !== undefined) out.push(...leaf(from, `${from}/rule-${position}`, end, `#${position}`, text));
    }
  }
  return out;
}

function verdictLines(table: NftTable, from: string, v: NftVerdict, label: string, text: string, chains: ReadonlySet<string>, leafId: string): string[] {
  if ((v.kind === 'jump' || v.kind === 'goto') && chains.has(v.chain)) {
    return [edgeStmt(from, chainId(table, v.chain), { label: clip(label, 48), tooltip: text, style: v.kind === 'goto' ? 'dashed' : undefined })];
  }
  if (v.kind === 'drop') return leaf(from, leafId, 'drop', label, text);
  return [];
}

/** One edge per chain a verdict map sends to, labelled with (the first of) its keys. */
function vmapLines(table: NftTable, from: string, stmt: Extract<NftStmt, { kind: 'vmap' }>, position: number, text: string, chains: ReadonlySet<string>): string[] {
  const set: NftSet | undefined = stmt.map.kind === 'named' ? table.sets.find((s) => s.name === (stmt.map as { name: string }).name) : undefined;
  const elements: readonly NftElement[] = stmt.map.kind === 'anon' ? stmt.map.elements : (set?.elements ?? []);
  const byTarget = new Map<string, string[]>();
  for (const e of elements) {
    const v = e.data;
    if (v === undefined || !('kind' in v) || (v.kind !== 'jump' && v.kind !== 'goto') || !chains.has(v.chain)) continue;
    const keys = byTarget.get(v.chain) ?? [];
    keys.push(set === undefined ? '' : formatElement({ key: e.key }, set.keyType, undefined));
    byTarget.set(v.chain, keys);
  }
  const mapName = stmt.map.kind === 'named' ? `@${stmt.map.name}` : 'vmap';
  return [...byTarget].map(([target, keys]) => {
    const shown = keys.filter((k) => k !== '').slice(0, KEYS_PER_EDGE);
    const more = keys.length - shown.length;
    const label = `#${position} ${mapName}${shown.length > 0 ? `: ${shown.join(', ')}` : ''}${more > 0 && shown.length > 0 ? ` (+${more})` : ''}`;
    return edgeStmt(from, chainId(table, target), { label: clip(label, 48), tooltip: text });
  });
}

/** What a statement that ends the packet's walk does (as nft prints it), or undefined. */
function leafOf(s: NftStmt): string | undefined {
  return s.kind === 'nat' || s.kind === 'masquerade' || s.kind === 'redirect' || s.kind === 'reject' ? formatStmt(s) : undefined;
}

function leaf(from: string, id: string, what: string, label: string, text: string): string[] {
  const bad = what === 'drop' || what.startsWith('reject');
  return [
    nodeStmt(id, { label: clip(what, 48), shape: 'note', style: 'filled', fillcolor: bad ? '#fde0e0' : '#f5f5f5', fontsize: 9, tooltip: clip(text, 200) }),
    edgeStmt(from, id, { label: clip(label, 48), tooltip: text }),
  ];
}
