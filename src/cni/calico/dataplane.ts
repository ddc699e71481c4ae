/**
 * What the `calico` plugin does to the kernel for one pod (cni-plugin `dataplane/linux`
 * `DoNetworking`, `configureSysctls`, `SetupRoutes`), in its order:
 *
 * 1. a leftover host veth of the same name is deleted;
 * 2. `ip link add eth0 mtu M type veth peer name caliXXXXXXXXXXX` with the host end's MAC set to
 *    ee:ee:ee:ee:ee:ee, both ends up;
 * 3. in the pod: `169.254.1.1 dev eth0 scope link` and `default via 169.254.1.1 dev eth0` (IPv4),
 *    `default via <host veth link-local> dev eth0` (IPv6: fe80::ecee:eeff:feee:eeee), then the
 *    addresses as IPAM gave them (/32, /128), and `ip_forward=0` (`allowIpForwarding` off);
 * 4. on the node, the host veth's sysctls: `neigh.<if>.proxy_delay=0`, `proxy_arp=1`,
 *    `forwarding=1` (IPv4); `disable_ipv6=0`, `proxy_ndp=1`, `forwarding=1` (IPv6);
 * 5. `<ip>/32 dev caliX scope link` per address (proto boot, printed without `proto`).
 *
 * Then what Felix does when the workload endpoint appears ({@link felixEndpoint}): it owns the
 * same /32 route from then on (and re-asserts it), adds a PERMANENT neighbour entry with the
 * pod's MAC so the node never ARPs for its pods, and sets `route_localnet=1`. netsim has no
 * separate Felix loop, so the plugin runs that step at the end of ADD; the route has one owner.
 */
import { type Cidr, formatCidr } from '../../addr/cidr.js';
import { formatIp } from '../../addr/ip.js';
import type { Mac } from '../../addr/mac.js';
import { addAddress, devAddrs } from '../../kernel/addr.js';
import { addVeth, getLink, setLinkUp } from '../../kernel/link/link.js';
import { delLink } from '../../kernel/link/port.js';
import { addNeigh } from '../../kernel/neigh.js';
import { addRoute, tableRoutes } from '../../kernel/route/table.js';
import { TABLE_MAIN } from '../../kernel/route/types.js';
import { setSysctl } from '../../kernel/sysctl.js';
import { getNetns } from '../../kernel/world.js';
import { kernel, ok, pluginError } from '../outcome.js';
import type { CniHost, CniOutcome, RuntimeConf } from '../types.js';
import { CALICO_GATEWAY_V4, CALICO_HOST_MAC } from './names.js';

/** What the veth setup needs: names, MTU and the addresses IPAM returned. */
export interface WorkloadSpec {
  readonly hostVeth: string;
  readonly mtu: number;
  readonly addresses: readonly Cidr[];
}

const ANY4: Cidr = { addr: { family: 4, value: 0n }, prefix: 0 };
const ANY6: Cidr = { addr: { family: 6, value: 0n }, prefix: 0 };

/** `DoNetworking`: the veth pair, the pod's routes and addresses; returns the pod end's MAC. */
export function setupWorkload(host: CniHost, rt: RuntimeConf, spec: WorkloadSpec): CniOutcome<Mac> {
  const node = getNetns(host.world, host.hostNs);
  if (node.links[spec.hostVeth] !== undefined) {
    const gone = kernel(`failed to delete old hostVeth ${spec.hostVeth}`, () => delLink(host.world, host.hostNs, spec.hostVeth));
    if (!gone.ok) return gone;
  }
  if (host.world.netns[rt.netns] === undefined) return pluginError(`failed to Statfs "/var/run/netns/${rt.netns}": no such file or directory`);
  const made = kernel('failed to make veth pair', () => {
    addVeth(host.world, { ns: rt.netns, name: rt.ifName, peer: spec.hostVeth, peerNs: host.hostNs, mtu: spec.mtu, peerMac: CALICO_HOST_MAC });
    setLinkUp(host.world, host.hostNs, spec.hostVeth);
    setLinkUp(host.world, rt.netns, rt.ifName);
  });
  if (!made.ok) return made;
  const pod = getNetns(host.world, rt.netns);
  const has = (f: 4 | 6) => spec.addresses.some((a) => a.addr.family === f);
  if (has(4)) {
    const r = kernel('failed to add route inside the container', () => {
      addRoute(pod, { dst: { addr: CALICO_GATEWAY_V4, prefix: 32 }, dev: rt.ifName, scope: 'link' });
      addRoute(pod, { dst: ANY4, via: CALICO_GATEWAY_V4, dev: rt.ifName });
    });
    if (!r.ok) return r;
  }
  if (has(6)) {
    const gw = devAddrs(node, spec.hostVeth, 6)[0]?.cidr.addr;
    if (gw === undefined) return pluginError('failed to get IPv6 addresses for host side of the veth pair');
    const r = kernel(`failed to add IPv6 default gateway to ${formatIp(gw)}`, () => addRoute(pod, { dst: ANY6, via: gw, dev: rt.ifName }));
    if (!r.ok) return r;
  }
  for (const a of spec.addresses) {
    const r = kernel(`failed to add IP addr to "${rt.ifName}"`, () => addAddress(pod, { dev: rt.ifName, cidr: a }));
    if (!r.ok) return r;
  }
  if (has(4)) setSysctl(pod, 'net.ipv4.ip_forward', '0');
  if (has(6)) setSysctl(pod, 'net.ipv6.conf.all.forwarding', '0');
  hostSysctls(host, spec);
  return ok(getLink(pod, rt.ifName).mac);
}

/** `configureSysctls` on the host end. */
function hostSysctls(host: CniHost, spec: WorkloadSpec): void {
  const node = getNetns(host.world, host.hostNs);
  const dev = spec.hostVeth;
  if (spec.addresses.some((a) => a.addr.family === 4)) {
    setSysctl(node, `net.ipv4.neigh.${dev}.proxy_delay`, '0');
    setSysctl(node, `net.ipv4.conf.${dev}.proxy_arp`, '1');
    setSysctl(node, `net.ipv4.conf.${dev}.forwarding`, '1');
  }
  if (spec.addresses.some((a) => a.addr.family === 6)) {
    setSysctl(node, `net.ipv6.conf.${dev}.disable_ipv6`, '0');
    setSysctl(node, `net.ipv6.conf.${dev}.proxy_ndp`, '1');
    setSysctl(node, `net.ipv6.conf.${dev}.forwarding`, '1');
  }
}

/** The host route of one pod address: the address as a host prefix (/32, /128). */
function hostPrefix(a: Cidr): Cidr {
  return { addr: a.addr, prefix: a.addr.family === 4 ? 32 : 128 };
}

/**
 * `SetupRoutes`: `<ip>/32 dev caliX scope link` per address. A route already there through this
 * device (Felix was quicker) is fine; through another device it is the plugin's error.
 */
export function setupHostRoutes(host: CniHost, spec: WorkloadSpec): CniOutcome<void> {
  const node = getNetns(host.world, host.hostNs);
  for (const a of spec.addresses) {
    const dst = hostPrefix(a);
    const r = kernel(`error adding host side routes for interface: ${spec.hostVeth}, error: failed to add route (Dst: ${formatCidr(dst)}, Scope: link, Iface: ${spec.hostVeth})`, () =>
      addRoute(node, { dst, dev: spec.hostVeth, scope: 'link' }),
    );
    if (r.ok) continue;
    if (!r.error.msg.endsWith('File exists')) return r;
    const mine = tableRoutes(node, TABLE_MAIN, dst.addr.family).some((x) => x.dev === spec.hostVeth && x.dst.prefix === dst.prefix && x.dst.addr.value === dst.addr.value);
    if (!mine) return pluginError(`error adding host side routes for interface: ${spec.hostVeth}, error: route (Dst: ${formatCidr(dst)}, Scope: link) already exists for an interface other than '${spec.hostVeth}'`);
  }
  return ok(undefined);
}

/**
 * Felix's part for a new workload endpoint (`endpoint_mgr.configureInterface`, the route table's
 * ARP entries): `route_localnet=1` on the host veth and `ip neigh replace <ip> dev caliX lladdr
 * <pod MAC> nud permanent` per IPv4 address (IPv6 likewise).
 */
export function felixEndpoint(host: CniHost, spec: WorkloadSpec, podMac: Mac): CniOutcome<void> {
  const node = getNetns(host.world, host.hostNs);
  return kernel(`felix: cannot configure ${spec.hostVeth}`, () => {
    if (spec.addresses.some((a) => a.addr.family === 4)) setSysctl(node, `net.ipv4.conf.${spec.hostVeth}.route_localnet`, '1');
    for (const a of spec.addresses) addNeigh(node, { dev: spec.hostVeth, ip: a.addr, mac: podMac, state: 'PERMANENT' });
  });
}
