/**
 * {@link CalicoIpamView} read from the IPAMBlock objects: what BIRD's static protocol and Felix's
 * route manager program routes from, and what `calicoctl ipam show --show-blocks` summarises.
 */
import { cidrContains } from '../../../addr/cidr.js';
import type { ClusterApi } from '../../types.js';
import { affinityNode, ordinalToIp } from './block.js';
import { readBlocks, readPools } from './datastore.js';
import type { CalicoIpamView, IpamAllocation, IpamBlockView } from './view.js';

/** Every block in the order nodes claimed them, with its pool, node and allocations in ordinal order. */
export function readIpamView(api: ClusterApi): CalicoIpamView {
  const pools = readPools(api);
  const blocks: IpamBlockView[] = readBlocks(api).map((b) => {
    const node = affinityNode(b);
    const allocations: IpamAllocation[] = [];
    b.allocations.forEach((idx, o) => {
      if (idx === null) return;
      const attr = b.attributes[idx];
      const sec = attr?.secondary ?? {};
      const owner = sec.node ?? node ?? '';
      const base = { ip: ordinalToIp(b, o), node: owner, handle: attr?.handle ?? '' };
      allocations.push(sec.pod !== undefined ? { ...base, pod: `${sec.namespace ?? ''}/${sec.pod}` } : base);
    });
    const pool = pools.find((p) => cidrContains(p.cidr, b.cidr.addr))?.name ?? '';
    return node === undefined ? { cidr: b.cidr, pool, allocations } : { cidr: b.cidr, pool, node, allocations };
  });
  return { blocks };
}
