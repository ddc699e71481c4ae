/**
 * Packet-flow tables for kube-proxy payloads through netsim's real netfilter engine, in the
 * shape of upstream's `packetFlowTest` (pkg/proxy/iptables/proxier_test.go; reference note §11):
 * `{ name, sourceIP, destIP, destPort, protocol?, output, masq }`.
 *
 * A node is built as kube-proxy builds it: an empty netfilter state, the jumps from the built-in
 * chains inserted at position 1 in kube-proxy's ensure order (builtinJumpSpecs), then the
 * payload restored with `--noflush` (as src/cluster/assemble/proxy.ts does). Each row is traced
 * with traceHostAllPaths, so every `-m statistic` branch is followed with its probability.
 *
 * Where a packet comes from (upstream's tracer runs nat PREROUTING for every packet; the kernel
 * does not):
 * - source is a node address (LOCAL: the node IPs and 127.0.0.0/8): a locally generated packet,
 *   no in device: nat OUTPUT, filter OUTPUT, then POSTROUTING;
 * - any other source (pods 10.0.0.0/8 arrive on `cni0`, everyone else on `eth0`): PREROUTING,
 *   then INPUT when the destination after DNAT is local, else FORWARD and POSTROUTING.
 * A row may force either with `origin`.
 *
 * `output` is upstream's: the DNAT destinations of all paths (`ip:port`, in path order, which is
 * rule order and so upstream's order), or `DROP` / `REJECT` when a rule said so, `ACCEPT` when a
 * filter rule accepted the packet without DNAT, and `""` when no kube-proxy rule decided.
 * `masq` is whether the packet leaves with its source rewritten by MASQUERADE in POSTROUTING
 * (not upstream's "KUBE-MARK-MASQ was hit"); when paths disagree it names the endpoints whose
 * path is masqueraded (`'10.180.0.1:80 only'`), since only that branch really is.
 */
import { type Ip, ip } from '../../src/addr/ip.js';
import { createNetfilter, getRuleset, insertRule, newChain, type NftRuleset, type Ruleset } from '../../src/kernel/netfilter/index.js';
import { findChain, findTable } from '../../src/kernel/netfilter/state.js';
import { iptablesRestore } from '../../src/kernel/netfilter/restore.js';
import { parseRule } from '../../src/kernel/netfilter/syntax/index.js';
import type { Packet } from '../../src/packet/packet.js';
import { type EndpointsBySPN, type ProxierConfig, type ServicePortInput, buildIptablesPayload, builtinJumpSpecs } from '../../src/proxy/index.js';
import { type HostTracePath, traceHostAllPaths } from '../../src/trace/iptables-trace.js';

/** One row of a packet-flow table. */
export interface FlowRow {
  readonly name: string;
  readonly sourceIP: string;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly destIP: string;
  readonly destPort: number;
  /** Endpoints joined with ", ", or DROP / REJECT / ACCEPT, or "". */
  readonly output: string;
  readonly masq: boolean | string;
  /** Overrides where the packet comes from (see the file header). */
  readonly origin?: Origin;
  /**
   * Upstream's simplified tracer's answer, where it differs from the kernel's (which `output`
   * and `masq` hold); the row's comment says why.
   */
  readonly upstream?: { readonly output: string; readonly masq: boolean };
  /** Set when netsim's one-host tracer does not yet give the kernel's answer: what it misses. */
  readonly engineGap?: string;
}

/** The inputs of one node and its packet-flow table. */
export interface FlowCase {
  readonly name: string;
  readonly config: ProxierConfig;
  readonly services: readonly ServicePortInput[];
  readonly endpoints: EndpointsBySPN;
  readonly rows: readonly FlowRow[];
}

/** `node`: locally generated (OUTPUT); `cni0` / `eth0`: arrives on that device (PREROUTING). */
export type Origin = 'node' | 'cni0' | 'eth0';

/** What the engine answered for a row. */
export interface FlowResult {
  readonly output: string;
  readonly masq: boolean | string;
  readonly paths: readonly HostTracePath[];
}

/** A node's kube-proxy rules: the payload, and the ruleset after ensure-jumps + restore. */
export interface ProxyNode {
  readonly payload: string;
  readonly ruleset: Ruleset;
  /** The node's own addresses (IPv4 ones of `nodeIPs`); 127.0.0.0/8 is LOCAL anyway. */
  readonly localAddrs: readonly Ip[];
}

/** Builds the node: jumps from the built-in chains, then `iptables-restore --noflush` of the payload. */
export function proxyNode(config: ProxierConfig, services: readonly ServicePortInput[], endpoints: EndpointsBySPN): ProxyNode {
  const payload = buildIptablesPayload(config, services, endpoints).text;
  const nf = createNetfilter();
  for (const jump of builtinJumpSpecs(config)) {
    const table = findTable(nf, 4, jump.table);
    if (table === undefined || findChain(table, jump.target) === undefined) newChain(nf, 4, jump.table, jump.target);
    const parsed = parseRule(jump.rule, { file: 'kube-proxy', family: 4, table: jump.table });
    const rule = parsed.value?.rules[0];
    if (rule === undefined || parsed.diagnostics.length > 0) throw new Error(`jump does not parse: ${jump.rule}`);
    insertRule(nf, 4, jump.table, jump.chain, rule, 1);
  }
  const restored = iptablesRestore(nf, payload, { file: 'payload', family: 4, noflush: true });
  if (restored.diagnostics.length > 0) throw new Error(`payload does not restore: ${restored.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const localAddrs = config.nodeIPs.filter((a) => !a.includes(':')).map((a) => ip(a));
  return { payload, ruleset: getRuleset(nf, 4), localAddrs };
}

const PODS = /^10\./;

/** Where a row's packet comes from when the row does not say. */
export function originOf(node: Pick<ProxyNode, 'localAddrs'>, row: Pick<FlowRow, 'sourceIP' | 'origin'>): Origin {
  if (row.origin !== undefined) return row.origin;
  const src = ip(row.sourceIP);
  const local = row.sourceIP.startsWith('127.') || node.localAddrs.some((a) => a.value === src.value);
  if (local) return 'node';
  return PODS.test(row.sourceIP) ? 'cni0' : 'eth0';
}

/** The first packet of the row's flow (TCP SYN, UDP or SCTP from port 40000). */
export function flowPacket(row: Pick<FlowRow, 'sourceIP' | 'destIP' | 'destPort' | 'protocol'>): Packet {
  const s = ip(row.sourceIP);
  const header = { family: s.family, src: s, dst: ip(row.destIP), ttl: 64, length: 60, dontFragment: true } as const;
  const proto = (row.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp' | 'sctp';
  const l4 = proto === 'tcp' ? { proto, sport: 40000, dport: row.destPort, flags: ['SYN'] as const } : { proto, sport: 40000, dport: row.destPort };
  return { ip: header, l4, encap: [] };
}

/** Traces one row through the node's rules, every random branch. */
export function traceFlow(node: ProxyNode, row: Pick<FlowRow, 'sourceIP' | 'destIP' | 'destPort' | 'protocol' | 'origin'>): FlowResult {
  return flowResult(tracePaths({ rulesets: [node.ruleset], localAddrs: node.localAddrs }, row));
}

/** Every path of one row's packet through iptables rulesets (and an nft ruleset, when given). */
export function tracePaths(
  node: { readonly rulesets: readonly Ruleset[]; readonly nft?: NftRuleset; readonly localAddrs: ProxyNode['localAddrs'] },
  row: Pick<FlowRow, 'sourceIP' | 'destIP' | 'destPort' | 'protocol' | 'origin'>,
): HostTracePath[] {
  const origin = originOf(node, row);
  return traceHostAllPaths({
    rulesets: [...node.rulesets],
    ...(node.nft === undefined ? {} : { nft: node.nft }),
    packet: flowPacket(row),
    ...(origin === 'node' ? {} : { inDev: origin }),
    outDev: 'eth0',
    localAddrs: node.localAddrs,
  });
}

/** A row's answer from its paths: the distinct outputs, and which paths were masqueraded. */
export function flowResult(paths: HostTracePath[], masqueraded: (p: HostTracePath) => boolean = pathMasqueraded): FlowResult {
  const outputs: string[] = [];
  for (const p of paths) {
    const o = pathOutput(p);
    if (!outputs.includes(o)) outputs.push(o);
  }
  return { output: outputs.filter((o) => o !== '' || outputs.length === 1).join(', '), masq: masqOf(paths, masqueraded), paths };
}

/** DNAT destination, DROP/REJECT, ACCEPT by a rule, or "" for one path. */
export function pathOutput(p: HostTracePath): string {
  if (p.verdict !== 'ACCEPT') return p.verdict;
  if (p.nat.some((n) => n.field === 'dst' || n.field === 'dport')) {
    const l4 = p.packet.l4;
    return `${fmt(p.packet.ip.dst)}:${'dport' in l4 ? l4.dport : ''}`;
  }
  return p.steps.some((s) => 'verdict' in s && s.verdict === 'ACCEPT') ? 'ACCEPT' : '';
}

/** True when the path's source was rewritten by MASQUERADE. */
export function pathMasqueraded(p: HostTracePath): boolean {
  return p.nat.some((n) => n.field === 'src' && n.by.startsWith('MASQUERADE')) || p.steps.some((s) => 'verdict' in s && s.verdict === 'MASQUERADE');
}

function masqOf(paths: readonly HostTracePath[], isMasqueraded: (p: HostTracePath) => boolean): boolean | string {
  const masqueraded = paths.filter(isMasqueraded);
  if (masqueraded.length === 0) return false;
  if (masqueraded.length === paths.length) return true;
  return `${masqueraded.map(pathOutput).join(', ')} only`;
}

function fmt(a: Ip): string {
  return [24n, 16n, 8n, 0n].map((s) => ((a.value >> s) & 255n).toString()).join('.');
}

/** A row as the assertion compares it. */
export function expected(row: FlowRow): { output: string; masq: boolean | string } {
  return { output: row.output, masq: row.masq };
}
