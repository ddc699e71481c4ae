/** Reading addresses and prefixes: SCN_BAD_ADDRESS and SCN_BAD_CIDR for text that is neither. */
import { type Cidr, type Ip, canonicalCidr, parseCidr, parseIp } from '../addr/index.js';
import { type Field, fail, fieldName, optList, optString } from './reader.js';

/** An IPv4 or IPv6 address field. */
export function optIp(f: Field): Ip | undefined {
  const s = optString(f);
  if (s === undefined) return undefined;
  const ip = s.includes('/') ? undefined : parseIp(s);
  if (ip === undefined) fail(f, 'SCN_BAD_ADDRESS', `${fieldName(f)}: "${s}" is not an IPv4 or IPv6 address`);
  return ip;
}

/**
 * A prefix field in `ADDR/LEN` form (host bits are cleared, as Go's net.ParseCIDR does). A
 * comma-separated dual-stack pair is reported: dual-stack is not modelled yet.
 */
export function optCidr(f: Field): Cidr | undefined {
  const s = optString(f);
  if (s === undefined) return undefined;
  if (s.includes(',')) {
    fail(f, 'SCN_BAD_CIDR', `${fieldName(f)}: "${s}" lists several prefixes; netsim does not model dual-stack yet, give one`);
    return undefined;
  }
  const [, len] = s.split('/');
  const c = len !== undefined && /^[0-9]{1,3}$/.test(len) ? parseCidr(s) : undefined;
  if (c === undefined) fail(f, 'SCN_BAD_CIDR', `${fieldName(f)}: "${s}" is not a prefix like 10.244.0.0/16 or fd00::/64`);
  return c === undefined ? undefined : canonicalCidr(c);
}

/** A list of prefixes; bad entries are reported and left out. */
export function optCidrList(f: Field): Cidr[] {
  return (optList(f) ?? []).flatMap((item) => optCidr(item) ?? []);
}
