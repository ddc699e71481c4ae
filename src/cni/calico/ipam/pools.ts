/**
 * Which pools a request may use: libcalico-go's `determinePools` (enabled pools of the family,
 * requested ones unconditionally, otherwise those whose `nodeSelector` selects the node) and
 * `SelectsNode`.
 */
import { type Cidr, cidrContains, formatCidr } from '../../../addr/cidr.js';
import type { Family, Ip } from '../../../addr/ip.js';
import type { ClusterApi } from '../../types.js';
import { parseCalicoSelector, selects } from '../selector.js';
import { readNodeLabels, readPools } from './datastore.js';
import type { IpamPoolInput } from './input.js';

/** The pools a request may use, or calico-ipam's error. */
export type PoolChoice = { readonly ok: true; readonly pools: readonly IpamPoolInput[] } | { readonly ok: false; readonly message: string };

/** `SelectsNode`: whether the pool's `nodeSelector` selects a node with these labels (a bad selector selects nothing). */
export function poolSelectsNode(pool: IpamPoolInput, labels: Readonly<Record<string, string>>): boolean {
  const sel = parseCalicoSelector(pool.nodeSelector);
  return sel.ok && selects(sel.selector, labels);
}

/** The enabled pool containing an address (`getPoolForIP` over enabled pools). */
export function enabledPoolFor(api: ClusterApi, ip: Ip): IpamPoolInput | undefined {
  return readPools(api, ip.family).find((p) => !p.disabled && cidrContains(p.cidr, ip));
}

/**
 * `prepareAffinityBlocksForHost`'s pool step. `requested` (pool CIDRs) bypasses the selectors,
 * as calico-node's tunnel allocation and the CNI `ipv4_pools` option use it.
 */
export function choosePools(api: ClusterApi, node: string, family: Family, requested?: readonly Cidr[]): PoolChoice {
  const labels = readNodeLabels(api, node);
  if (labels === undefined) return { ok: false, message: `resource does not exist: Node(${node}) with error: nodes "${node}" not found` };
  const enabled = readPools(api, family).filter((p) => !p.disabled);
  if (enabled.length === 0) return { ok: false, message: 'cannot find a qualified ippool' };
  if (requested !== undefined && requested.length > 0) {
    const out: IpamPoolInput[] = [];
    for (const r of requested) {
      const p = enabled.find((e) => formatCidr(e.cidr) === formatCidr(r));
      if (p === undefined) return { ok: false, message: `the given pool (${formatCidr(r)}) does not exist, or is not enabled` };
      out.push(p);
    }
    return { ok: true, pools: out };
  }
  const pools = enabled.filter((p) => poolSelectsNode(p, labels));
  if (pools.length === 0) return { ok: false, message: `no configured Calico pools for node ${node}` };
  return { ok: true, pools };
}
