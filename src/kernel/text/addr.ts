/**
 * `ip addr show`, as iproute2 6.1 prints it (checked against Linux 6.x, test/golden/kernel):
 * ```
 * 3: veth1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master cni0 state UP group default qlen 1000
 *     link/ether 0a:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff link-netns pod
 *     inet 10.244.1.1/24 scope global cni0
 *        valid_lft forever preferred_lft forever
 *     inet6 fe80::800:ff:fe00:2/64 scope link 
 *        valid_lft forever preferred_lft forever
 * ```
 * Flags and operstate follow carrier: a veth whose peer is down is `NO-CARRIER,…,UP,M-DOWN`
 * and `LOWERLAYERDOWN`; a bridge without a live port `NO-CARRIER` and `DOWN` — unless no port
 * ever joined and no address was set: then `LOWER_UP` and `UNKNOWN`; a down device
 * has qdisc `noop`. A veth into a hidden (segment) namespace prints as a plain NIC.
 */
import { formatIp } from '../../addr/ip.js';
import { assertNever } from '../../diag/diagnostic.js';
import { devAddrs } from '../addr.js';
import { carrierFollowsPorts, hasCarrier } from '../link/carrier.js';
import type { Link, LinkDump } from '../link/types.js';
import { type IfAddr, type Netns, linksByIndex } from '../netns.js';

/** The namespaces a rendering may look into (veth peers). */
export type NamespaceView = Readonly<Record<string, Netns>>;

function peerDown(all: NamespaceView, link: Link): boolean {
  return link.kind === 'veth' && all[link.peer.ns]?.links[link.peer.dev]?.up !== true;
}

function flags(all: NamespaceView, ns: Netns, link: Link): string {
  return `<${linkFlags(all, ns, link).join(',')}>`;
}

/** The device's flags as `ip link` lists them between `<` and `>` (and `ip -j` as `flags`). */
export function linkFlags(all: NamespaceView, ns: Netns, link: Link): readonly string[] {
  if (link.dump !== undefined) return link.dump.flags;
  const carrier = hasCarrier(all, ns, link);
  const f: string[] = [];
  if (link.up && !carrier) f.push('NO-CARRIER');
  if (link.kind === 'loopback') f.push('LOOPBACK');
  else if (link.kind === 'ipip') f.push('NOARP');
  else f.push('BROADCAST', 'MULTICAST');
  if (link.up) f.push('UP');
  if (carrier) f.push('LOWER_UP');
  if (peerDown(all, link)) f.push('M-DOWN');
  return f;
}

/** `state X` of `ip link` (`operstate` in `ip -j`). */
export function operstate(all: NamespaceView, ns: Netns, link: Link): string {
  if (link.dump !== undefined) return link.dump.operstate;
  if (!link.up) return 'DOWN';
  const carrier = hasCarrier(all, ns, link);
  switch (link.kind) {
    case 'veth':
      return carrier ? 'UP' : 'LOWERLAYERDOWN';
    case 'bridge':
      // No port ever joined: no carrier event reached linkwatch, so the operstate was never set.
      if (!carrierFollowsPorts(link)) return 'UNKNOWN';
      return carrier ? 'UP' : 'DOWN';
    case 'loopback':
    case 'dummy':
    case 'vxlan':
    case 'ipip':
      return 'UNKNOWN';
    default:
      return assertNever(link, 'link');
  }
}

/** `NAME`, `NAME@ifN` (peer elsewhere), `NAME@PEER` (peer here), `tunl0@NONE`. */
function displayName(all: NamespaceView, ns: Netns, link: Link): string {
  if (link.dump !== undefined) return link.dump.at === undefined ? link.name : `${link.name}@${link.dump.at}`;
  if (link.kind === 'veth') {
    const peerNs = all[link.peer.ns];
    if (peerNs === undefined || peerNs.hidden) return link.name;
    if (link.peer.ns === ns.name) return `${link.name}@${link.peer.dev}`;
    return `${link.name}@if${peerNs.links[link.peer.dev]?.ifindex ?? 0}`;
  }
  if (link.kind === 'ipip') return `${link.name}@${link.dev ?? 'NONE'}`;
  return link.name;
}

function linkLine(all: NamespaceView, ns: Netns, link: Link): string {
  if (link.dump !== undefined) return dumpedLinkLine(link.dump);
  if (link.kind === 'loopback') return `    link/loopback ${link.mac} brd ${link.mac}`;
  if (link.kind === 'ipip') return `    link/ipip ${link.local ? formatIp(link.local) : '0.0.0.0'} brd ${link.remote ? formatIp(link.remote) : '0.0.0.0'}`;
  const line = `    link/ether ${link.mac} brd ff:ff:ff:ff:ff:ff`;
  if (link.kind !== 'veth' || link.peer.ns === ns.name) return line;
  const peerNs = all[link.peer.ns];
  return peerNs === undefined || peerNs.hidden ? line : `${line} link-netns ${link.peer.ns}`;
}

/** The `link/…` line (and `altname` lines) of a device read from a node dump, as the dump gave them. */
function dumpedLinkLine(d: LinkDump): string {
  const brd = d.broadcast !== undefined ? ` brd ${d.broadcast}` : '';
  const netns = d.netnsid !== undefined ? ` link-netnsid ${d.netnsid}` : '';
  return [`    link/${d.linkType} ${d.address ?? ''}${brd}${netns}`, ...d.altnames.map((n) => `    altname ${n}`)].join('\n');
}

function addrLines(a: IfAddr): string[] {
  if (a.cidr.addr.family === 4) {
    const brd = a.broadcast !== undefined ? ` brd ${formatIp(a.broadcast)}` : '';
    return [`    inet ${formatIp(a.cidr.addr)}/${a.cidr.prefix}${brd} scope ${a.scope}${a.secondary ? ' secondary' : ''}${a.noPrefixRoute === 'flag' ? ' noprefixroute' : ''} ${a.dev}`, '       valid_lft forever preferred_lft forever'];
  }
  return [`    inet6 ${formatIp(a.cidr.addr)}/${a.cidr.prefix} scope ${a.scope} ${a.nodad ? 'nodad ' : ''}${a.noPrefixRoute === 'flag' ? 'noprefixroute ' : ''}`, '       valid_lft forever preferred_lft forever'];
}

/** The first line of `ip addr` (`ip link` adds `mode DEFAULT` before `group`, `linkMode`). */
export function linkHead(all: NamespaceView, ns: Netns, link: Link, opts: { linkMode?: boolean } = {}): string {
  const qdisc = linkQdisc(link);
  const master = link.master !== undefined ? ` master ${link.master}` : '';
  const mode = opts.linkMode === true ? ' mode DEFAULT' : '';
  const qlen = link.dump === undefined ? ' qlen 1000' : link.dump.qlen === undefined ? '' : ` qlen ${link.dump.qlen}`;
  return `${link.ifindex}: ${displayName(all, ns, link)}: ${flags(all, ns, link)} mtu ${link.mtu} qdisc ${qdisc}${master} state ${operstate(all, ns, link)}${mode} group default${qlen}`;
}

/** The device's qdisc: `noqueue` once it has been up (software devices), `noop` before. */
export function linkQdisc(link: Link): string {
  return link.dump?.qdisc ?? (link.up || link.everUp === true ? 'noqueue' : 'noop');
}

/** The `link/…` line of a device. */
export function linkLayerLine(all: NamespaceView, ns: Netns, link: Link): string {
  return linkLine(all, ns, link);
}

/** The block `ip addr show DEV` prints for one device. */
export function renderLinkAddrs(all: NamespaceView, ns: Netns, link: Link): string {
  const lines = [linkHead(all, ns, link), linkLine(all, ns, link), ...devAddrs(ns, link.name).flatMap(addrLines)];
  return lines.map((l) => `${l}\n`).join('');
}

/** `ip addr show` for a namespace (`all` lets veth ends name their peers). */
export function renderIpAddr(all: NamespaceView, ns: Netns, opts: { dev?: string } = {}): string {
  return linksByIndex(ns)
    .filter((l) => opts.dev === undefined || l.name === opts.dev)
    .map((l) => renderLinkAddrs(all, ns, l))
    .join('');
}
