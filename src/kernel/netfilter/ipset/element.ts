/**
 * ipset sets as plain data, and one element of a set in the form `ipset save` prints it.
 *
 * Kernel facts (ipset v7.17, checked in a namespace): a host prefix prints bare
 * (`add n 10.0.0.1/32` saves `10.0.0.1`), a network loses its host bits (`10.0.0.9/24` →
 * `10.0.0.0/24`); a port without protocol is tcp (`1.2.3.4,80` → `1.2.3.4,tcp:80`); ranges of
 * addresses (`10.0.0.0/30`, `10.1.0.1-10.1.0.2` in a hash:ip) and ports (`udp:53-54`) are
 * stored as one element each.
 */
import { type Family, canonicalCidr, familyBits, ipAdd, parseCidr, parseIp } from '../../../addr/index.js';
import { formatAddr } from '../syntax/values.js';

/** The set types netsim models: the dimensions after `hash:` or `bitmap:`. */
export type IpSetType = 'hash:ip' | 'hash:net' | 'hash:ip,port' | 'hash:net,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port' | 'list:set';

/** Every modelled set type. */
export const IPSET_TYPES: readonly IpSetType[] = ['hash:ip', 'hash:net', 'hash:ip,port', 'hash:net,port', 'hash:ip,port,ip', 'hash:ip,port,net', 'bitmap:port', 'list:set'];

/** Types whose create line carries no `family` (ipset prints none for them). */
export function familyless(type: IpSetType): boolean {
  return type === 'bitmap:port' || type === 'list:set';
}

/**
 * `ipset create NAME TYPE …` with its members. `members` are in `ipset save` form, one element
 * each, with any flags after a space (`10.1.0.0/16 nomatch`), in the order they were added.
 */
export interface IpSet {
  readonly name: string;
  readonly type: IpSetType;
  readonly family: Family;
  /** The create options after the family, as written (`hashsize 1024`, `timeout 300`, `range 0-65535`). */
  readonly options: readonly string[];
  readonly members: readonly string[];
}

/** The kind of each dimension of a set type (`hash:ip,port` → ip, port). */
export function dimensions(type: IpSetType): ReadonlyArray<'ip' | 'net' | 'port'> {
  if (type === 'list:set') return [];
  return (type.split(':')[1] ?? '').split(',') as Array<'ip' | 'net' | 'port'>;
}

/** At most this many elements come from one `add` (a /16 in a hash:ip is 65536). */
export const MAX_EXPANSION = 65536;

/** Expands one address part: `IP`, `IP/LEN` or `IP-IP` for ip; `NET[/LEN]` for net. Undefined when bad. */
function addrPart(text: string, kind: 'ip' | 'net', family: Family): string[] | undefined {
  if (kind === 'net') {
    const c = parseCidr(text);
    if (c === undefined || c.addr.family !== family) return undefined;
    const n = canonicalCidr(c);
    return [n.prefix === familyBits(family) ? formatAddr(n.addr) : `${formatAddr(n.addr)}/${n.prefix}`];
  }
  const dash = text.indexOf('-');
  const from = dash < 0 ? parseCidr(text) : parseCidr(text.slice(0, dash));
  if (from === undefined || from.addr.family !== family) return undefined;
  const first = canonicalCidr(from).addr;
  let count = 1n << BigInt(familyBits(family) - from.prefix);
  if (dash >= 0) {
    const last = parseIp(text.slice(dash + 1));
    if (last === undefined || last.family !== family || last.value < first.value || from.prefix !== familyBits(family)) return undefined;
    count = last.value - first.value + 1n;
  }
  if (count > BigInt(MAX_EXPANSION)) return undefined;
  const out: string[] = [];
  for (let i = 0n; i < count; i++) out.push(formatAddr(ipAdd(first, i)));
  return out;
}

const PORT_PROTOS = ['tcp', 'udp', 'sctp', 'udplite'];

/** Expands `[PROTO:]PORT[-PORT]` into `proto:port` elements; icmp parts are kept as written. */
function portPart(text: string, withProto: boolean): string[] | undefined {
  const colon = text.indexOf(':');
  const proto = colon < 0 ? 'tcp' : text.slice(0, colon).toLowerCase();
  const ports = colon < 0 ? text : text.slice(colon + 1);
  if (proto === 'icmp' || proto === 'icmpv6') return withProto ? [`${proto}:${ports}`] : undefined;
  if (!PORT_PROTOS.includes(proto) || !/^[0-9]+(-[0-9]+)?$/.test(ports)) return undefined;
  const [lo = 0, hi = lo] = ports.split('-').map((p) => Number.parseInt(p, 10));
  if (hi < lo || hi > 65535) return undefined;
  const out: string[] = [];
  for (let p = lo; p <= hi; p++) out.push(withProto ? `${proto}:${p}` : `${p}`);
  return out;
}

/** Every element an `add` argument stands for, in `ipset save` form; undefined when it does not fit the type. */
export function expandElement(type: IpSetType, family: Family, text: string): string[] | undefined {
  if (type === 'list:set') return /^[^\s,]{1,31}$/.test(text) ? [text] : undefined;
  const dims = dimensions(type);
  const parts = text.split(',');
  if (parts.length !== dims.length) return undefined;
  let out: string[] = [''];
  for (let i = 0; i < dims.length; i++) {
    const kind = dims[i] as 'ip' | 'net' | 'port';
    const part = parts[i] as string;
    const values = kind === 'port' ? portPart(part, type !== 'bitmap:port') : addrPart(part, kind, family);
    if (values === undefined || out.length * values.length > MAX_EXPANSION) return undefined;
    out = out.flatMap((prefix) => values.map((v) => (i === 0 ? v : `${prefix},${v}`)));
  }
  return out;
}
