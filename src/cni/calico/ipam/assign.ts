/**
 * Address assignment as libcalico-go's `ipamClient.autoAssign` and `AssignIP` do it, against
 * the objects in the cluster API map.
 *
 * `autoAssign`, for one family:
 * 1. The pools: enabled, of the family, whose `nodeSelector` selects the node (or the requested
 *    pools). None: `no configured Calico pools for node <node>`.
 * 2. The node's affine blocks inside those pools, in address order (real Calico takes the
 *    datastore's list order), the first one with a free address.
 * 3. Otherwise claim a new block — unless the node already holds `maxBlocksPerHost` blocks (20
 *    when the IPAMConfig says 0): then the request fails with `cannot allocate new block due to
 *    per host block limit`, and nothing is borrowed. **netsim claims the lowest free block**: pools
 *    in name order, and in each pool the block with the lowest address that no object exists
 *    for. Real Calico starts at a pseudo-random block seeded by an FNV hash of the node name and
 *    walks on from there, so real clusters claim scattered blocks; the ORDER is the only
 *    difference. Reclaiming an empty block affine to another node (allowed after it has been
 *    held for a minute) is not modelled.
 * 4. No block left to claim: with `strictAffinity` the request ends ("No more free affine blocks
 *    and strict affinity enabled"); otherwise it borrows single addresses from any existing block
 *    of those pools, whichever node holds it (in address order; real Calico again starts at a
 *    hashed block), and reports "No IPs available in pools: [...]" when there are none.
 * A block hands out its free ordinals in list order: .64, .65, … for a /26 at .64.
 */
import { type Cidr, canonicalCidr, cidrContains, cidrSize, formatCidr, networkOf, prefixMask } from '../../../addr/cidr.js';
import { type Family, formatIp, type Ip, ipFromValue } from '../../../addr/ip.js';
import type { ClusterApi } from '../../types.js';
import { type Block, ipToOrdinal, newBlock, takeFree, takeOrdinal } from './block.js';
import { CALICO_RESOURCE, cidrToName } from './crd.js';
import { affineBlockCidrs, incrementHandle, readBlock, readBlocks, readIpamConfig, writeAffinity, writeBlock } from './datastore.js';
import { DEFAULT_MAX_BLOCKS_PER_HOST, type IpamPoolInput } from './input.js';
import { choosePools, enabledPoolFor } from './pools.js';

/** `AutoAssignArgs` for one family. */
export interface AutoAssignArgs {
  readonly node: string;
  readonly family: Family;
  /** The handle the addresses are recorded under (`k8s-pod-network.<containerID>`, `ipip-tunnel-addr-<node>`). */
  readonly handle: string;
  /** The allocation's `secondary` attributes (`node`, `namespace`, `pod`, or `type` for tunnels). */
  readonly attrs: Readonly<Record<string, string>>;
  /** How many addresses (default 1). */
  readonly num?: number;
  /** Use only these pools (their CIDRs), ignoring selectors, as `IPv4Pools`/`IPv6Pools` do. */
  readonly pools?: readonly Cidr[];
}

/**
 * What `autoAssign` gives back. Addresses carry the block's prefix length, as libcalico-go returns
 * them (`10.244.0.65/26`). `partial` failures are `IPAMAssignments.PartialFulfillmentError`
 * (`Assigned 0 out of 1 requested IPv4 addresses; …`); the others are errors `autoAssign` returns.
 */
export type AutoAssignOutcome =
  | { readonly ok: true; readonly ips: readonly Cidr[] }
  | { readonly ok: false; readonly ips: readonly Cidr[]; readonly message: string; readonly partial: boolean };

/** `errBlockLimit`'s text. */
export const ERR_BLOCK_LIMIT = 'cannot allocate new block due to per host block limit';

function blockCidrAt(pool: IpamPoolInput, index: bigint): Cidr {
  const size = 1n << BigInt((pool.cidr.addr.family === 4 ? 32 : 128) - pool.blockSize);
  return { addr: ipFromValue(pool.cidr.addr.family, networkOf(pool.cidr).value + index * size), prefix: pool.blockSize };
}

/** The lowest block of the pool no IPAMBlock exists for (`findUsableBlock` with a fixed start). */
function lowestFreeBlock(api: ClusterApi, pool: IpamPoolInput): Cidr | undefined {
  const blocks = api.get(CALICO_RESOURCE.blocks);
  const count = cidrSize(pool.cidr) / cidrSize({ addr: pool.cidr.addr, prefix: pool.blockSize });
  for (let i = 0n; i < count; i++) {
    const c = blockCidrAt(pool, i);
    if (blocks?.has(cidrToName(c)) !== true) return c;
  }
  return undefined;
}

function assignFrom(api: ClusterApi, b: Block, num: number, args: AutoAssignArgs): Cidr[] {
  const ips = takeFree(b, num, args.handle, args.attrs);
  if (ips.length === 0) return [];
  incrementHandle(api, args.handle, b.cidr, ips.length);
  writeBlock(api, b);
  return ips.map((addr) => ({ addr, prefix: b.cidr.prefix }));
}

function inPools(c: Cidr, pools: readonly IpamPoolInput[]): boolean {
  return pools.some((p) => cidrContains(p.cidr, c.addr));
}

/** Steps 2 and 3: affine blocks, then new blocks. Returns the addresses and how it ended. */
function fromAffineBlocks(api: ClusterApi, args: AutoAssignArgs, pools: readonly IpamPoolInput[], num: number): { ips: Cidr[]; end: 'done' | 'no-free-blocks' | 'block-limit'; max: number } {
  const cfg = readIpamConfig(api);
  const max = cfg.maxBlocksPerHost > 0 ? cfg.maxBlocksPerHost : DEFAULT_MAX_BLOCKS_PER_HOST;
  const remaining = affineBlockCidrs(api, args.node, args.family).filter((c) => inPools(c, pools));
  let owned = remaining.length;
  const ips: Cidr[] = [];
  while (ips.length < num) {
    let block: Block | undefined;
    while (block === undefined && remaining.length > 0) {
      const b = readBlock(api, remaining.shift() as Cidr);
      if (b !== undefined && b.unallocated.length > 0) block = b;
    }
    if (block === undefined) {
      if (owned >= max) return { ips, end: 'block-limit', max };
      const free = pools.map((p) => lowestFreeBlock(api, p)).find((c) => c !== undefined);
      if (free === undefined) return { ips, end: 'no-free-blocks', max };
      writeAffinity(api, args.node, free);
      block = newBlock(free, `host:${args.node}`);
      writeBlock(api, block);
      owned++;
    }
    ips.push(...assignFrom(api, block, num - ips.length, args));
  }
  return { ips, end: 'done', max };
}

/** Step 4: single addresses from any existing block of the pools. */
function borrow(api: ClusterApi, args: AutoAssignArgs, pools: readonly IpamPoolInput[], want: number): { ips: Cidr[]; exhausted: string[] } {
  const ips: Cidr[] = [];
  const exhausted: string[] = [];
  const blocks = readBlocks(api).sort((a, b) => (a.cidr.addr.value < b.cidr.addr.value ? -1 : 1));
  for (const pool of pools) {
    for (const b of blocks.filter((x) => cidrContains(pool.cidr, x.cidr.addr) && x.cidr.addr.family === args.family)) {
      if (ips.length >= want) break;
      const fresh = readBlock(api, b.cidr);
      if (fresh !== undefined) ips.push(...assignFrom(api, fresh, want - ips.length, args));
    }
    if (ips.length < want) exhausted.push(formatCidr(canonicalCidr(pool.cidr)));
    else break;
  }
  return { ips, exhausted };
}

/** `ipamClient.autoAssign` for one family: see the module header for the order. */
export function autoAssign(api: ClusterApi, args: AutoAssignArgs): AutoAssignOutcome {
  const num = args.num ?? 1;
  const chosen = choosePools(api, args.node, args.family, args.pools);
  if (!chosen.ok) return { ok: false, ips: [], message: chosen.message, partial: false };
  const msgs: string[] = [];
  const first = fromAffineBlocks(api, args, chosen.pools, num);
  if (first.end === 'block-limit') return { ok: false, ips: first.ips, message: ERR_BLOCK_LIMIT, partial: false };
  const ips = [...first.ips];
  const strict = readIpamConfig(api).strictAffinity;
  if (first.end === 'no-free-blocks' && strict) msgs.push('No more free affine blocks and strict affinity enabled');
  if (!strict && ips.length < num) {
    const more = borrow(api, args, chosen.pools, num - ips.length);
    ips.push(...more.ips);
    if (more.exhausted.length > 0) msgs.push(`No IPs available in pools: [${more.exhausted.join(' ')}]`);
  }
  if (ips.length >= num) return { ok: true, ips };
  const message = [`Assigned ${ips.length} out of ${num} requested IPv${args.family} addresses`, ...msgs].join('; ');
  return { ok: false, ips, message, partial: true };
}

/** `AssignIPArgs`. */
export interface AssignIpArgs {
  readonly node: string;
  readonly ip: Ip;
  readonly handle: string;
  readonly attrs: Readonly<Record<string, string>>;
}

/** The outcome of `assignIp`: done, or libcalico-go's error text. */
export type AssignIpOutcome = { readonly ok: true; readonly ip: Cidr } | { readonly ok: false; readonly message: string };

/**
 * `ipamClient.AssignIP`: one given address, from the enabled pool that contains it (no
 * `nodeSelector` check, as upstream). A missing block is claimed for the node (no block limit);
 * with `strictAffinity` an address in another node's block is refused. The address comes back
 * with the block's prefix length.
 */
export function assignIp(api: ClusterApi, args: AssignIpArgs): AssignIpOutcome {
  const pool = enabledPoolFor(api, args.ip);
  if (pool === undefined) return { ok: false, message: 'The provided IP address is not in a configured pool\n' };
  const blockCidr: Cidr = { addr: ipFromValue(args.ip.family, args.ip.value & prefixMask(args.ip.family, pool.blockSize)), prefix: pool.blockSize };
  let block = readBlock(api, blockCidr);
  if (block === undefined) {
    writeAffinity(api, args.node, blockCidr);
    block = newBlock(blockCidr, `host:${args.node}`);
  }
  if (readIpamConfig(api).strictAffinity && block.affinity !== undefined && block.affinity !== `host:${args.node}`) {
    return { ok: false, message: 'Block host affinity does not match' };
  }
  const ordinal = ipToOrdinal(block, args.ip) ?? 0;
  if (!takeOrdinal(block, ordinal, args.handle, args.attrs)) {
    return { ok: false, message: `resource already exists: ${formatIp(args.ip)} with error: Address already assigned in block` };
  }
  incrementHandle(api, args.handle, blockCidr, 1);
  writeBlock(api, block);
  return { ok: true, ip: { addr: args.ip, prefix: blockCidr.prefix } };
}
