/**
 * Addresses, routes and the gateway of the bridge plugin:
 * - `calcGateways`: every IP gets interface index 2 (the container end), a missing gateway is
 *   network + 1 when `isGateway`, and `isDefaultGateway` appends `default via GW` per family
 *   unless IPAM already returned a default route with a gateway;
 * - `configureIface` (the plugins' `ipam.ConfigureIface`) in the pod: `arp_notify=1`, DAD off
 *   unless `enabledad`, `ip addr add ADDR/LEN brd B dev IFNAME` (netlink fills in the IPv4
 *   broadcast), `ip link set IFNAME up`, then each route `via` its gateway or the IP's;
 * - `ensureGatewayAddrs` on the node: `GW/LEN` on the bridge (refused when the bridge holds a
 *   different IPv4 address, unless `forceAddress`), the bridge MAC pinned to the one it was
 *   created with (a bridge otherwise follows its lowest port MAC), and forwarding on.
 */
import { type Cidr, canonicalCidr, cidrContains, formatCidr, lastAddress, networkOf } from '../../addr/cidr.js';
import { type Family, type Ip, formatIp, ipAdd, ipEquals } from '../../addr/ip.js';
import type { Mac } from '../../addr/mac.js';
import { addAddress, delAddress, devAddrs } from '../../kernel/addr.js';
import { setFilledLinkUp, setLinkUp, setShellLinkUp } from '../../kernel/link/link.js';
import { inSandboxLater } from '../../kernel/deferred-sandbox.js';
import { InternalError } from '../../diag/diagnostic.js';
import { setMac } from '../../kernel/link/port.js';
import { addRoute } from '../../kernel/route/table.js';
import { getSysctl, setSysctl } from '../../kernel/sysctl.js';
import type { IfAddr, Netns } from '../../kernel/netns.js';
import { getNetns } from '../../kernel/world.js';
import { kernel, ok, pluginError } from '../outcome.js';
import type { CniHost, CniOutcome, RuntimeConf } from '../types.js';
import type { BridgeConf } from './config.js';

/** An IP of the result, parsed. */
export interface IpConfig {
  readonly address: Cidr;
  readonly gateway?: Ip;
}

/** A route of the result, parsed. */
export interface RouteConfig {
  readonly dst: Cidr;
  readonly gw?: Ip;
}

/** What `calcGateways` produces: the IPs with gateways, the routes, and the bridge addresses per family. */
export interface Gateways {
  readonly ips: readonly IpConfig[];
  readonly routes: readonly RouteConfig[];
  readonly bridgeAddrs: Readonly<Record<Family, readonly Cidr[]>>;
}

const anyAddr = (family: Family): Cidr => ({ addr: { family, value: 0n }, prefix: 0 });

/**
 * `calcGateways`, in loops over plain locals (a pod's ADD calls it; its closures, spread and
 * records were a kilobyte of garbage per pod). calc-gateways.property.test.ts checks it against
 * the straightforward reading.
 */
export function calcGateways(conf: BridgeConf, ips: readonly IpConfig[], ipamRoutes: readonly RouteConfig[]): Gateways {
  const routes = ipamRoutes.slice();
  const v4: Cidr[] = [];
  const v6: Cidr[] = [];
  let found4 = false;
  let found6 = false;
  const out: IpConfig[] = [];
  for (let i = 0; i < ips.length; i++) {
    const ipc = ips[i] as IpConfig;
    const family = ipc.address.addr.family;
    const gateway = ipc.gateway ?? (conf.isGateway ? ipAdd(networkOf(ipc.address), 1n) : undefined);
    out.push(gateway === undefined ? { address: ipc.address } : { address: ipc.address, gateway });
    if (conf.isDefaultGateway && !(family === 4 ? found4 : found6)) {
      if (!hasDefaultVia(routes, family)) routes.push(gateway === undefined ? { dst: anyAddr(family) } : { dst: anyAddr(family), gw: gateway });
      if (family === 4) found4 = true;
      else found6 = true;
    }
    if (conf.isGateway && gateway !== undefined) (family === 4 ? v4 : v6).push({ addr: gateway, prefix: ipc.address.prefix });
  }
  return { ips: out, routes, bridgeAddrs: { 4: v4, 6: v6 } };
}

/** Whether `routes` has a default route of the family with a gateway. */
function hasDefaultVia(routes: readonly RouteConfig[], family: Family): boolean {
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i] as RouteConfig;
    if (r.gw !== undefined && r.dst.prefix === 0 && r.dst.addr.family === family) return true;
  }
  return false;
}

/** Go's `%v` of a route (`{Dst:{IP:10.244.0.0 Mask:ffff0000} GW:<nil>}`), used in the plugin's messages. */
export function goRoute(r: RouteConfig): string {
  const bits = r.dst.addr.family === 4 ? 32 : 128;
  const mask = (((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - r.dst.prefix)) - 1n)).toString(16).padStart(bits / 4, '0');
  return `{Dst:{IP:${formatIp(networkOf(r.dst))} Mask:${mask}} GW:${r.gw === undefined ? '<nil>' : formatIp(r.gw)}}`;
}

/** The broadcast netlink's AddrAdd fills in for an IPv4 address below /31. */
function broadcastFor(c: Cidr): { broadcast: Ip } | Record<string, never> {
  return c.addr.family === 4 && c.prefix < 31 ? { broadcast: lastAddress(c) } : {};
}

/** Pod-side sysctls set before the addresses (DAD, gratuitous ARP on address change). */
function podSysctls(host: CniHost, conf: BridgeConf, rt: RuntimeConf): void {
  const ns = getNetns(host.world, rt.netns);
  if (conf.enableDad) {
    setSysctl(ns, `net.ipv6.conf.${rt.ifName}.enhanced_dad`, '1');
    setSysctl(ns, `net.ipv6.conf.${rt.ifName}.accept_dad`, '1');
  } else {
    setSysctl(ns, `net.ipv6.conf.${rt.ifName}.accept_dad`, '0');
  }
  setSysctl(ns, `net.ipv4.conf.${rt.ifName}.arp_notify`, '1');
}

/**
 * `ipam.ConfigureIface`: addresses, link up, routes, in the pod's namespace. In a sandbox filled
 * when first read (kernel/deferred-sandbox.ts) all of it happens then; now the device only comes
 * up in the shell, which gives the host end carrier where the ADD gives it.
 */
export function configureIface(host: CniHost, conf: BridgeConf, rt: RuntimeConf, gws: Gateways): CniOutcome<void> {
  if (configureIfaceLater(host, conf, rt, gws)) {
    return kernel(`failed to set "${rt.ifName}" UP`, () => setShellLinkUp(host.world, rt.netns, rt.ifName));
  }
  return configureIfaceNow(host, conf, rt, gws);
}

/**
 * Queues `ipam.ConfigureIface` for when the sandbox is filled and says true, when `rt.netns` is a
 * shell (kernel/deferred-sandbox.ts); says false otherwise. The caller brings the device up in the
 * shell (cni/bridge-node-batch.ts does it for a node's pods at once, kernel/link/pod-ports.ts).
 */
export function configureIfaceLater(host: CniHost, conf: BridgeConf, rt: RuntimeConf, gws: Gateways): boolean {
  return inSandboxLater(host.world, rt.netns, () => filled(rt, configureIfaceNow(host, conf, rt, gws, setFilledLinkUp)));
}

/** What a sandbox's fill did: the ADD succeeded before, so a refusal now is a bug (the fill runs only what the ADD checked). */
export function filled(rt: RuntimeConf, done: CniOutcome<void>): void {
  if (!done.ok) throw new InternalError(`sandbox ${rt.netns} filled after its ADD: ${done.error.msg}`);
}

/** `ipam.ConfigureIface` now; `up` is setLinkUp, or setFilledLinkUp in a sandbox being filled. */
function configureIfaceNow(host: CniHost, conf: BridgeConf, rt: RuntimeConf, gws: Gateways, up: typeof setLinkUp = setLinkUp): CniOutcome<void> {
  const ns = getNetns(host.world, rt.netns);
  podSysctls(host, conf, rt);
  const firstGw: Partial<Record<Family, Ip>> = {};
  for (const ipc of gws.ips) {
    const added = kernel(() => `failed to add IP addr ${formatCidr(ipc.address)} to "${rt.ifName}"`, () => addAddress(ns, { dev: rt.ifName, cidr: ipc.address, ...broadcastFor(ipc.address) }));
    if (!added.ok) return added;
    const fam = ipc.address.addr.family;
    if (ipc.gateway !== undefined && firstGw[fam] === undefined) firstGw[fam] = ipc.gateway;
  }
  const isUp = kernel(`failed to set "${rt.ifName}" UP`, () => up(host.world, rt.netns, rt.ifName));
  if (!isUp.ok) return isUp;
  for (const r of gws.routes) {
    const via = r.gw ?? firstGw[r.dst.addr.family];
    const what = (): string => `failed to add route '${formatCidr(canonicalCidr(r.dst))} via ${via === undefined ? '<nil>' : formatIp(via)} dev ${rt.ifName}'`;
    const added = kernel(what, () => addRoute(ns, { dst: r.dst, dev: rt.ifName, ...(via !== undefined ? { via } : {}) }));
    if (!added.ok) return added;
  }
  return ok(undefined);
}

/** `ensureAddr`: one gateway address on the bridge. */
function ensureAddr(host: CniHost, conf: BridgeConf, gw: Cidr, bridgeMac: Mac | undefined): CniOutcome<void> {
  const ns = getNetns(host.world, host.hostNs);
  const family = gw.addr.family;
  for (const a of devAddrs(ns, conf.bridge, family)) {
    // The same text is the same family, value and length (compared without formatting both per ADD).
    if (a.cidr.prefix === gw.prefix && ipEquals(a.cidr.addr, gw.addr)) return ok(undefined);
    const clashes = family === 4 || cidrContains(a.cidr, gw.addr) || cidrContains(gw, a.cidr.addr);
    if (!clashes) continue;
    if (!conf.forceAddress) return pluginError(`failed to set bridge addr: "${conf.bridge}" already has an IP address different from ${formatCidr(gw)}`);
    const gone = kernel(`failed to set bridge addr: could not remove IP address from "${conf.bridge}"`, () => delAddress(ns, conf.bridge, a.cidr));
    if (!gone.ok) return gone;
  }
  return kernel(`failed to set bridge addr: could not add IP address to "${conf.bridge}"`, () => {
    if (!devAddrs(ns, conf.bridge, family).some((a) => ipEquals(a.cidr.addr, gw.addr))) addAddress(ns, { dev: conf.bridge, cidr: gw, ...broadcastFor(gw) });
    if (bridgeMac !== undefined) setMac(ns, conf.bridge, bridgeMac);
  });
}

/**
 * Whether {@link ensureGatewayAddrs} would change nothing in `ns` (a node's pods after its first,
 * cni/bridge-node-batch.ts): no IPv6 gateway (IPv6 forwarding acts on every write), and each IPv4
 * gateway is the bridge's first IPv4 address (ensureAddr stops there) with IPv4 forwarding on.
 * `first4` is `devAddrs(ns, BRIDGE, 4)[0]`, which the caller reads once for many pods.
 */
export function gatewayAddrsInPlace(ns: Netns, gws: Gateways, first4: IfAddr | undefined): boolean {
  if (gws.bridgeAddrs[6].length > 0) return false;
  const v4 = gws.bridgeAddrs[4];
  if (v4.length === 0) return true;
  for (let i = 0; i < v4.length; i++) {
    const gw = v4[i] as Cidr;
    if (first4 === undefined || first4.cidr.prefix !== gw.prefix || !ipEquals(first4.cidr.addr, gw.addr)) return false;
  }
  return getSysctl(ns, 'net.ipv4.ip_forward') === '1';
}

/**
 * Whether {@link ensureGatewayAddrs} cannot fail in `ns` (a node's first pod, cni/bridge-node-batch.ts):
 * at most one gateway per family, each either on the bridge already or clashing with none of its
 * addresses (ensureAddr's test), so that no verb is refused and no address removed.
 */
export function gatewayAddrsAddable(ns: Netns, conf: BridgeConf, gws: Gateways): boolean {
  for (const family of [4, 6] as const) {
    const list = gws.bridgeAddrs[family];
    if (list.length > 1) return false;
    const gw = list[0];
    if (gw === undefined) continue;
    for (const a of devAddrs(ns, conf.bridge, family)) {
      if (a.cidr.prefix === gw.prefix && ipEquals(a.cidr.addr, gw.addr)) break;
      if (family === 4 || cidrContains(a.cidr, gw.addr) || cidrContains(gw, a.cidr.addr)) return false;
    }
  }
  return true;
}

/** The gateway addresses on the bridge and forwarding on, per family (`isGateway`). */
export function ensureGatewayAddrs(host: CniHost, conf: BridgeConf, gws: Gateways, bridgeMac: Mac | undefined): CniOutcome<void> {
  const ns = getNetns(host.world, host.hostNs);
  for (const family of [4, 6] as const) {
    const list = gws.bridgeAddrs[family];
    for (const gw of list) {
      const done = ensureAddr(host, conf, gw, bridgeMac);
      if (!done.ok) return done;
    }
    if (list.length > 0) setSysctl(ns, family === 4 ? 'net.ipv4.ip_forward' : 'net.ipv6.conf.all.forwarding', '1');
  }
  return ok(undefined);
}
