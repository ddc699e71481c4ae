/**
 * bridgeResult and resultDns (result.ts), keys added in place, against the spreads they were
 * first written with: the same JSON, keys in the same order, on random gateways, routes and dns.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCidr } from '../../addr/cidr.js';
import { type Family, type Ip, formatIp } from '../../addr/ip.js';
import type { JsonObject } from '../json.js';
import type { CniResult } from '../types.js';
import type { Gateways } from './address.js';
import { bridgeResult, resultDns } from './result.js';

function referenceDns(dns: JsonObject): CniResult['dns'] {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);
  const nameservers = strings(dns.nameservers);
  const search = strings(dns.search);
  return {
    ...(nameservers !== undefined ? { nameservers } : {}),
    ...(typeof dns.domain === 'string' ? { domain: dns.domain } : {}),
    ...(search !== undefined ? { search } : {}),
  };
}

function referenceResult(cniVersion: string, gws: Gateways | undefined, dns: CniResult['dns']): CniResult {
  const ips = (gws?.ips ?? []).map((ipc) => ({ interface: 2, address: formatCidr(ipc.address), ...(ipc.gateway !== undefined ? { gateway: formatIp(ipc.gateway) } : {}) }));
  const routes = (gws?.routes ?? []).map((r) => ({ dst: formatCidr(r.dst), ...(r.gw !== undefined ? { gw: formatIp(r.gw) } : {}) }));
  return { cniVersion, interfaces: [], ips, routes, dns };
}

const ipOf = (family: Family): fc.Arbitrary<Ip> => fc.bigInt({ min: 0n, max: family === 4 ? 0xffffffffn : (1n << 128n) - 1n }).map((value) => ({ family, value }));
const CIDR = fc.constantFrom<Family>(4, 6).chain((f) => fc.record({ addr: ipOf(f), prefix: fc.integer({ min: 0, max: f === 4 ? 32 : 128 }) }));
const OPT_IP = fc.option(fc.constantFrom<Family>(4, 6).chain(ipOf), { nil: undefined });
const GWS: fc.Arbitrary<Gateways | undefined> = fc.option(
  fc.record({
    ips: fc.array(fc.tuple(CIDR, OPT_IP).map(([address, gateway]) => (gateway === undefined ? { address } : { address, gateway })), { maxLength: 3 }),
    routes: fc.array(fc.tuple(CIDR, OPT_IP).map(([dst, gw]) => (gw === undefined ? { dst } : { dst, gw })), { maxLength: 3 }),
    bridgeAddrs: fc.constant({ 4: [], 6: [] }),
  }),
  { nil: undefined },
);
const JSONISH = fc.oneof(fc.string(), fc.integer(), fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }), fc.constant(null));
const DNS: fc.Arbitrary<JsonObject> = fc.record({ nameservers: JSONISH, domain: JSONISH, search: JSONISH, options: JSONISH }, { requiredKeys: [] }) as fc.Arbitrary<JsonObject>;

describe('bridge results (property)', () => {
  it('are what the spreads made', () => {
    fc.assert(
      fc.property(GWS, DNS, (gws, dns) => {
        expect(JSON.stringify(resultDns(dns))).toBe(JSON.stringify(referenceDns(dns)));
        expect(JSON.stringify(bridgeResult('1.0.0', [], gws, resultDns(dns)))).toBe(JSON.stringify(referenceResult('1.0.0', gws, referenceDns(dns))));
      }),
      { numRuns: 1000 },
    );
  });
});
