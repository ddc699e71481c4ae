/**
 * The chains view (`--view chains NODE`): the iptables jump graph of one node, nat and filter
 * tables side by side, and its nftables tables after them (nft-chains.ts). Built-in chains are the roots (bold), each `-j CHAIN`/`-g CHAIN` rule an
 * edge labelled with its match summary (the rule's text in the tooltip), and rules ending in a
 * target that is not a chain (DNAT, MASQUERADE, DROP, …) a leaf that says what it does. The
 * usual kube-proxy picture follows: PREROUTING → KUBE-SERVICES → KUBE-SVC-… → KUBE-SEP-… → DNAT.
 */
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import { type Chain, type Rule, type Table, getRuleset } from '../../kernel/netfilter/index.js';
import { isBuiltinChain, printRule } from '../../kernel/netfilter/syntax/index.js';
import { FONT, clip, clusterBlock, digraph, edgeStmt, nodeStmt } from './dot.js';
import { nftTablesLines } from './nft-chains.js';

/** The tables drawn, in this order. */
const TABLES = ['nat', 'filter'] as const;

/** The chains view as DOT text, or a problem when the node does not exist. */
export function chainsDot(built: BuiltCluster, nodeName: string): { dot: string } | { problem: string } {
  const ns = built.world.netns[nodeName];
  if (ns === undefined || built.owners[nodeName]?.kind !== 'node') return { problem: `no node called ${nodeName} (nodes: ${built.spec.nodes.map((n) => n.name).join(', ')})` };
  const ruleset = getRuleset(ns.netfilter, 4);
  const body: string[] = [];
  for (const name of TABLES) {
    const table = ruleset.tables.find((t) => t.name === name);
    if (table !== undefined) body.push(...tableLines(table));
  }
  const nft = nftTablesLines(ns.netfilter.nft.ruleset.tables, 4);
  body.push(...nft);
  const what = nft.length === 0 ? 'iptables chains' : body.length === nft.length ? 'nftables chains' : 'iptables and nftables chains';
  return {
    dot: digraph(
      `chains ${nodeName}`,
      {
        graph: { rankdir: 'LR', fontname: FONT, fontsize: 12, label: `netsim: ${what} of ${nodeName} (IPv4)`, labelloc: 't', ranksep: 0.8 },
        node: { fontname: FONT, fontsize: 10, shape: 'box', style: 'rounded' },
        edge: { fontname: FONT, fontsize: 8, color: '#555555', arrowsize: 0.6 },
      },
      body,
    ),
  };
}

function chainId(table: string, chain: string): string {
  return `${table}/${chain}`;
}

/** One table as a cluster: its chains, the jumps between them and the terminal targets. */
function tableLines(table: Table): string[] {
  const nodes: string[] = [];
  const edges: string[] = [];
  const names = new Set(table.chains.map((c) => c.name));
  for (const chain of table.chains) {
    const builtin = isBuiltinChain(table.name, chain.name);
    const label = builtin ? `${chain.name}\npolicy ${chain.policy ?? 'ACCEPT'}` : chain.name;
    nodes.push(nodeStmt(chainId(table.name, chain.name), { label, style: builtin ? 'rounded,bold,filled' : 'rounded', fillcolor: builtin ? '#e8eefc' : undefined, tooltip: `${chain.rules.length} rules` }));
    chain.rules.forEach((rule, i) => edges.push(...ruleLines(table.name, chain, rule, i + 1, names)));
  }
  return clusterBlock(`table-${table.name}`, { label: `table ${table.name}`, style: 'rounded', color: '#999999' }, [...nodes, ...edges]);
}

/** The edge (and leaf) for one rule; rules without a target or with RETURN draw nothing. */
function ruleLines(table: string, chain: Chain, rule: Rule, position: number, chains: ReadonlySet<string>): string[] {
  const target = rule.target;
  if (target === undefined || target.name === 'RETURN') return [];
  const from = chainId(table, chain.name);
  const text = printRule(chain.name, rule);
  const summary = clip(matchSummary(chain.name, rule), 48);
  const label = `#${position}${summary === '' ? '' : ` ${summary}`}`;
  if ((target.kind === 'jump' || target.kind === 'goto') && chains.has(target.name)) {
    return [edgeStmt(from, chainId(table, target.name), { label, tooltip: text, style: target.kind === 'goto' ? 'dashed' : undefined })];
  }
  const leaf = `${from}/rule-${position}`;
  const args = target.opts.flatMap((o) => [o.name, ...o.args]).join(' ');
  const bad = target.name === 'DROP' || target.name === 'REJECT';
  return [
    nodeStmt(leaf, { label: clip(`${target.name}${args === '' ? '' : ` ${args}`}`, 48), shape: 'note', style: 'filled', fillcolor: bad ? '#fde0e0' : '#f5f5f5', fontsize: 9, tooltip: text }),
    edgeStmt(from, leaf, { label, tooltip: text }),
  ];
}

/** What a rule matches, as iptables prints it, without the chain, the comment and the target. */
export function matchSummary(chain: string, rule: Rule): string {
  const { target: _target, ...rest } = rule;
  void _target;
  const bare: Rule = { ...rest, matches: rule.matches.filter((m) => m.module !== 'comment') };
  return printRule(chain, bare).slice(`-A ${chain}`.length).trim();
}
