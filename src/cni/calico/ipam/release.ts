/**
 * Releasing and looking up addresses by handle: libcalico-go's `ReleaseByHandle` and
 * `IPsByHandle`, which start from the `IPAMHandle` object (the blocks the handle holds
 * addresses in) and then work block by block.
 */
import { type Cidr, parseCidr } from '../../../addr/cidr.js';
import type { Ip } from '../../../addr/ip.js';
import type { ClusterApi } from '../../types.js';
import { blockEmpty, blockIpsByHandle, releaseHandle } from './block.js';
import { decrementHandle, deleteBlock, readBlock, readHandle, writeBlock } from './datastore.js';

function handleBlocks(api: ClusterApi, handle: string): Cidr[] | undefined {
  const blocks = readHandle(api, handle);
  if (blocks === undefined) return undefined;
  return [...blocks.keys()].map((k) => parseCidr(k)).filter((c): c is Cidr => c !== undefined);
}

/**
 * `ReleaseByHandle`: frees every address of the handle (each goes to the end of its block's
 * free list) and deletes the handle. A block left empty stays with its node; one with no
 * affinity (only ever borrowed from) is deleted. Returns the freed addresses, or false when the
 * handle does not exist (`resource does not exist`, which CNI DEL ignores).
 */
export function releaseByHandle(api: ClusterApi, handle: string): Ip[] | false {
  const cidrs = handleBlocks(api, handle);
  if (cidrs === undefined) return false;
  const freed: Ip[] = [];
  for (const c of cidrs) {
    const b = readBlock(api, c);
    if (b === undefined) continue;
    const ips = blockIpsByHandle(b, handle);
    const n = releaseHandle(b, handle);
    freed.push(...ips);
    if (blockEmpty(b) && b.affinity === undefined) deleteBlock(api, c);
    else writeBlock(api, b);
    decrementHandle(api, handle, c, n);
  }
  // A handle whose counts were already zero is removed as well.
  for (const c of handleBlocks(api, handle) ?? []) decrementHandle(api, handle, c, Number.MAX_SAFE_INTEGER);
  return freed;
}

/** `IPsByHandle`: the handle's addresses, block by block in the order the handle gained them. */
export function ipsByHandle(api: ClusterApi, handle: string): Ip[] {
  const out: Ip[] = [];
  for (const c of handleBlocks(api, handle) ?? []) {
    const b = readBlock(api, c);
    if (b !== undefined) out.push(...blockIpsByHandle(b, handle));
  }
  return out;
}
