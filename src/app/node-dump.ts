/**
 * A real node's dump as something `show` and `trace` use (`--node-dump DIR`): the imported
 * namespace is a node like a simulated one. A traced packet either enters on a device
 * (`--in DEV`: a frame addressed to that device's MAC arrives, as from the wire or a pod's veth)
 * or is sent by a socket of the node itself. Devices whose far side the dump does not hold (a
 * NIC, a veth into a pod) end the trace in EXITS_NETWORK there.
 */
import type { Mac } from '../addr/mac.js';
import { type ImportedNode, importNodeDump } from '../kernel/import/node-dump.js';
import type { NodeDumpFiles } from '../kernel/import/node-dump.js';
import type { Location } from '../kernel/stack/step.js';
import type { Packet } from '../packet/packet.js';
import { allSections, renderSections, type ShowSection } from '../render/netns-state.js';
import { simContext } from '../sim/context.js';
import { tracePacket } from '../trace/tracer.js';
import type { Trace } from '../trace/types.js';
import type { Diagnostic, Parsed } from '../diag/diagnostic.js';
import { isJsonSection, renderSectionJson } from '../render/netns-json.js';

export { importNodeDump, type ImportedNode, type NodeDumpFiles };

/** The MAC a frame entering with `--in` comes from: a locally administered one no dump holds. */
const WIRE_MAC = '02:00:5e:00:53:01' as Mac;

/** `show NAME SECTION --node-dump DIR`: the imported namespace in the real tools' formats. */
export function showNodeDump(node: ImportedNode, what: ShowSection | 'all', format: 'text' | 'json' = 'text'): string {
  if (format === 'json' && isJsonSection(what)) return renderSectionJson(node.world, node.ns, what);
  return renderSections(node.world, node.ns, what === 'all' ? allSections(node.ns) : [what]);
}

/** Where a packet starts on an imported node: arriving on `inDev`, else sent locally. */
export function nodeDumpStart(node: ImportedNode, packet: Packet, inDev?: string): Location | { problem: string } {
  if (inDev === undefined) return { at: 'local-out', ns: node.ns.name, packet };
  const link = node.ns.links[inDev];
  if (link === undefined) return { problem: `--in ${inDev}: the node has no such device (it has ${Object.keys(node.ns.links).join(', ')})` };
  return { at: 'rx', ns: node.ns.name, dev: inDev, frame: { srcMac: WIRE_MAC, dstMac: link.mac, packet } };
}

/** Traces one packet through the imported node (which it changes: conntrack, neighbours, learned FDB entries). */
export function traceNodeDump(node: ImportedNode, packet: Packet, opts: { inDev?: string; seed?: number }): { trace: Trace } | { problem: string } {
  const start = nodeDumpStart(node, packet, opts.inDev);
  if ('problem' in start) return start;
  const trace = tracePacket(node.world, start, { ctx: simContext(opts.seed ?? 1), label: (ns) => (ns === node.ns.name ? `node ${ns}` : ns) });
  return { trace };
}

/** A one-screen account of an import: what each file gave. */
export function importSummary(r: Parsed<ImportedNode>): string {
  const ns = r.value.ns;
  const routes = Object.values(ns.tables).reduce((n, t) => n + t.v4.size + t.v6.size, 0);
  const kinds = Object.values(ns.links).map((l) => (l.dump?.realKind !== undefined ? `${l.name} (${l.dump.realKind}, not modelled)` : `${l.name} (${l.kind})`));
  const fdb = Object.values(ns.links).reduce((n, l) => n + (l.kind === 'bridge' || l.kind === 'vxlan' ? (ns.fdb[l.kind].get(l.name)?.length ?? 0) : 0), 0);
  const tables = [4, 6].flatMap((f) => ns.netfilter.rulesets[f as 4 | 6].tables.map((t) => `${f === 4 ? 'ip' : 'ip6'}/${t.name}`));
  const warnings = r.diagnostics.filter((d: Diagnostic) => d.severity === 'warning').length;
  return [
    `node ${ns.name}`,
    `  devices     ${kinds.join(', ')}`,
    `  addresses   ${ns.addrs.length}`,
    `  routes      ${routes} in tables ${Object.keys(ns.tables).join(', ')}`,
    `  rules       ${ns.rules[4].length} IPv4, ${ns.rules[6].length} IPv6`,
    `  neighbours  ${ns.neigh.length}`,
    `  fdb         ${fdb} static, learned or remote entries`,
    `  ipsets      ${ns.netfilter.ipsets.size}`,
    `  iptables    ${tables.length > 0 ? tables.join(', ') : 'none'}`,
    `  nftables    ${ns.netfilter.nft.ruleset.tables.length} tables`,
    `  sysctls     ${Object.keys(ns.sysctl).length}`,
    `  warnings    ${warnings}`,
    '',
  ].join('\n');
}
