/**
 * NodePorts for NodePort and LoadBalancer Services that do not fix one: the lowest free port
 * of `--service-node-port-range` (30000–32767), in document order, after every fixed
 * nodePort is reserved. (The API server picks at random; netsim picks deterministically.)
 */
import { type IntRange, lowestFree } from './free.js';

/** `--service-node-port-range`'s default. */
export const NODE_PORT_RANGE = { first: 30000, last: 32767 } as const;

/** Allocates `count` node ports avoiding `taken`; undefined entries when the range is full. */
export function allocateNodePorts(taken: readonly number[], count: number): (number | undefined)[] {
  const range: IntRange = { first: BigInt(NODE_PORT_RANGE.first), last: BigInt(NODE_PORT_RANGE.last) };
  const free = lowestFree(range, new Set(taken.map(BigInt)), count);
  return Array.from({ length: count }, (_, i) => {
    const v = free[i];
    return v === undefined ? undefined : Number(v);
  });
}
