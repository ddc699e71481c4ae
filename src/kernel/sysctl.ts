/**
 * Sysctls (`sysctl -w NAME=VALUE`) with the kernel's defaults for a fresh namespace, and the
 * combination rules the kernel applies to per-device `conf` values.
 */
import { CommandError } from './errors.js';
import type { Netns } from './netns.js';

/**
 * Defaults of a new namespace, as Linux 6.x gives them. `bridge-nf-call-iptables` and
 * `-ip6tables` are 1: that is the default of every namespace once br_netfilter is loaded, which
 * it is on every Kubernetes node (a fresh namespace on such a host reads 1). Set 0 to model a
 * host without br_netfilter.
 */
const DEFAULTS: Readonly<Record<string, string>> = {
  'net.ipv4.ip_forward': '0',
  'net.ipv6.conf.all.forwarding': '0',
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
  'net.ipv4.conf.all.rp_filter': '0',
  'net.ipv4.conf.default.rp_filter': '0',
  'net.ipv4.conf.all.route_localnet': '0',
  'net.ipv4.conf.default.route_localnet': '0',
  'net.ipv4.conf.all.proxy_arp': '0',
  'net.ipv4.conf.default.proxy_arp': '0',
};

/** `sysctl -w NAME=VALUE` inside the namespace. Only names netsim knows (or per-device `conf`) are accepted. */
export function setSysctl(ns: Netns, name: string, value: string): void {
  const known = name in DEFAULTS || /^net\.ipv[46]\.conf\.[^.]+\.[a-z_]+$/.test(name);
  if (!known) throw new CommandError(`sysctl -w ${name}=${value}`, `sysctl: cannot stat /proc/sys/${name.replaceAll('.', '/')}: No such file or directory`);
  ns.sysctl[name] = value;
}

/** `sysctl -n NAME`: the value, or the default. */
export function getSysctl(ns: Netns, name: string): string {
  return ns.sysctl[name] ?? DEFAULTS[name] ?? '0';
}

function num(ns: Netns, name: string): number {
  return Number.parseInt(getSysctl(ns, name), 10) || 0;
}

/** A per-device IPv4 `conf` value: the device's own, else `default` (what a new device inherits). */
function devConf(ns: Netns, dev: string, key: string): number {
  const own = ns.sysctl[`net.ipv4.conf.${dev}.${key}`];
  return own !== undefined ? Number.parseInt(own, 10) || 0 : num(ns, `net.ipv4.conf.default.${key}`);
}

/** Effective rp_filter of a device: `max(all, dev)` (IN_DEV_RPFILTER, include/linux/inetdevice.h). */
export function rpFilter(ns: Netns, dev: string): number {
  return Math.max(num(ns, 'net.ipv4.conf.all.rp_filter'), devConf(ns, dev, 'rp_filter'));
}

/** Effective route_localnet: `all || dev` (IN_DEV_ORCONF). */
export function routeLocalnet(ns: Netns, dev: string): boolean {
  return num(ns, 'net.ipv4.conf.all.route_localnet') !== 0 || devConf(ns, dev, 'route_localnet') !== 0;
}

/** Effective proxy_arp: `all || dev` (IN_DEV_PROXY_ARP). */
export function proxyArp(ns: Netns, dev: string): boolean {
  return num(ns, 'net.ipv4.conf.all.proxy_arp') !== 0 || devConf(ns, dev, 'proxy_arp') !== 0;
}

/** Whether the namespace forwards packets of the family (`ip_forward`, `conf.all.forwarding`). */
export function forwarding(ns: Netns, family: 4 | 6): boolean {
  return num(ns, family === 4 ? 'net.ipv4.ip_forward' : 'net.ipv6.conf.all.forwarding') !== 0;
}

/** Whether br_netfilter hands bridged frames of the family to iptables/ip6tables. */
export function bridgeNfCall(ns: Netns, family: 4 | 6): boolean {
  return num(ns, family === 4 ? 'net.bridge.bridge-nf-call-iptables' : 'net.bridge.bridge-nf-call-ip6tables') !== 0;
}
