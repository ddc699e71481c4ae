/**
 * One allocation block (libcalico-go `allocationBlock`, stored as an `IPAMBlock`): every address
 * of the block CIDR is an ordinal (0 = the block's first address, all of them usable), with
 * `allocations[ordinal]` the index of the allocation's attributes (or null when free) and
 * `unallocated` the free ordinals in the order they will be handed out. A new block lists
 * 0, 1, 2, …; a released ordinal goes to the END of the list (`garbageCollect` with calico's
 * default `ipCooldownSeconds: 0`), so a freed address is not handed out again until the block
 * has gone round.
 */
import { type Cidr, cidrContains, cidrSize, formatCidr, networkOf } from '../../../addr/cidr.js';
import { type Ip, ipFromValue } from '../../../addr/ip.js';
import { isObject, type JsonObject } from '../../json.js';
import type { JsonValue } from '../../types.js';
import { cidrField, cidrToName, crdObject, specOf, str } from './crd.js';

/** The attributes of one or more allocations (`AllocationAttribute`). */
export interface BlockAttribute {
  readonly handle?: string;
  /** `secondary` in the CRD: `node`, `namespace`, `pod`, `type`. */
  readonly secondary: Readonly<Record<string, string>>;
}

/** A block, decoded (mutable: the IPAM changes a copy and writes it back). */
export interface Block {
  readonly cidr: Cidr;
  /** `host:<node>`, or undefined for a block no node holds. */
  affinity: string | undefined;
  allocations: (number | null)[];
  unallocated: number[];
  attributes: BlockAttribute[];
}

/** `newBlock`: every ordinal free, in order. */
export function newBlock(cidr: Cidr, affinity: string | undefined): Block {
  const n = Number(cidrSize(cidr));
  return { cidr, affinity, allocations: Array<number | null>(n).fill(null), unallocated: [...Array(n).keys()], attributes: [] };
}

/** `OrdinalToIP`. */
export function ordinalToIp(b: Block, ordinal: number): Ip {
  return ipFromValue(b.cidr.addr.family, networkOf(b.cidr).value + BigInt(ordinal));
}

/** `IPToOrdinal`, or undefined when the address is outside the block. */
export function ipToOrdinal(b: Block, ip: Ip): number | undefined {
  return cidrContains(b.cidr, ip) ? Number(ip.value - networkOf(b.cidr).value) : undefined;
}

function sameAttribute(a: BlockAttribute, handle: string | undefined, secondary: Readonly<Record<string, string>>): boolean {
  return a.handle === handle && JSON.stringify(a.secondary) === JSON.stringify(secondary);
}

/** `findOrAddAttribute`: attributes are shared by identical allocations. */
function findOrAddAttribute(b: Block, handle: string | undefined, secondary: Readonly<Record<string, string>>): number {
  const at = b.attributes.findIndex((a) => sameAttribute(a, handle, secondary));
  if (at >= 0) return at;
  b.attributes.push(handle === undefined ? { secondary } : { handle, secondary });
  return b.attributes.length - 1;
}

/** Sorted keys, as Go's encoding/json writes a `map[string]string`. */
export function sortedAttrs(attrs: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `allocationBlock.autoAssign`: the first `num` free ordinals of the list (affinity checked by the caller). */
export function takeFree(b: Block, num: number, handle: string, attrs: Readonly<Record<string, string>>): Ip[] {
  const taken = b.unallocated.slice(0, num);
  if (taken.length === 0) return [];
  b.unallocated = b.unallocated.slice(taken.length);
  const idx = findOrAddAttribute(b, handle, sortedAttrs(attrs));
  for (const o of taken) b.allocations[o] = idx;
  return taken.map((o) => ordinalToIp(b, o));
}

/** `allocationBlock.assign` without the affinity check: claims one ordinal, false when it is taken. */
export function takeOrdinal(b: Block, ordinal: number, handle: string, attrs: Readonly<Record<string, string>>): boolean {
  if (b.allocations[ordinal] !== null) return false;
  b.allocations[ordinal] = findOrAddAttribute(b, handle, sortedAttrs(attrs));
  b.unallocated = b.unallocated.filter((o) => o !== ordinal);
  return true;
}

/**
 * `allocationBlock.releaseByHandle` then `garbageCollect` (cooldown 0): every ordinal of the
 * handle becomes free and goes to the end of `unallocated` in ordinal order; attributes nothing
 * refers to any more are dropped and the rest renumbered. Returns how many were released.
 */
export function releaseHandle(b: Block, handle: string): number {
  let released = 0;
  b.allocations.forEach((idx, o) => {
    if (idx !== null && b.attributes[idx]?.handle === handle) {
      b.allocations[o] = null;
      b.unallocated.push(o);
      released++;
    }
  });
  if (released > 0) compactAttributes(b);
  return released;
}

function compactAttributes(b: Block): void {
  const used = new Set(b.allocations.filter((i): i is number => i !== null));
  const renumber = new Map<number, number>();
  const kept: BlockAttribute[] = [];
  b.attributes.forEach((a, i) => {
    if (!used.has(i)) return;
    renumber.set(i, kept.length);
    kept.push(a);
  });
  b.attributes = kept;
  b.allocations = b.allocations.map((i) => (i === null ? null : (renumber.get(i) ?? null)));
}

/** The addresses of a handle in the block, in ordinal order (`ipsByHandle`). */
export function blockIpsByHandle(b: Block, handle: string): Ip[] {
  const out: Ip[] = [];
  b.allocations.forEach((idx, o) => {
    if (idx !== null && b.attributes[idx]?.handle === handle) out.push(ordinalToIp(b, o));
  });
  return out;
}

/** True when nothing is allocated (`empty`). */
export function blockEmpty(b: Block): boolean {
  return b.allocations.every((a) => a === null);
}

/** The node a block is affine to (`host:<node>` → `<node>`). */
export function affinityNode(b: Block): string | undefined {
  return b.affinity?.startsWith('host:') === true ? b.affinity.slice('host:'.length) : undefined;
}

/** The block as an `IPAMBlock` object (`crd.projectcalico.org/v1`). */
export function blockToJson(b: Block): JsonObject {
  const attributes: JsonValue[] = b.attributes.map((a) => {
    const o: Record<string, JsonValue> = {};
    if (a.handle !== undefined) o.handle_id = a.handle;
    if (Object.keys(a.secondary).length > 0) o.secondary = a.secondary;
    return o;
  });
  const spec: Record<string, JsonValue> = { cidr: formatCidr(b.cidr) };
  if (b.affinity !== undefined) spec.affinity = b.affinity;
  Object.assign(spec, {
    allocations: b.allocations,
    unallocated: b.unallocated,
    attributes,
    sequenceNumber: 0,
    sequenceNumberForAllocation: {},
    deleted: false,
    strictAffinity: false,
  });
  return crdObject('IPAMBlock', cidrToName(b.cidr), spec);
}

function readAttribute(v: JsonValue): BlockAttribute {
  if (!isObject(v)) return { secondary: {} };
  const secondary: Record<string, string> = {};
  if (isObject(v.secondary)) for (const [k, s] of Object.entries(v.secondary)) if (typeof s === 'string') secondary[k] = s;
  return typeof v.handle_id === 'string' ? { handle: v.handle_id, secondary } : { secondary };
}

/** Decodes an `IPAMBlock` object; undefined when it is not one. */
export function blockFromJson(obj: JsonValue | undefined): Block | undefined {
  const spec = specOf(obj);
  const cidr = spec === undefined ? undefined : cidrField(spec, 'cidr');
  if (spec === undefined || cidr === undefined) return undefined;
  const list = (k: string): readonly JsonValue[] => (Array.isArray(spec[k]) ? (spec[k] as readonly JsonValue[]) : []);
  const affinity = str(spec, 'affinity');
  return {
    cidr,
    affinity: affinity === '' ? undefined : affinity,
    allocations: list('allocations').map((a) => (typeof a === 'number' ? a : null)),
    unallocated: list('unallocated').filter((o): o is number => typeof o === 'number'),
    attributes: list('attributes').map(readAttribute),
  };
}
