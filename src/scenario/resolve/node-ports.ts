/**
 * NodePorts: a given one must lie in 30000–32767 and be free (per protocol); NodePort and
 * LoadBalancer Service ports without one get the lowest free port, in document order.
 */
import { NODE_PORT_RANGE, allocateNodePorts } from '../../cluster/allocate/index.js';
import type { RawService } from '../raw.js';
import { fail } from '../reader.js';

/** Node ports per Service per port (undefined where a Service port has none). */
export function assignNodePorts(services: readonly RawService[]): (number | undefined)[][] {
  const taken = new Set<number>();
  const keys = new Set<string>();
  const out = services.map((s) => s.ports.map(() => undefined as number | undefined));
  services.forEach((s, i) => {
    s.ports.forEach((p, j) => {
      if (p.nodePort === undefined || p.nodePortField === undefined || !wantsNodePorts(s)) return;
      const key = `${p.nodePort}/${p.protocol}`;
      if (p.nodePort < NODE_PORT_RANGE.first || p.nodePort > NODE_PORT_RANGE.last) {
        fail(p.nodePortField, 'SCN_BAD_VALUE', `nodePort ${p.nodePort} is outside the node port range ${NODE_PORT_RANGE.first}-${NODE_PORT_RANGE.last}`);
      } else if (keys.has(key)) {
        fail(p.nodePortField, 'SCN_DUPLICATE_PORT', `nodePort ${key} is already used by another Service port`);
      } else {
        taken.add(p.nodePort);
        keys.add(key);
        (out[i] ?? [])[j] = p.nodePort;
      }
    });
  });
  const wanting: [number, number][] = [];
  services.forEach((s, i) => s.ports.forEach((p, j) => {
    if (wantsNodePorts(s) && p.nodePort === undefined) wanting.push([i, j]);
  }));
  const fresh = allocateNodePorts([...taken], wanting.length);
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
