/**
 * `netsim import`: a real node's dump (scripts/collect-node-dump.sh, one file per command) as a
 * namespace of the kernel model, so that `show` prints it and `trace` moves packets through it
 * as through a simulated node. Pure: the files come in as a map from file name to text.
 *
 * What is read: devices (`link.json`, else `addr.json`), addresses, routes of every table,
 * rules of both families, neighbours, the bridge and VXLAN forwarding entries, `ipset save`,
 * `iptables-save` and `ip6tables-save` (loaded as iptables-restore loads them), `nft list
 * ruleset`, and sysctls. What the model lacks becomes a `HOST_DUMP_UNMODELLED` warning; a file
 * that is not what its command prints is an error at its line and column.
 */
import { type Diagnostic, type Parsed, error, hasErrors, warning } from '../../diag/diagnostic.js';
import { defineSet, getRuleset, parseNft, setNftRuleset } from '../netfilter/index.js';
import { withoutXtablesTables } from './nft-split.js';
import { iptablesRestore } from '../netfilter/restore.js';
import { parseIpsetSave } from '../netfilter/ipset/index.js';
import { type Netns, emptyNetns } from '../netns.js';
import { defaultRules } from '../route/rule.js';
import { getTable } from '../route/table.js';
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN } from '../route/types.js';
import { setSysctl } from '../sysctl.js';
import type { World } from '../world.js';
import { readAddrs } from './addrs.js';
import { type JsonEntry, parseJsonArray } from './json.js';
import { readLinks } from './links.js';
import { putLink } from '../link/link-index.js';
import { readFdb, readNeigh, readSysctl } from './neigh-fdb.js';
import { readRoutes, readRules } from './routes.js';

/** The files of a dump, by the names the collect script gives them. */
export const DUMP_FILES = {
  addr: 'addr.json',
  link: 'link.json',
  route: 'route.json',
  route6: 'route6.json',
  rule: 'rule.json',
  rule6: 'rule6.json',
  neigh: 'neigh.json',
  fdb: 'fdb.json',
  ipset: 'ipset-save.txt',
  iptables: 'iptables-save.txt',
  ip6tables: 'ip6tables-save.txt',
  nft: 'nft-ruleset.txt',
  sysctl: 'sysctl.txt',
  sysctlConf: 'sysctl-conf.txt',
  hostname: 'HOSTNAME',
} as const;

/** A dump's files: name → text (absent: not collected). */
export type NodeDumpFiles = Readonly<Record<string, string>>;

/** What an import gives: a world holding the node's namespace, and its name. */
export interface ImportedNode {
  readonly world: World;
  readonly ns: Netns;
}

/** Options of {@link importNodeDump}. */
export interface ImportOptions {
  /** The namespace's name (default: the dump's HOSTNAME, else `node`). */
  readonly name?: string;
  /** Prefix of file names in diagnostics (the dump's folder). */
  readonly dir?: string;
}

/** Builds the node's namespace from its dump. Errors leave a partial node; check the diagnostics. */
export function importNodeDump(files: NodeDumpFiles, opts: ImportOptions = {}): Parsed<ImportedNode> {
  const out: Diagnostic[] = [];
  const path = (f: string): string => (opts.dir === undefined ? f : `${opts.dir.replace(/\/+$/, '')}/${f}`);
  const json = (f: string): JsonEntry[] => {
    const text = files[f];
    if (text === undefined) return [];
    const r = parseJsonArray(text, path(f));
    out.push(...r.diagnostics);
    return r.entries;
  };
  const name = opts.name ?? files[DUMP_FILES.hostname]?.trim() ?? 'node';
  const ns = emptyNetns(name === '' ? 'node' : name, false);
  const world: World = { netns: { [ns.name]: ns } };
  for (const id of [TABLE_LOCAL, TABLE_MAIN, TABLE_DEFAULT]) getTable(ns, id);

  const linkFile = files[DUMP_FILES.link] !== undefined ? DUMP_FILES.link : DUMP_FILES.addr;
  if (files[linkFile] === undefined) out.push(error('HOST_DUMP_MISSING', `the dump has neither ${DUMP_FILES.link} nor ${DUMP_FILES.addr}: no devices to import`, { file: path(DUMP_FILES.link), line: 1, col: 1 }));
  else if (linkFile === DUMP_FILES.addr) out.push(warning('HOST_DUMP_MISSING', `no ${DUMP_FILES.link} (ip -j -d link): device kinds are unknown, every device but lo is read as a NIC`, { file: path(DUMP_FILES.link), line: 1, col: 1 }));
  for (const { link } of readLinks(json(linkFile), out)) {
    putLink(ns, link.kind === 'veth' && link.peer.ns === '' ? { ...link, peer: { ns: ns.name, dev: link.peer.dev } } : link);
    ns.counters.ifindex = Math.max(ns.counters.ifindex, link.ifindex + 1);
  }
  readAddrs(ns, json(DUMP_FILES.addr), out);
  readRoutes(ns, [...json(DUMP_FILES.route), ...json(DUMP_FILES.route6)], out);
  for (const [family, file] of [[4, DUMP_FILES.rule], [6, DUMP_FILES.rule6]] as const) {
    if (files[file] === undefined) ns.rules[family].push(...defaultRules(family));
    else ns.rules[family].push(...readRules(family, json(file), out));
  }
  readNeigh(ns, json(DUMP_FILES.neigh), out);
  readFdb(ns, json(DUMP_FILES.fdb), out);
  readNetfilter(ns, files, path, out);
  for (const f of [DUMP_FILES.sysctl, DUMP_FILES.sysctlConf]) {
    const text = files[f];
    if (text !== undefined) readSysctl(text, path(f), (k, v) => trySysctl(ns, k, v), out);
  }
  return { value: { world, ns }, diagnostics: out };
}

function trySysctl(ns: Netns, name: string, value: string): boolean {
  try {
    setSysctl(ns, name, value);
    return true;
  } catch {
    return false;
  }
}

/** ipsets first (rules name them), then iptables and ip6tables, then nftables. */
function readNetfilter(ns: Netns, files: NodeDumpFiles, path: (f: string) => string, out: Diagnostic[]): void {
  const sets = files[DUMP_FILES.ipset];
  if (sets !== undefined) {
    const parsed = parseIpsetSave(sets, { file: path(DUMP_FILES.ipset) });
    out.push(...parsed.diagnostics);
    for (const s of parsed.value) defineSet(ns.netfilter, s);
  }
  for (const [family, file] of [[4, DUMP_FILES.iptables], [6, DUMP_FILES.ip6tables]] as const) {
    const text = files[file];
    if (text === undefined) continue;
    const r = iptablesRestore(ns.netfilter, text, { file: path(file), family, noflush: false });
    out.push(...r.diagnostics);
  }
  const nftText = files[DUMP_FILES.nft];
  if (nftText === undefined || nftText.trim() === '') return;
  const xt = { 4: new Set(getRuleset(ns.netfilter, 4).tables.map((t) => t.name as string)), 6: new Set(getRuleset(ns.netfilter, 6).tables.map((t) => t.name as string)) };
  const { text, removed } = withoutXtablesTables(nftText, xt);
  if (removed.length > 0) out.push(warning('HOST_DUMP_DUPLICATE', `nft tables ${removed.join(', ')} are iptables-nft's view of the iptables-save tables, which are read instead`, { file: path(DUMP_FILES.nft), line: 1, col: 1 }));
  const parsed = parseNft(text, { file: path(DUMP_FILES.nft) });
  // A statement netsim does not model leaves the whole nft ruleset out, said as a warning: the rest of the node still imports.
  const unmodelled = parsed.diagnostics.filter((d) => d.code === 'NFT_UNSUPPORTED');
  out.push(...parsed.diagnostics.map((d) => (d.code === 'NFT_UNSUPPORTED' ? { ...d, severity: 'warning' as const } : d)));
  if (unmodelled.length > 0) out.push(warning('HOST_DUMP_UNMODELLED', `the nft ruleset is not loaded: ${unmodelled.length} statement${unmodelled.length === 1 ? '' : 's'} netsim does not model; traces see no nftables rules`, { file: path(DUMP_FILES.nft), line: 1, col: 1 }));
  else if (!hasErrors(parsed.diagnostics)) setNftRuleset(ns.netfilter.nft, parsed.value);
}
