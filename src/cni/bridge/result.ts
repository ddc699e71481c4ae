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

/** The `dns` of a config as the result carries it (only the spec's keys). */
export function resultDns(dns: JsonObject): CniResult['dns'] {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);
  const nameservers = strings(dns.nameservers);
  const search = strings(dns.search);
  return {
    ...(nameservers !== undefined ? { nameservers } : {}),
    ...(typeof dns.domain === 'string' ? { domain: dns.domain } : {}),
    ...(search !== undefined ? { search } : {}),
  };
}

/** The bridge plugin's result: `[bridge, host veth, container veth]`, every IP on interface 2. */
export function bridgeResult(cniVersion: string, interfaces: readonly ResultInterface[], gws: Gateways | undefined, dns: CniResult['dns']): CniResult {
  const ips = (gws?.ips ?? []).map((ipc) => ({ interface: 2, address: formatCidr(ipc.address), ...(ipc.gateway !== undefined ? { gateway: formatIp(ipc.gateway) } : {}) }));
  const routes = (gws?.routes ?? []).map((r) => ({ dst: formatCidr(r.dst), ...(r.gw !== undefined ? { gw: formatIp(r.gw) } : {}) }));
  return { cniVersion, interfaces, ips, routes, dns };
}
