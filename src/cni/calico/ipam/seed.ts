/**
 * What exists in the datastore before calico-ipam runs: the IPPools and the IPAMConfig the
 * operator applied (`calicoctl apply`, or calico-node creating the default pool from
 * `CALICO_IPV4POOL_*`), and the Kubernetes Nodes with their labels.
 */
import { formatCidr } from '../../../addr/cidr.js';
import { isObject } from '../../json.js';
import type { ClusterApi, JsonValue } from '../../types.js';
import { sortedAttrs } from './block.js';
import { CALICO_RESOURCE, crdObject, resource } from './crd.js';
import type { IpamConfigInput, IpamNodeInput, IpamPoolInput } from './input.js';

/** The pools and IPAM configuration to seed (a `CalicoCniConfig` fits). */
export interface CalicoIpamSeed {
  readonly ipPools: readonly IpamPoolInput[];
  readonly ipam: IpamConfigInput;
}

/**
 * Writes `ippools.crd.projectcalico.org/<name>`, `ipamconfigs.crd.projectcalico.org/default`
 * and the labels of each `nodes/<name>` (merged into a Node object already there).
 */
export function seedCalicoApi(api: ClusterApi, cfg: CalicoIpamSeed, nodes: readonly IpamNodeInput[]): void {
  const pools = resource(api, CALICO_RESOURCE.ipPools);
  for (const p of cfg.ipPools) {
    const spec = {
      cidr: formatCidr(p.cidr),
      blockSize: p.blockSize,
      ipipMode: p.ipipMode,
      vxlanMode: p.vxlanMode,
      natOutgoing: p.natOutgoing,
      nodeSelector: p.nodeSelector === '' ? 'all()' : p.nodeSelector,
      disabled: p.disabled,
    };
    pools.set(p.name, crdObject('IPPool', p.name, spec));
  }
  const ipamSpec = { strictAffinity: cfg.ipam.strictAffinity, autoAllocateBlocks: true, maxBlocksPerHost: cfg.ipam.maxBlocksPerHost };
  resource(api, CALICO_RESOURCE.ipamConfigs).set('default', crdObject('IPAMConfig', 'default', ipamSpec));
  const nodeMap = resource(api, CALICO_RESOURCE.nodes);
  for (const n of nodes) {
    const old = nodeMap.get(n.name);
    const base = isObject(old) ? old : { apiVersion: 'v1', kind: 'Node' };
    const meta = isObject(base.metadata) ? base.metadata : {};
    const merged: Record<string, JsonValue> = { ...base, metadata: { ...meta, name: n.name, labels: sortedAttrs(n.labels) } };
    nodeMap.set(n.name, merged);
  }
}
