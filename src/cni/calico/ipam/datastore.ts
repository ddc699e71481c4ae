/**
 * Reading and writing calico-ipam's objects in the cluster API map: pools, the IPAMConfig, node
 * labels, blocks with their affinities, and handles — the operations libcalico-go's
 * `blockReaderWriter` and its handle helpers perform against the Kubernetes datastore. The API
 * map is synchronous and single-writer, so there are no revisions and no CAS retries.
 */
import { type Cidr, formatCidr, parseCidr } from '../../../addr/cidr.js';
import type { Family } from '../../../addr/ip.js';
import { isObject, type JsonObject } from '../../json.js';
import type { ClusterApi, JsonValue } from '../../types.js';
import { type Block, blockFromJson, blockToJson } from './block.js';
import { affinityName, CALICO_RESOURCE, cidrToName, crdObject, handleName, resource, specOf, str } from './crd.js';
import type { IpamConfigInput, IpamEncapMode, IpamPoolInput } from './input.js';

const ENCAP: readonly IpamEncapMode[] = ['Always', 'CrossSubnet', 'Never'];

function encap(o: JsonObject, key: string): IpamEncapMode {
  const v = str(o, key);
  return (ENCAP as readonly string[]).includes(v) ? (v as IpamEncapMode) : 'Never';
}

function poolFromJson(name: string, obj: JsonValue): IpamPoolInput | undefined {
  const spec = specOf(obj);
  const cidr = spec === undefined ? undefined : parseCidr(str(spec, 'cidr'));
  if (spec === undefined || cidr === undefined) return undefined;
  const blockSize = typeof spec.blockSize === 'number' ? spec.blockSize : cidr.addr.family === 4 ? 26 : 122;
  return {
    name,
    cidr,
    blockSize,
    ipipMode: encap(spec, 'ipipMode'),
    vxlanMode: encap(spec, 'vxlanMode'),
    natOutgoing: spec.natOutgoing === true,
    nodeSelector: str(spec, 'nodeSelector'),
    disabled: spec.disabled === true,
  };
}

/** Every pool, by name (the order the Kubernetes API lists them), optionally of one family. */
export function readPools(api: ClusterApi, family?: Family): IpamPoolInput[] {
  const out: IpamPoolInput[] = [];
  for (const [name, obj] of api.get(CALICO_RESOURCE.ipPools) ?? []) {
    const p = poolFromJson(name, obj);
    if (p !== undefined && (family === undefined || p.cidr.addr.family === family)) out.push(p);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The `default` IPAMConfig (strictAffinity false, maxBlocksPerHost 0 when absent, as `GetIPAMConfig`). */
export function readIpamConfig(api: ClusterApi): IpamConfigInput {
  const spec = specOf(api.get(CALICO_RESOURCE.ipamConfigs)?.get('default'));
  return {
    strictAffinity: spec?.strictAffinity === true,
    maxBlocksPerHost: typeof spec?.maxBlocksPerHost === 'number' ? spec.maxBlocksPerHost : 0,
  };
}

/** A node's labels, or undefined when the node does not exist. */
export function readNodeLabels(api: ClusterApi, node: string): Record<string, string> | undefined {
  const obj = api.get(CALICO_RESOURCE.nodes)?.get(node);
  if (!isObject(obj)) return undefined;
  const labels: Record<string, string> = {};
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  if (isObject(meta.labels)) for (const [k, v] of Object.entries(meta.labels)) if (typeof v === 'string') labels[k] = v;
  return labels;
}

/** The block with this CIDR, decoded. */
export function readBlock(api: ClusterApi, cidr: Cidr): Block | undefined {
  return blockFromJson(api.get(CALICO_RESOURCE.blocks)?.get(cidrToName(cidr)));
}

/** Every block, in the order they were created. */
export function readBlocks(api: ClusterApi): Block[] {
  return [...(api.get(CALICO_RESOURCE.blocks)?.values() ?? [])].map(blockFromJson).filter((b): b is Block => b !== undefined);
}

/** Writes a block back (`updateBlock`). */
export function writeBlock(api: ClusterApi, b: Block): void {
  resource(api, CALICO_RESOURCE.blocks).set(cidrToName(b.cidr), blockToJson(b));
}

/** Deletes a block (`deleteBlock`). */
export function deleteBlock(api: ClusterApi, cidr: Cidr): void {
  api.get(CALICO_RESOURCE.blocks)?.delete(cidrToName(cidr));
}

/** The CIDRs of the blocks affine to a node, of one family (`getAffineBlocks`), in address order. */
export function affineBlockCidrs(api: ClusterApi, node: string, family: Family): Cidr[] {
  const out: Cidr[] = [];
  for (const obj of api.get(CALICO_RESOURCE.affinities)?.values() ?? []) {
    const spec = specOf(obj);
    if (spec === undefined || str(spec, 'node') !== node) continue;
    const c = parseCidr(str(spec, 'cidr'));
    if (c !== undefined && c.addr.family === family) out.push(c);
  }
  return out.sort((a, b) => (a.addr.value < b.addr.value ? -1 : a.addr.value > b.addr.value ? 1 : 0));
}

/**
 * `getPendingAffinity` + `claimAffineBlock` + `confirmAffinity`: the node's BlockAffinity
 * (confirmed) and a new empty block affine to it.
 */
export function writeAffinity(api: ClusterApi, node: string, cidr: Cidr): void {
  const spec = { state: 'confirmed', node, cidr: formatCidr(cidr), deleted: 'false', type: 'host' };
  resource(api, CALICO_RESOURCE.affinities).set(affinityName(node, cidr), crdObject('BlockAffinity', affinityName(node, cidr), spec));
}

/** A handle's blocks and how many of its addresses each holds (`IPAMHandle` spec `block`). */
export function readHandle(api: ClusterApi, handleId: string): Map<string, number> | undefined {
  const spec = specOf(api.get(CALICO_RESOURCE.handles)?.get(handleName(handleId)));
  if (spec === undefined || !isObject(spec.block)) return undefined;
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(spec.block)) if (typeof v === 'number') out.set(k, v);
  return out;
}

function writeHandle(api: ClusterApi, handleId: string, blocks: ReadonlyMap<string, number>): void {
  const handles = resource(api, CALICO_RESOURCE.handles);
  if (blocks.size === 0) {
    handles.delete(handleName(handleId));
    return;
  }
  const spec = { handleID: handleId, block: Object.fromEntries(blocks), deleted: false };
  handles.set(handleName(handleId), crdObject('IPAMHandle', handleName(handleId), spec));
}

/** `incrementHandle`: the handle holds `n` more addresses of the block. */
export function incrementHandle(api: ClusterApi, handleId: string, block: Cidr, n: number): void {
  const blocks = readHandle(api, handleId) ?? new Map<string, number>();
  const key = formatCidr(block);
  blocks.set(key, (blocks.get(key) ?? 0) + n);
  writeHandle(api, handleId, blocks);
}

/** `decrementHandle`: the handle holds `n` fewer; the object goes when it holds nothing. */
export function decrementHandle(api: ClusterApi, handleId: string, block: Cidr, n: number): void {
  const blocks = readHandle(api, handleId);
  if (blocks === undefined) return;
  const key = formatCidr(block);
  const left = (blocks.get(key) ?? 0) - n;
  if (left > 0) blocks.set(key, left);
  else blocks.delete(key);
  writeHandle(api, handleId, blocks);
}

/**
 * A copy of the API map to plan on (what addresses pods would get) without touching the real
 * one. Objects are never changed in place, only replaced, so copying the two map levels suffices.
 */
export function snapshotApi(api: ClusterApi): ClusterApi {
  return new Map([...api].map(([k, v]) => [k, new Map(v)]));
}
