/**
 * Between the result JSON shape ({@link CniResult}) and parsed addresses: reading an IPAM
 * plugin's result, writing the bridge plugin's.
 */
import { formatCidr, parseCidr } from '../../addr/cidr.js';
import { formatIp, parseIp } from '../../addr/ip.js';
import type { JsonObject } from '../json.js';
import type { CniResult } from '../types.js';
import type { Gateways, IpConfig, RouteConfig } from './address.js';
import type { ResultInterface } from './link.js';

/** The IPs and routes of a result, parsed; a message when one does not parse. */
export function parseResult(r: CniResult): { ok: true; ips: IpConfig[]; routes: RouteConfig[] } | { ok: false; msg: string } {
  const ips: IpConfig[] = [];
  for (const x of r.ips) {
    const address = parseCidr(x.address);
    const gateway = x.gateway === undefined ? undefined : parseIp(x.gateway);
    if (address === undefined || !x.address.includes('/')) return { ok: false, msg: `invalid CIDR address: ${x.address}` };
    if (x.gateway !== undefined && gateway === undefined) return { ok: false, msg: `invalid IP address: ${x.gateway}` };
    ips.push(gateway === undefined ? { address } : { address, gateway });
  }
  const routes: RouteConfig[] = [];
  for (const x of r.routes) {
    const dst = parseCidr(x.dst);
    const gw = x.gw === undefined ? undefined : parseIp(x.gw);
    if (dst === undefined) return { ok: false, msg: `invalid CIDR address: ${x.dst}` };
    if (x.gw !== undefined && gw === undefined) return { ok: false, msg: `invalid IP address: ${x.gw}` };
    routes.push(gw === undefined ? { dst } : { dst, gw });
  }
  return { ok: true, ips, routes };
}

/** The `dns` of a config as the result carries it (only the spec's keys, in the spec's order; keys added in place, not spread). */
export function resultDns(dns: JsonObject): CniResult['dns'] {
  const out: { -readonly [K in keyof CniResult['dns']]: CniResult['dns'][K] } = {};
  if (Array.isArray(dns.nameservers)) out.nameservers = dns.nameservers.filter((s): s is string => typeof s === 'string');
  if (typeof dns.domain === 'string') out.domain = dns.domain;
  if (Array.isArray(dns.search)) out.search = dns.search.filter((s): s is string => typeof s === 'string');
  return out;
}

/**
 * The bridge plugin's result: `[bridge, host veth, container veth]`, every IP on interface 2.
 * Loops and keys added in place (conditional spreads in a map's callback were a pod's ADD's
 * largest result cost); result.property.test.ts checks it against the spreads.
 */
export function bridgeResult(cniVersion: string, interfaces: readonly ResultInterface[], gws: Gateways | undefined, dns: CniResult['dns']): CniResult {
  const ips: { interface: number; address: string; gateway?: string }[] = [];
  const routes: { dst: string; gw?: string }[] = [];
  if (gws !== undefined) {
    for (const ipc of gws.ips) {
      const ip: (typeof ips)[number] = { interface: 2, address: formatCidr(ipc.address) };
      if (ipc.gateway !== undefined) ip.gateway = formatIp(ipc.gateway);
      ips.push(ip);
    }
    for (const r of gws.routes) {
      const route: (typeof routes)[number] = { dst: formatCidr(r.dst) };
      if (r.gw !== undefined) route.gw = formatIp(r.gw);
      routes.push(route);
    }
  }
  return { cniVersion, interfaces, ips, routes, dns };
}
