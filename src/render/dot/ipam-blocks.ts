/**
 * Per node, the IPAM blocks a block-based IPAM (calico-ipam) gave it, as label lines: what
 * `calicoctl ipam show --show-blocks` lists, grouped by node. A node's own blocks come with how
 * many addresses are in use and how many of them other nodes borrowed; addresses the node
 * borrowed from another node's block (pool exhausted, `strictAffinity: false`) are listed one
 * by one, since those are the ones its routes and the other node's `/32` routes are about.
 */
import { formatCidr } from '../../addr/cidr.js';
import { familyBits, formatIp } from '../../addr/ip.js';
import type { CalicoIpamView, IpamAllocation, IpamBlockView } from '../../cni/calico/ipam/index.js';

/** Borrowed addresses listed per node before the rest become "+N more borrowed". */
const MAX_BORROWED_LINES = 4;

/**
 * Label lines for every node, by node name. Empty when the view holds no block (the cluster's
 * IPAM is not block-based): the caller then shows the podCIDR the node's IPAM uses instead.
 */
export function ipamBlockLines(view: CalicoIpamView, nodes: readonly string[]): ReadonlyMap<string, readonly string[]> {
  if (view.blocks.length === 0) return new Map();
  return new Map(nodes.map((n) => [n, nodeLines(view, n)]));
}

function nodeLines(view: CalicoIpamView, node: string): string[] {
  const own = view.blocks.filter((b) => b.node === node).map(ownBlockLine);
  const borrowed = view.blocks.flatMap((b) => (b.node === node ? [] : b.allocations.filter((a) => a.node === node).map((a) => borrowedLine(b, a))));
  const shown = borrowed.slice(0, MAX_BORROWED_LINES);
  const more = borrowed.length > shown.length ? [`+${borrowed.length - shown.length} more borrowed`] : [];
  const lines = [...own, ...shown, ...more];
  return lines.length > 0 ? lines : ['no IPAM block'];
}

/** `block 10.244.0.0/26: 3 of 64 in use` (`, 1 lent` when other nodes borrowed from it). */
function ownBlockLine(b: IpamBlockView): string {
  const size = 2n ** BigInt(familyBits(b.cidr.addr.family) - b.cidr.prefix);
  const lent = b.allocations.filter((a) => a.node !== b.node).length;
  return `block ${formatCidr(b.cidr)}: ${b.allocations.length} of ${size} in use${lent > 0 ? `, ${lent} lent` : ''}`;
}

/** `borrowed 10.244.0.3 (default/lonely) from node-1's 10.244.0.0/26`. */
function borrowedLine(b: IpamBlockView, a: IpamAllocation): string {
  const what = a.pod ?? (a.handle.includes('tunnel-addr') ? 'tunnel address' : a.handle);
  const from = b.node === undefined ? `unaffine ${formatCidr(b.cidr)}` : `${b.node}'s ${formatCidr(b.cidr)}`;
  return `borrowed ${formatIp(a.ip)} (${what}) from ${from}`;
}
