/**
 * `ip -d link show DEV` for a VXLAN device, in iproute2 6.1's format (checked against this
 * kernel: `ip link add flannel.1 type vxlan id 1 local IP dev eth0 dstport 8472 nolearning`).
 * The per-device offload figures (gso/tso/gro) are the values the kernel printed for a VXLAN
 * device over a veth; netsim does not model them, so they are printed as that kernel did.
 */
import { formatIp } from '../../addr/ip.js';
import { CommandError } from '../errors.js';
import { getLink } from '../link/link.js';
import type { Netns } from '../netns.js';
import { type NamespaceView, linkHead, linkLayerLine } from './addr.js';

/** The offload tail of `ip -d link` (not modelled, printed as the kernel did). */
const OFFLOADS = 'numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536';

/** `ip -d link show DEV` of a VXLAN device. */
export function renderVxlanDetails(all: NamespaceView, ns: Netns, dev: string): string {
  const link = getLink(ns, dev, `ip -d link show ${dev}`);
  if (link.kind !== 'vxlan') throw new CommandError(`ip -d link show ${dev}`, `"${dev}" is not a VXLAN device`);
  const vxlan = [
    `vxlan id ${link.vni}`,
    ...(link.local !== undefined ? [`local ${formatIp(link.local)}`] : []),
    ...(link.dev !== undefined ? [`dev ${link.dev}`] : []),
    'srcport 0 0',
    `dstport ${link.dstport}`,
    ...(link.learning ? [] : ['nolearning']),
    'ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64',
    OFFLOADS,
  ].join(' ');
  const lines = [linkHead(all, ns, link, { linkMode: true }), `${linkLayerLine(all, ns, link)} promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 `, `    ${vxlan} `];
  return lines.map((l) => `${l}\n`).join('');
}
