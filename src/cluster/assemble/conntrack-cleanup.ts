/**
 * kube-proxy's conntrack reconciliation after a sync (`CleanStaleEntries`,
 * pkg/proxy/conntrack/cleanup.go): UDP has no connection to break, so a datagram flow whose
 * entry still DNATs to a removed endpoint would keep going there until the entry expires. After
 * each sync kube-proxy lists the node's entries and deletes every UDP one whose original
 * destination is a UDP Service's ClusterIP, LoadBalancer IP or external IP (or whose original
 * destination port is its NodePort) and whose reply source (the DNAT target) is no serving
 * endpoint of that Service any more. TCP and SCTP entries are left alone: a TCP entry to a gone
 * pod keeps pointing at its old address, as in the kernel, until the connection times out or
 * is reset.
 */
import { formatIp } from '../../addr/ip.js';
import type { ConntrackEntry } from '../../kernel/netfilter/index.js';
import { IPPROTO } from '../../kernel/netfilter/conntrack/tuple.js';
import { deleteEntry } from '../../kernel/netfilter/conntrack/table.js';
import type { NetfilterState } from '../../kernel/netfilter/state.js';
import type { KubeProxyView } from './proxy.js';

/** The serving endpoint IPs of each UDP Service address and NodePort, as CleanStaleEntries maps them. */
function udpServing(view: KubeProxyView): { byIp: Map<string, Set<string>>; byNodePort: Map<number, Set<string>> } {
  const byIp = new Map<string, Set<string>>();
  const byNodePort = new Map<number, Set<string>>();
  for (const sp of view.servicePorts) {
    if (sp.protocol !== 'UDP') continue;
    const spn = sp.portName === '' ? `${sp.namespace}/${sp.name}` : `${sp.namespace}/${sp.name}:${sp.portName}`;
    const ips = new Set((view.endpoints.get(spn) ?? []).filter((e) => e.serving).map((e) => e.ip));
    for (const a of [sp.clusterIP, ...(sp.loadBalancerIPs ?? []), ...(sp.externalIPs ?? [])]) byIp.set(a, ips);
    if (sp.nodePort !== undefined) byNodePort.set(sp.nodePort, ips);
  }
  return { byIp, byNodePort };
}

/** True when kube-proxy's filters (filterForNAT, filterForPortNAT) select the entry. */
function stale(e: ConntrackEntry, serving: ReturnType<typeof udpServing>): boolean {
  if (e.orig.proto !== IPPROTO.udp) return false;
  const replySrc = formatIp(e.reply.src);
  const forIp = serving.byIp.get(formatIp(e.orig.dst));
  const forPort = serving.byNodePort.get(e.orig.dport);
  return (forIp !== undefined && !forIp.has(replySrc)) || (forPort !== undefined && !forPort.has(replySrc));
}

/**
 * Deletes the node's stale UDP entries of one family (`conntrack -D` per filter) and returns
 * them, in the table's order, so a session can say what went.
 */
export function cleanStaleEntries(nf: NetfilterState, family: 4 | 6, view: KubeProxyView): ConntrackEntry[] {
  const serving = udpServing(view);
  const gone = [...nf.conntrack.entries.values()].filter((e) => e.orig.family === family && stale(e, serving)).sort((a, b) => a.id - b.id);
  for (const e of gone) deleteEntry(nf.conntrack, e.id);
  return gone;
}
