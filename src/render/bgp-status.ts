/**
 * `calicoctl node status` as calicoctl prints it on a Calico node (calicoctl/commands/node/
 * status.go). calicoctl does not know BGP itself: it sends `show protocols` to each BIRD daemon
 * (`bird.ctl`, then `bird6.ctl`) and reads the rows back, so this view is built the same way,
 * from the rows birdc.ts prints:
 * - only BGP protocols named `Mesh_<ip>`, `Node_<ip>` or `Global_<ip>` are peers; the peer
 *   address is the name's tail with `_` turned back into `.` (IPv4) or `:` (IPv6), the type is
 *   `node-to-node mesh`, `node specific` or `global`;
 * - a row needs six whitespace-separated fields, so a down session whose info is empty is not
 *   listed (as calicoctl skips it);
 * - INFO is BIRD's info column with its spacing collapsed (`Active Socket: Connection refused`);
 * - SINCE is BIRD's since column (bird-time.ts: simulated time from 00:00:00);
 * - the table is github.com/olekukonko/tablewriter's (go-tablewriter.ts), and a family without
 *   peers prints `No IPv6 peers found.`
 */
import type { Family } from '../addr/ip.js';
import { type BirdSpeaker, birdProtocolRows, formatProtocolRow } from './birdc.js';
import { goTable } from './go-tablewriter.js';

/** calicoctl's `bgpTypeMap`: the protocol name's prefix → the PEER TYPE column. */
const PEER_TYPES: Readonly<Record<string, string>> = { Global: 'global', Mesh: 'node-to-node mesh', Node: 'node specific' };

/** calicoctl's `bgpPeerRegex`. */
const PEER_NAME = /^(Global|Node|Mesh)_(.+)$/;

/** One peer row: PEER ADDRESS, PEER TYPE, STATE, SINCE, INFO. */
export type CalicoPeerRow = readonly [string, string, string, string, string];

/** calicoctl's `unmarshalBIRD` over one `show protocols` line; undefined when calicoctl would skip it. */
export function calicoPeerRow(line: string, family: Family): CalicoPeerRow | undefined {
  const cols = line.split(/\s+/).filter((c) => c !== '');
  if (cols.length < 6 || cols[1] !== 'BGP') return undefined;
  const m = PEER_NAME.exec(cols[0] ?? '');
  const type = m?.[1] === undefined ? undefined : PEER_TYPES[m[1]];
  if (m?.[2] === undefined || type === undefined) return undefined;
  const ip = m[2].replace(/_/g, family === 4 ? '.' : ':');
  return [ip, type, cols[3] ?? '', cols[4] ?? '', cols.slice(5).join(' ')];
}

/** The peers calicoctl lists for one family. */
export function calicoPeerRows(s: BirdSpeaker, family: Family): CalicoPeerRow[] {
  return birdProtocolRows(s, family)
    .map((r) => calicoPeerRow(formatProtocolRow(r), family))
    .filter((r): r is CalicoPeerRow => r !== undefined);
}

/**
 * `calicoctl node status` on a node: `Calico process is running.`, then for IPv4 and IPv6 a
 * blank line, `IPv4 BGP status` and the peers' table (or `No IPv4 peers found.`), then the
 * blank line calicoctl prints last. On a node whose BIRD is not running, calicoctl's error.
 */
export function calicoctlNodeStatus(s: BirdSpeaker): string {
  if (!s.view.running) return 'Calico process is not running.\n';
  const out = ['Calico process is running.\n'];
  for (const family of [4, 6] as const) {
    out.push(`\nIPv${family} BGP status\n`);
    const rows = calicoPeerRows(s, family);
    out.push(rows.length === 0 ? `No IPv${family} peers found.\n` : goTable(['Peer address', 'Peer type', 'State', 'Since', 'Info'], rows));
  }
  out.push('\n');
  return out.join('');
}
