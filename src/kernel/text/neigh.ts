/**
 * `ip neigh show`: `IP dev DEV [lladdr MAC] STATE ` (note the trailing space). The kernel dumps
 * one table after the other (neigh_dump_info: ARP, then ND, so IPv4 before IPv6), each in its hash
 * order; netsim lists each family newest first, which matches what a small table shows in practice.
 */
import { formatIp } from '../../addr/ip.js';
import type { NeighEntry, Netns } from '../netns.js';

/** One entry as `ip neigh` prints it (without the newline). */
export function neighLine(n: NeighEntry, opts: { showDev?: boolean } = {}): string {
  const f = [formatIp(n.ip)];
  if (opts.showDev !== false) f.push('dev', n.dev);
  if (n.mac !== undefined) f.push('lladdr', n.mac);
  f.push(n.state);
  return `${f.join(' ')} `;
}

/** `ip [-4|-6] neigh show [dev DEV]`. */
export function renderIpNeigh(ns: Netns, opts: { dev?: string; family?: 4 | 6 } = {}): string {
  return [...ns.neigh]
    .filter((n) => (opts.dev === undefined || n.dev === opts.dev) && (opts.family === undefined || n.ip.family === opts.family))
    .sort((a, b) => a.ip.family - b.ip.family || b.seq - a.seq)
    .map((n) => `${neighLine(n, { showDev: opts.dev === undefined })}\n`)
    .join('');
}
