/**
 * calico-ipam as pure data on the cluster-wide API map: Calico's IPAM CRDs (IPPool, IPAMConfig,
 * IPAMBlock, BlockAffinity, IPAMHandle) as JSON objects by resource then name, and the
 * operations libcalico-go's IPAM client and calico-node perform on them. Imports addr and the
 * cni layer only; the cluster layer hands in its objects through the structural types of
 * ./input.ts.
 */
export { type AssignIpArgs, type AssignIpOutcome, type AutoAssignArgs, type AutoAssignOutcome, assignIp, autoAssign, ERR_BLOCK_LIMIT } from './assign.js';
export { affinityName, CALICO_CRD_API_VERSION, CALICO_RESOURCE, cidrToName, handleName } from './crd.js';
export { readIpamConfig, readPools, snapshotApi } from './datastore.js';
export { DEFAULT_MAX_BLOCKS_PER_HOST, type IpamConfigInput, type IpamEncapMode, type IpamNodeInput, type IpamPoolInput } from './input.js';
export { calicoHandleId, calicoIpamPlugin } from './plugin.js';
export { choosePools, poolSelectsNode } from './pools.js';
export { readIpamView } from './read-view.js';
export { ipsByHandle, releaseByHandle } from './release.js';
export { type CalicoIpamSeed, seedCalicoApi } from './seed.js';
export { type IpamShowOptions, ipamShowText } from './show.js';
export { allocateTunnelAddress, type TunnelKind, type TunnelOutcome, tunnelHandle } from './tunnel.js';
export type { CalicoIpamView, IpamAllocation, IpamBlockView } from './view.js';
