/**
 * Explaining a Service address that kube-proxy has no rule for. KUBE-SERVICES matches a
 * ClusterIP together with a protocol and a port (one rule per Service port, as
 * syncProxyRules writes them); a packet to the ClusterIP with another port or protocol matches
 * none, is not DNATed, and follows the routing table, usually out by the default route. This adds
 * a `note` at the last hop saying so, with the ports the Service does serve.
 */
import { ipEquals, parseIp } from '../addr/ip.js';
import type { Service } from '../cluster/objects.js';
import type { Trace } from './types.js';

/** The trace with a note when it left the network for a Service address no kube-proxy rule matched. */
export function noteNoServiceRule(trace: Trace, services: readonly Service[]): Trace {
  if (trace.ending.disposition !== 'EXITS_NETWORK') return trace;
  const p = trace.ending.packet;
  const dst = parseIp(p.dst);
  const svc = dst === undefined ? undefined : services.find((s) => s.clusterIPs.some((a) => ipEquals(a, dst)));
  const last = trace.hops[trace.hops.length - 1];
  if (svc === undefined || last === undefined) return trace;
  const asked = p.dport !== undefined ? `${p.dst}:${p.dport}/${p.proto}` : `${p.dst} (${p.proto})`;
  const serves = svc.ports.map((x) => `${x.port}/${x.protocol.toLowerCase()}`).join(', ');
  const text = `no kube-proxy rule matches ${asked}: service ${svc.namespace}/${svc.name} serves ${serves === '' ? 'no ports' : serves}, so KUBE-SERVICES does not DNAT the packet and it follows the default route`;
  return { ...trace, hops: [...trace.hops.slice(0, -1), { ...last, steps: [...last.steps, { type: 'note', text }] }] };
}
