/**
 * Sysctls (`sysctl -w NAME=VALUE`) with the kernel's defaults for a fresh namespace, and the
 * combination rules the kernel applies to per-device `conf` values.
 */
import { CommandError } from './errors.js';
import type { Netns } from './netns.js';
import { syncAnycast, syncAnycastAll } from './anycast.js';
import { noteNetnsChange } from './netns-changes.js';
import { isDeviceSysctl, noteSysctlDelete, noteSysctlWrite } from './sysctl-keys.js';

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

/** The two names of the IPv4 global forwarding switch (`ip_forward` is `conf.all.forwarding`). */
const IPV4_FORWARD = ['net.ipv4.ip_forward', 'net.ipv4.conf.all.forwarding'] as const;

const IPV6_CONF = 'net.ipv6.conf.';
const FORWARDING = '.forwarding';

/** The IPv6 forwarding switch of every device. */
const IPV6_FORWARD_ALL = 'net.ipv6.conf.all.forwarding';

/**
 * `sysctl -w NAME=VALUE` inside the namespace. Only names netsim knows, per-device `conf` and
 * per-device `neigh` values are accepted. Changing the IPv4 forwarding switch (either name) does
 * what devinet_sysctl_forward → inet_forward_change does: the new value goes to `all`, `default`
 * and every device's own `forwarding`, so per-device values written before are reset; writing
 * the value it already has changes nothing (both checked on Linux 6.x in namespaces). IPv6
 * `conf.all.forwarding` goes to `default` and every device on every write, even of the value it
 * has (addrconf_fixup_forwarding, checked on Linux 6.18); a device's IPv6 forwarding decides which
 * subnet-router anycast addresses it joins (anycast.ts, dev_forward_change).
 */
export function setSysctl(ns: Netns, name: string, value: string): void {
  // Per-device `conf` and `neigh` values: `net.ipv4.conf.eth0.rp_filter` (sysctl-keys.ts).
  // The character test first: a new device's name is in no string table yet, and `in` looks it up.
  const known = isDeviceSysctl(name) || name in DEFAULTS;
  if (!known) throw new CommandError(`sysctl -w ${name}=${value}`, `sysctl: cannot stat /proc/sys/${name.replaceAll('.', '/')}: No such file or directory`);
  // Writing the value a key has changes nothing, except a forwarding switch (handled below: IPv6
  // acts on every write). The bridge plugin writes the bridge's accept_ra and ip_forward per ADD.
  if (ns.sysctl[name] === value && !name.endsWith(FORWARDING)) return;
  // proxy_arp and forwarding decide who answers ARP (neigh-index.ts); the only writer of ns.sysctl.
  noteNetnsChange(ns.name);
  if ((IPV4_FORWARD as readonly string[]).includes(name)) {
    // devinet_sysctl_forward acts only on a change: writing the value it already has resets nothing.
    if (getSysctl(ns, 'net.ipv4.ip_forward') === value) return;
    for (const key of Object.keys(ns.sysctl)) if (/^net\.ipv4\.conf\.[^.]+\.forwarding$/.test(key)) drop(ns, key);
    write(ns, 'net.ipv4.ip_forward', value);
    write(ns, 'net.ipv4.conf.all.forwarding', value);
    write(ns, 'net.ipv4.conf.default.forwarding', value);
    return;
  }
  if (name === IPV6_FORWARD_ALL) {
    // addrconf_fixup_forwarding: `default` and every device take the value, on every write.
    for (const key of Object.keys(ns.sysctl)) if (/^net\.ipv6\.conf\.[^.]+\.forwarding$/.test(key)) drop(ns, key);
    write(ns, IPV6_FORWARD_ALL, value);
    write(ns, 'net.ipv6.conf.default.forwarding', value);
    syncAnycastAll(ns);
    return;
  }
  write(ns, name, value);
  // A device's IPv6 forwarding (the name passed DEVICE_SYSCTL: one dot-free device segment).
  if (name.startsWith(IPV6_CONF) && name.endsWith(FORWARDING)) {
    const dev = name.slice(IPV6_CONF.length, -FORWARDING.length);
    if (dev !== 'default') syncAnycast(ns, dev);
  }
}

/**
 * {@link setSysctl} of a name the caller knows to be a per-device `conf` or `neigh` value
 * (`net.ipv6.conf.DEV.accept_ra`, DEV without a dot): no name check, and nothing else to do unless
 * it is a `forwarding` switch (then {@link setSysctl}). The bridge plugin writes each veth's
 * `accept_ra` (pod-ports.ts). sysctl-device.property.test.ts checks it against setSysctl.
 */
export function setDeviceSysctl(ns: Netns, name: string, value: string): void {
  if (name.endsWith(FORWARDING)) return setSysctl(ns, name, value);
  if (ns.sysctl[name] === value) return;
  noteNetnsChange(ns.name);
  write(ns, name, value);
}

/** `ns.sysctl[key] = value`, keeping sysctl-keys.ts's count of devices' own IPv6 forwarding. */
function write(ns: Netns, key: string, value: string): void {
  noteSysctlWrite(ns.sysctl, key);
  ns.sysctl[key] = value;
}

/** `delete ns.sysctl[key]`, keeping the count. */
function drop(ns: Netns, key: string): void {
  noteSysctlDelete(ns.sysctl, key);
  delete ns.sysctl[key];
}

/** `sysctl -n NAME`: the value, or the default. */
export function getSysctl(ns: Netns, name: string): string {
  return ns.sysctl[name] ?? DEFAULTS[name] ?? '0';
}

function num(ns: Netns, name: string): number {
  return Number.parseInt(getSysctl(ns, name), 10) || 0;
}

/** `net.ipv4.conf.DEV.KEY`, made once per device and key (an ARP broadcast asks each of a segment's 5,000 nodes for its proxy_arp). */
const confNames = new Map<string, Map<string, string>>();

function confName(dev: string, key: string): string {
  let byDev = confNames.get(key);
  if (byDev === undefined) confNames.set(key, (byDev = new Map()));
  let name = byDev.get(dev);
  if (name === undefined) {
    // Bounded: a cluster has a device name per pod; the names asked for on every packet are few (eth0, cni0).
    if (byDev.size >= 4096) byDev.clear();
    byDev.set(dev, (name = `net.ipv4.conf.${dev}.${key}`));
  }
  return name;
}

/** A per-device IPv4 `conf` value: the device's own, else `default` (what a new device inherits). */
function devConf(ns: Netns, dev: string, key: string): number {
  const own = ns.sysctl[confName(dev, key)];
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

/**
 * Whether the namespace forwards packets of the family that arrive on `dev`. IPv4 decides per
 * receiving device (IN_DEV_FORWARD in ip_route_input_slow): the device's own
 * `net.ipv4.conf.<dev>.forwarding`, which a device takes from `default` when it is created and
 * which every write of `ip_forward` overwrites (see {@link setSysctl}); netsim keeps only values
 * written since the last global write, so an unset device reads `default`, then `ip_forward`.
 * IPv6 forwarding is the namespace's `conf.all.forwarding` (ip6_forward).
 */
export function forwarding(ns: Netns, family: 4 | 6, dev?: string): boolean {
  if (family === 6) return num(ns, 'net.ipv6.conf.all.forwarding') !== 0;
  const own = dev === undefined ? undefined : ns.sysctl[confName(dev, 'forwarding')];
  const value = own ?? ns.sysctl['net.ipv4.conf.default.forwarding'] ?? getSysctl(ns, 'net.ipv4.ip_forward');
  return (Number.parseInt(value, 10) || 0) !== 0;
}

/** Whether br_netfilter hands bridged frames of the family to iptables/ip6tables. */
export function bridgeNfCall(ns: Netns, family: 4 | 6): boolean {
  return num(ns, family === 4 ? 'net.bridge.bridge-nf-call-iptables' : 'net.bridge.bridge-nf-call-ip6tables') !== 0;
}
