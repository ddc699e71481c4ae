/**
 * NodePorts for NodePort and LoadBalancer Services that do not fix one: the lowest free port
 * of `--service-node-port-range` (30000–32767 unless the Cluster sets `serviceNodePortRange`), in document order, after every fixed
 * nodePort is reserved. (The API server picks at random; netsim picks deterministically.)
 */
import { type IntRange, lowestFree } from './free.js';

/** A port range as the API server's `--service-node-port-range` holds it (both ends included). */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/** `--service-node-port-range`'s default. */
export const NODE_PORT_RANGE: PortRange = { first: 30000, last: 32767 };

/** The range as the API server prints it in errors (utilnet.PortRange.String: `first-last`). */
export function formatPortRange(r: PortRange): string {
  return `${r.first}-${r.last}`;
}

/** Allocates `count` node ports of `ports` (default 30000–32767) avoiding `taken`; undefined entries when the range is full. */
export function allocateNodePorts(taken: readonly number[], count: number, ports: PortRange = NODE_PORT_RANGE): (number | undefined)[] {
  const range: IntRange = { first: BigInt(ports.first), last: BigInt(ports.last) };
  const free = lowestFree(range, new Set(taken.map(BigInt)), count);
  return Array.from({ length: count }, (_, i) => {
    const v = free[i];
    return v === undefined ? undefined : Number(v);
  });
}
