/**
 * `conntrack -L` text. The line layout was checked against conntrack-tools 1.4.7 on Linux 6.18:
 *
 *     tcp      6 431999 ESTABLISHED src=… dst=… sport=… dport=… src=… dst=… sport=… dport=… [ASSURED] mark=0 use=1
 *     udp      17 29 src=… dst=… sport=… dport=… [UNREPLIED] src=… dst=… sport=… dport=… mark=0 use=1
 *     icmp     1 29 src=… dst=… type=8 code=0 id=4321 src=… dst=… type=0 code=0 id=4321 mark=0 use=1
 *
 * The remaining lifetime is printed as the kernel does a moment after the last packet: whole
 * seconds, rounded down, so an entry refreshed "now" shows its timeout minus one.
 * Entries are listed in creation order (the real tool walks the hash, whose order is arbitrary).
 */
import type { ConntrackEntry } from './entry.js';
import type { ConntrackTable } from './table.js';
import { formatTuple, IPPROTO } from './tuple.js';

const PROTO_NAME: ReadonlyMap<number, string> = new Map([
  [IPPROTO.tcp, 'tcp'],
  [IPPROTO.udp, 'udp'],
  [IPPROTO.icmp, 'icmp'],
  [IPPROTO.icmpv6, 'icmpv6'],
  [IPPROTO.sctp, 'sctp'],
]);

/** Remaining whole seconds as `conntrack -L` shows them. */
function remaining(e: ConntrackEntry, now: number): number {
  return Math.max(0, Math.ceil(e.expires - now) - 1);
}

/** One `conntrack -L` line. */
export function formatEntry(e: ConntrackEntry, now: number): string {
  const name = PROTO_NAME.get(e.orig.proto) ?? 'unknown';
  const parts = [`${name.padEnd(8)} ${e.orig.proto} ${remaining(e, now)}`];
  if (e.tcpState !== undefined) parts.push(e.tcpState);
  parts.push(formatTuple(e.orig));
  if (!e.seenReply) parts.push('[UNREPLIED]');
  parts.push(formatTuple(e.reply));
  if (e.assured) parts.push('[ASSURED]');
  parts.push(`mark=${e.mark}`, 'use=1');
  return parts.join(' ');
}

/** The whole table as `conntrack -L -f ipv4` (or ipv6) prints it, one entry a line. */
export function renderEntries(t: ConntrackTable, now: number, family?: 4 | 6): string {
  const lines: string[] = [];
  const ids = [...t.entries.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const e = t.entries.get(id);
    if (e === undefined || e.expires <= now) continue;
    if (family !== undefined && e.orig.family !== family) continue;
    lines.push(formatEntry(e, now));
  }
  return lines.map((l) => `${l}\n`).join('');
}
