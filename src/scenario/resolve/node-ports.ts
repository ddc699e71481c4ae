/**
 * NodePorts: a given one must lie in the Cluster's serviceNodePortRange (30000–32767) and be free (per protocol); NodePort and
 * LoadBalancer Service ports without one get the lowest free port, in document order.
 */
import { NODE_PORT_RANGE, type PortRange, allocateNodePorts, formatPortRange } from '../../cluster/allocate/index.js';
import type { RawService } from '../raw.js';
import { fail, fieldName } from '../reader.js';

/** Node ports per Service per port (undefined where a Service port has none). */
export function assignNodePorts(services: readonly RawService[], range: PortRange = NODE_PORT_RANGE): (number | undefined)[][] {
  const taken = new Set<number>();
  const keys = new Set<string>();
  const out = services.map((s) => s.ports.map(() => undefined as number | undefined));
  services.forEach((s, i) => {
    s.ports.forEach((p, j) => {
      if (p.nodePort === undefined || p.nodePortField === undefined || !wantsNodePorts(s)) return;
      const key = `${p.nodePort}/${p.protocol}`;
      if (p.nodePort < range.first || p.nodePort > range.last) {
        // The allocator's refusals, in the API server's words (pkg/registry/core/service/portallocator).
        fail(p.nodePortField, 'SCN_BAD_VALUE', `${fieldName(p.nodePortField)}: Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${formatPortRange(range)}`);
      } else if (keys.has(key)) {
        fail(p.nodePortField, 'SCN_DUPLICATE_PORT', `${fieldName(p.nodePortField)}: Invalid value: ${p.nodePort}: provided port is already allocated (${key})`);
      } else {
        taken.add(p.nodePort);
        keys.add(key);
        (out[i] ?? [])[j] = p.nodePort;
      }
    });
  });
  const wanting: [number, number][] = [];
  services.forEach((s, i) => s.ports.forEach((p, j) => {
    // allocateLoadBalancerNodePorts: false leaves a LoadBalancer without the ports it does not name.
    if (wantsNodePorts(s) && p.nodePort === undefined && s.allocateLoadBalancerNodePorts !== false) wanting.push([i, j]);
  }));
  const fresh = allocateNodePorts([...taken], wanting.length, range);
  wanting.forEach(([i, j], k) => {
    const port = fresh[k];
    const s = services[i];
    if (port === undefined && s !== undefined) fail(s.meta.nameField, 'SCN_PORT_EXHAUSTED', `no node port left for Service ${s.meta.name}`);
    (out[i] ?? [])[j] = port;
  });
  return out;
}

function wantsNodePorts(s: RawService): boolean {
  return s.type === 'NodePort' || s.type === 'LoadBalancer';
}
