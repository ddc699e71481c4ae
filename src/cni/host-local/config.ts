/**
 * host-local's configuration (`ipam` of the network config), read and canonicalised as the
 * reference plugin's `allocator.LoadIPAMConfig` does: the legacy single range (`subnet`,
 * `rangeStart`, … directly under `ipam`) goes first, then `ranges` (a list of range sets); each
 * range gets its defaults (gateway and start = network + 1, end = broadcast − 1 for IPv4, the
 * last address for IPv6); /31, /32, /127 and /128 are refused, as are overlaps and mixed
 * families inside a set. Error texts are the plugin's own.
 */
import { type Cidr, canonicalCidr, cidrContains, formatCidr, lastAddress, networkOf, parseCidr } from '../../addr/cidr.js';
import { type Ip, familyBits, formatIp, ipAdd, ipCompare, ipEquals, parseIp } from '../../addr/ip.js';
import { type JsonObject, isObject, readArray, readObject, readString } from '../json.js';
import type { JsonValue, NetConf, RuntimeConf } from '../types.js';

/** One allocation range (`{subnet, rangeStart, rangeEnd, gateway}`), with defaults filled in. */
export interface IpRange {
  readonly subnet: Cidr;
  readonly rangeStart: Ip;
  readonly rangeEnd: Ip;
  readonly gateway: Ip;
}

/** A range set: ranges of one family that together give one address. */
export type RangeSet = readonly IpRange[];

/** A route handed back in the result (`{dst, gw}`). */
export interface IpamRoute {
  readonly dst: string;
  readonly gw?: string;
}

/** The canonical host-local configuration. */
export interface IpamConfig {
  /** The network name: the directory under `dataDir`. */
  readonly name: string;
  readonly dataDir: string;
  readonly ranges: readonly RangeSet[];
  readonly routes: readonly IpamRoute[];
  /** Addresses asked for through `CNI_ARGS` `IP=`, `args.cni.ips` or `runtimeConfig.ips`. */
  readonly requested: readonly Ip[];
}

/** Where host-local keeps its files when `dataDir` is not set. */
export const DEFAULT_DATA_DIR = '/var/lib/cni/networks';

type Loaded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly msg: string };

/** True when `addr` lies in the range (subnet and start..end). */
export function rangeContains(r: IpRange, addr: Ip): boolean {
  return cidrContains(r.subnet, addr) && ipCompare(addr, r.rangeStart) >= 0 && ipCompare(addr, r.rangeEnd) <= 0;
}

/** `START-END`, as the plugin prints a range. */
export function formatRange(r: IpRange): string {
  return `${formatIp(r.rangeStart)}-${formatIp(r.rangeEnd)}`;
}

/** `START-END,START-END`, as the plugin prints a range set. */
export function formatRangeSet(s: RangeSet): string {
  return s.map(formatRange).join(',');
}

function optionalIp(o: JsonObject, key: string): Loaded<Ip | undefined> {
  const text = readString(o, key);
  if (!text.ok) return text;
  if (text.value === '') return { ok: true, value: undefined };
  const addr = parseIp(text.value);
  return addr === undefined ? { ok: false, msg: `invalid IP address: ${text.value}` } : { ok: true, value: addr };
}

/** `Range.Canonicalize`: checks and defaults for one range. */
export function canonicalRange(o: JsonObject): Loaded<IpRange> {
  const subnetText = readString(o, 'subnet');
  if (!subnetText.ok) return subnetText;
  const subnet = parseCidr(subnetText.value);
  if (subnet === undefined || !subnetText.value.includes('/')) return { ok: false, msg: `invalid CIDR address: ${subnetText.value}` };
  const bits = familyBits(subnet.addr.family);
  if (subnet.prefix > bits - 2) return { ok: false, msg: `Network ${formatCidr(subnet)} too small to allocate from` };
  const net = networkOf(subnet);
  if (!ipEquals(net, subnet.addr)) return { ok: false, msg: `Network has host bits set. For a subnet mask of length ${subnet.prefix} the network address is ${formatIp(net)}` };
  const [gw, start, end] = [optionalIp(o, 'gateway'), optionalIp(o, 'rangeStart'), optionalIp(o, 'rangeEnd')];
  if (!gw.ok) return gw;
  if (!start.ok) return start;
  if (!end.ok) return end;
  if (start.value !== undefined && !cidrContains(subnet, start.value)) return { ok: false, msg: `RangeStart ${formatIp(start.value)} not in network ${formatCidr(subnet)}` };
  if (end.value !== undefined && !cidrContains(subnet, end.value)) return { ok: false, msg: `RangeEnd ${formatIp(end.value)} not in network ${formatCidr(subnet)}` };
  const d = defaultRange(subnet);
  return { ok: true, value: { subnet: d.subnet, gateway: gw.value ?? d.gateway, rangeStart: start.value ?? d.rangeStart, rangeEnd: end.value ?? d.rangeEnd } };
}

/**
 * The range `Range.Canonicalize` makes of a bare `{"subnet": …}`: gateway and start at the
 * network address + 1, end at the broadcast address − 1 (IPv4) or the last address (IPv6).
 * Unchecked: for a /31, /32, /127 or /128 the start lies past the end (canonicalRange refuses
 * those subnets; callers that take a subnet from elsewhere must treat such a range as empty).
 */
export function defaultRange(subnet: Cidr): IpRange {
  const net = networkOf(subnet);
  const first = ipAdd(net, 1n);
  const last = subnet.addr.family === 4 ? ipAdd(lastAddress(subnet), -1n) : lastAddress(subnet);
  return { subnet: canonicalCidr(subnet), gateway: first, rangeStart: first, rangeEnd: last };
}

function overlaps(a: IpRange, b: IpRange): boolean {
  if (a.rangeStart.family !== b.rangeStart.family) return false;
  return rangeContains(a, b.rangeStart) || rangeContains(a, b.rangeEnd) || rangeContains(b, a.rangeStart) || rangeContains(b, a.rangeEnd);
}

/** `RangeSet.Canonicalize`. */
function canonicalRangeSet(v: JsonValue): Loaded<RangeSet> {
  if (!Array.isArray(v)) return { ok: false, msg: 'json: cannot unmarshal into Go value of type allocator.RangeSet' };
  const items = v as readonly JsonValue[];
  if (items.length === 0) return { ok: false, msg: 'empty range set' };
  const set: IpRange[] = [];
  for (const item of items) {
    if (!isObject(item)) return { ok: false, msg: 'json: cannot unmarshal into Go value of type allocator.Range' };
    const r = canonicalRange(item);
    if (!r.ok) return r;
    if (set.length > 0 && set[0]?.rangeStart.family !== r.value.rangeStart.family) return { ok: false, msg: 'mixed address families' };
    set.push(r.value);
  }
  for (let i = 0; i < set.length; i++) {
    for (let j = i + 1; j < set.length; j++) {
      const [a, b] = [set[i], set[j]];
      if (a !== undefined && b !== undefined && overlaps(a, b)) return { ok: false, msg: `subnets ${formatRange(a)} and ${formatRange(b)} overlap` };
    }
  }
  return { ok: true, value: set };
}

function readRoutes(ipam: JsonObject): Loaded<IpamRoute[]> {
  const list = readArray(ipam, 'routes');
  if (!list.ok) return list;
  const routes: IpamRoute[] = [];
  for (const r of list.value) {
    if (!isObject(r)) return { ok: false, msg: 'json: cannot unmarshal into Go value of type types.Route' };
    const dst = readString(r, 'dst');
    const gw = readString(r, 'gw');
    if (!dst.ok) return dst;
    if (!gw.ok) return gw;
    const d = parseCidr(dst.value);
    if (d === undefined) return { ok: false, msg: `invalid CIDR address: ${dst.value}` };
    routes.push(gw.value === '' ? { dst: formatCidr(canonicalCidr(d)) } : { dst: formatCidr(canonicalCidr(d)), gw: gw.value });
  }
  return { ok: true, value: routes };
}

/** The addresses asked for: `CNI_ARGS` `IP=`, then `args.cni.ips`, then `runtimeConfig.ips`. */
function requestedIps(conf: NetConf, rt: RuntimeConf): Loaded<Ip[]> {
  const texts: string[] = [];
  if (rt.args.IP !== undefined && rt.args.IP !== '') texts.push(rt.args.IP);
  const args = isObject(conf.args) && isObject(conf.args.cni) ? conf.args.cni : undefined;
  const rc = isObject(conf.runtimeConfig) ? conf.runtimeConfig : undefined;
  for (const holder of [args, rc]) {
    const ips = holder?.ips;
    if (Array.isArray(ips)) for (const t of ips as readonly JsonValue[]) if (typeof t === 'string') texts.push(t.split('/')[0] ?? t);
  }
  const out: Ip[] = [];
  for (const t of texts) {
    const a = parseIp(t);
    if (a === undefined) return { ok: false, msg: `cannot understand ip: ${t}` };
    out.push(a);
  }
  return { ok: true, value: out };
}

/** The `ipam` section read from a config, everything but the addresses asked for; where it failed, which check failed first. */
type Section = Loaded<Omit<IpamConfig, 'requested'>> & { readonly early?: boolean };

/**
 * Sections by config object. A config is immutable JSON; kubelet hands every pod of a node the
 * same one, so its ranges and routes are parsed once per node, not once per ADD.
 */
const sections = new WeakMap<NetConf, Section>();

/** `LoadIPAMConfig`: the whole `ipam` section, canonical, or the plugin's error text. */
export function loadIpamConfig(conf: NetConf, rt: RuntimeConf): Loaded<IpamConfig> {
  let section = sections.get(conf);
  if (section === undefined) sections.set(conf, (section = readSection(conf)));
  // The reference plugin's order: the `ipam` key, the addresses asked for, then the rest.
  if (!section.ok && section.early === true) return { ok: false, msg: section.msg };
  const requested = requestedIps(conf, rt);
  if (!requested.ok) return requested;
  if (!section.ok) return { ok: false, msg: section.msg };
  return { ok: true, value: { ...section.value, requested: requested.value } };
}

function readSection(conf: NetConf): Section {
  const ipamRead = readObject(conf, 'ipam');
  if (!ipamRead.ok) return { ...ipamRead, early: true };
  const ipam = ipamRead.value;
  if (ipam === undefined) return { ok: false, msg: "IPAM config missing 'ipam' key", early: true };
  const rawSets: JsonValue[] = [];
  if (typeof ipam.subnet === 'string' && ipam.subnet !== '') rawSets.push([ipam]);
  const listed = readArray(ipam, 'ranges');
  if (!listed.ok) return listed;
  rawSets.push(...listed.value);
  if (rawSets.length === 0) return { ok: false, msg: 'no IP ranges specified' };
  const ranges: RangeSet[] = [];
  for (const [i, raw] of rawSets.entries()) {
    const set = canonicalRangeSet(raw);
    if (!set.ok) return { ok: false, msg: `invalid range set ${i}: ${set.msg}` };
    ranges.push(set.value);
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const clash = (ranges[i] ?? []).some((a) => (ranges[j] ?? []).some((b) => overlaps(a, b)));
      if (clash) return { ok: false, msg: `range set ${i} overlaps with ${j}` };
    }
  }
  const routes = readRoutes(ipam);
  if (!routes.ok) return routes;
  const dataDir = readString(ipam, 'dataDir', DEFAULT_DATA_DIR);
  if (!dataDir.ok) return dataDir;
  return { ok: true, value: { name: conf.name, dataDir: dataDir.value || DEFAULT_DATA_DIR, ranges, routes: routes.value } };
}
