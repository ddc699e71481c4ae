/**
 * Builders for calico-ipam tests: pools with the manifest's defaults and a seeded API map.
 */
import { cidr } from '../../src/addr/cidr.js';
import { formatIp } from '../../src/addr/ip.js';
import type { ClusterApi } from '../../src/cni/types.js';
import { autoAssign } from '../../src/cni/calico/ipam/assign.js';
import type { IpamConfigInput, IpamNodeInput, IpamPoolInput } from '../../src/cni/calico/ipam/input.js';
import { seedCalicoApi } from '../../src/cni/calico/ipam/seed.js';

/** A pool with calico.yaml's defaults (IPIP Always, natOutgoing, all nodes). */
export function testPool(name: string, text: string, over: Partial<IpamPoolInput> = {}): IpamPoolInput {
  const c = cidr(text);
  return { name, cidr: c, blockSize: c.addr.family === 4 ? 26 : 122, ipipMode: c.addr.family === 4 ? 'Always' : 'Never', vxlanMode: 'Never', natOutgoing: true, nodeSelector: 'all()', disabled: false, ...over };
}

/** An API map seeded with pools, an IPAMConfig and nodes (`n1`, `n2`, … when only a count is given). */
export function testApi(pools: readonly IpamPoolInput[], nodes: readonly IpamNodeInput[] | number, ipam: Partial<IpamConfigInput> = {}): ClusterApi {
  const api: ClusterApi = new Map();
  const list = typeof nodes === 'number' ? Array.from({ length: nodes }, (_, i) => ({ name: `n${i + 1}`, labels: {} })) : nodes;
  seedCalicoApi(api, { ipPools: pools, ipam: { strictAffinity: false, maxBlocksPerHost: 0, ...ipam } }, list);
  return api;
}

/** One IPv4 pod address for `node` under handle `h`, as text (or the error text). */
export function podIp(api: ClusterApi, node: string, h: string, family: 4 | 6 = 4): string {
  const r = autoAssign(api, { node, family, handle: h, attrs: { namespace: 'default', node, pod: h } });
  if (!r.ok) return r.message;
  return r.ips.map((c) => formatIp(c.addr)).join(' ');
}
