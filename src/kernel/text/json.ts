/**
 * `ip -j addr`, `ip -j route show table all`, `ip -j rule` and `ip -j neigh`: the JSON iproute2
 * 6.1 prints (checked against Linux 6.18 in namespaces), listing what the text forms of this
 * folder list, in the same order, so a script written against `ip -j` on a node reads netsim's.
 * Field order and presence follow iproute2: `link_index` and `link_netnsid` for a veth whose
 * peer is in another namespace, `master`, `txqlen`, `addr_info` with `label` on IPv4 only,
 * `flags: ["linkdown"]` on routes whose device has no carrier.
 */
import { devAddrs } from '../addr.js';
import { addrJson, neighJson, routeJson, ruleJson } from '../import/print-json.js';
import type { Link } from '../link/types.js';
import { type Netns, linksByIndex } from '../netns.js';
import { type Family, formatIp } from '../../addr/ip.js';
import { type NamespaceView, linkFlags, linkQdisc, operstate } from './addr.js';
import { listedRoutes } from './route.js';

type Json = Record<string, unknown>;

/**
 * The `link_netnsid` of each namespace this one's veths lead to. The kernel numbers peer
 * namespaces from 0 in the order it first has to name one (when the first veth into it is
 * created here, peernet2id_alloc); netsim takes the veths in ifindex order, which is their
 * creation order.
 */
function netnsIds(all: NamespaceView, ns: Netns): Map<string, number> {
  const ids = new Map<string, number>();
  for (const l of linksByIndex(ns)) {
    if (l.kind !== 'veth' || l.peer.ns === ns.name || all[l.peer.ns]?.hidden !== false) continue;
    if (!ids.has(l.peer.ns)) ids.set(l.peer.ns, ids.size);
  }
  return ids;
}

/** `link_index` and `link_netnsid` of a device whose peer lives in another namespace. */
function peerFields(all: NamespaceView, link: Link, ids: ReadonlyMap<string, number>): Json {
  if (link.dump !== undefined) {
    const at = /^if(\d+)$/.exec(link.dump.at ?? '');
    return at !== null && link.dump.netnsid !== undefined ? { link_index: Number(at[1]), link_netnsid: link.dump.netnsid } : {};
  }
  if (link.kind !== 'veth') return {};
  const id = ids.get(link.peer.ns);
  const peer = all[link.peer.ns]?.links[link.peer.dev];
  return id === undefined || peer === undefined ? {} : { link_index: peer.ifindex, link_netnsid: id };
}

/** `link_type`, `address`, `broadcast` (the `link/…` line). */
function layerFields(link: Link): Json {
  if (link.dump !== undefined) {
    const d = link.dump;
    return { link_type: d.linkType, ...(d.address !== undefined ? { address: d.address } : {}), ...(d.broadcast !== undefined ? { broadcast: d.broadcast } : {}) };
  }
  if (link.kind === 'loopback') return { link_type: 'loopback', address: link.mac, broadcast: link.mac };
  if (link.kind === 'ipip') return { link_type: 'ipip', address: link.local !== undefined ? formatIp(link.local) : '0.0.0.0', broadcast: link.remote !== undefined ? formatIp(link.remote) : '0.0.0.0' };
  return { link_type: 'ether', address: link.mac, broadcast: 'ff:ff:ff:ff:ff:ff' };
}

/** `ip -j addr`: one object per device, in ifindex order. */
export function ipAddrJson(all: NamespaceView, ns: Netns): Json[] {
  const ids = netnsIds(all, ns);
  return linksByIndex(ns).map((link) => {
    const peer = peerFields(all, link, ids);
    const { link_netnsid: netnsid, ...index } = peer;
    const qlen = link.dump === undefined ? 1000 : link.dump.qlen;
    const addrs = addrJson(link.name, link.ifindex, devAddrs(ns, link.name))['addr_info'];
    return {
      ifindex: link.ifindex,
      ...index,
      ifname: link.name,
      flags: [...linkFlags(all, ns, link)],
      mtu: link.mtu,
      qdisc: linkQdisc(link),
      ...(link.master !== undefined ? { master: link.master } : {}),
      operstate: operstate(all, ns, link),
      group: 'default',
      ...(qlen !== undefined ? { txqlen: qlen } : {}),
      ...layerFields(link),
      ...(netnsid !== undefined ? { link_netnsid: netnsid } : {}),
      addr_info: addrs,
    };
  });
}

/** `ip -j route show table all` (IPv4 then IPv6, as `ip route show table all` lists them). */
export function ipRouteJson(all: NamespaceView, ns: Netns): Json[] {
  return listedRoutes(ns, { table: 'all', peers: all }).map(({ route, linkdown }) => routeJson(route, { linkdown }));
}

/** `ip -j rule` (`ip -j -6 rule` with family 6). */
export function ipRuleJson(ns: Netns, family: Family = 4): Json[] {
  return ns.rules[family].map(ruleJson);
}

/** `ip -j neigh`, IPv4 entries first, newest first within a family, as `ip neigh` lists them. */
export function ipNeighJson(ns: Netns): Json[] {
  return [...ns.neigh].sort((a, b) => a.ip.family - b.ip.family || b.seq - a.seq).map(neighJson);
}
