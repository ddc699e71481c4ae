/**
 * calcGateways (address.ts) against the straightforward reading it replaced: on random IPs
 * (either family, with and without gateways), IPAM routes (defaults with and without gateways)
 * and gateway options, the same IPs, routes and bridge addresses, keys in the same order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cidr, networkOf } from '../../addr/cidr.js';
import { type Family, type Ip, ipAdd } from '../../addr/ip.js';
import { type Gateways, type IpConfig, type RouteConfig, calcGateways } from './address.js';
import type { BridgeConf } from './config.js';

const anyAddr = (family: Family): Cidr => ({ addr: { family, value: 0n }, prefix: 0 });

/** The straightforward path (the plugin's calcGateways as first written). */
function reference(conf: Pick<BridgeConf, 'isGateway' | 'isDefaultGateway'>, ips: readonly IpConfig[], ipamRoutes: readonly RouteConfig[]): Gateways {
  const routes = [...ipamRoutes];
  const bridgeAddrs: Record<Family, Cidr[]> = { 4: [], 6: [] };
  const defaultFound: Record<Family, boolean> = { 4: false, 6: false };
  const out: IpConfig[] = [];
  for (const ipc of ips) {
    const family = ipc.address.addr.family;
    const gateway = ipc.gateway ?? (conf.isGateway ? ipAdd(networkOf(ipc.address), 1n) : undefined);
    out.push(gateway === undefined ? { address: ipc.address } : { address: ipc.address, gateway });
    if (conf.isDefaultGateway && !defaultFound[family]) {
      const has = routes.some((r) => r.gw !== undefined && r.dst.prefix === 0 && r.dst.addr.family === family);
      if (!has) routes.push(gateway === undefined ? { dst: anyAddr(family) } : { dst: anyAddr(family), gw: gateway });
      defaultFound[family] = true;
    }
    if (conf.isGateway && gateway !== undefined) bridgeAddrs[family].push({ addr: gateway, prefix: ipc.address.prefix });
  }
  return { ips: out, routes, bridgeAddrs };
}

const ipOf = (family: Family): fc.Arbitrary<Ip> => fc.bigInt({ min: 0n, max: family === 4 ? 0xffffffffn : (1n << 128n) - 1n }).map((value) => ({ family, value }));
const FAMILY = fc.constantFrom<Family>(4, 6);
const IPC: fc.Arbitrary<IpConfig> = FAMILY.chain((f) =>
  fc.record({ addr: ipOf(f), prefix: fc.integer({ min: 0, max: f === 4 ? 32 : 128 }), gw: fc.option(ipOf(f), { nil: undefined }) }).map(({ addr, prefix, gw }) => (gw === undefined ? { address: { addr, prefix } } : { address: { addr, prefix }, gateway: gw })),
);
const ROUTE: fc.Arbitrary<RouteConfig> = FAMILY.chain((f) =>
  fc.record({ addr: ipOf(f), prefix: fc.constantFrom(0, 0, 8, f === 4 ? 32 : 128), gw: fc.option(ipOf(f), { nil: undefined }) }).map(({ addr, prefix, gw }) => (gw === undefined ? { dst: { addr, prefix } } : { dst: { addr, prefix }, gw })),
);

const text = (g: Gateways): string => JSON.stringify(g, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

describe('calcGateways (property)', () => {
  it('gives what the straightforward reading gives', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.array(IPC, { maxLength: 4 }), fc.array(ROUTE, { maxLength: 4 }), (isGateway, isDefaultGateway, ips, routes) => {
        const conf = { isGateway: isGateway || isDefaultGateway, isDefaultGateway } as BridgeConf;
        expect(text(calcGateways(conf, ips, routes))).toBe(text(reference(conf, ips, routes)));
      }),
      { numRuns: 1000 },
    );
  });
});
