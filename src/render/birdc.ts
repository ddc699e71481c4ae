/**
 * `birdcl show protocols` as Calico's BIRD (the BIRD 1.6 fork, `BIRD v0.3.3+birdv1.6.8`)
 * prints it, from a speaker's simulated state. BIRD 1.6 runs one daemon per family: `bird`
 * (IPv4, `/var/run/calico/bird.ctl`) and `bird6` (IPv6, `bird6.ctl`), so every view here
 * takes the family and shows only that daemon's protocols and routes.
 *
 * Line layout from BIRD 1.6's `proto_cmd_show` (nest/proto.c):
 * `"%-8s %-8s %-8s %-5s  %-10s  %s"` of name, protocol type, table, state, since and info; the
 * info of a BGP protocol comes from `bgp_get_status` (proto/bgp/bgp.c): the session state
 * padded to 14 columns, then the last error (`Socket: Connection refused`), or the error alone
 * when the protocol is down. Trailing spaces are BIRD's and are kept.
 * `show route` is in birdc-route.ts.
 */
import type { Family } from '../addr/ip.js';
import type { BgpSpeakerConfig, SessionView, SpeakerView } from '../bgp/types.js';
import { birdTime } from './bird-time.js';

/** What the BIRD client prints first (Calico's fork of BIRD 1.6.8). */
export const BIRDCL_BANNER = 'BIRD v0.3.3+birdv1.6.8 ready.';

/** A speaker as the BIRD views read it: its state, its configuration when known, and when the command runs. */
export interface BirdSpeaker {
  readonly view: SpeakerView;
  /** Its configuration (the non-BGP protocols' names, each session's gateway mode); optional. */
  readonly config?: BgpSpeakerConfig;
  /** Simulated time at which the command runs (the result's `time`), for the since column. */
  readonly now: number;
}

/** The control socket of a family's daemon in calico-node (`birdcl -s …`). */
export function birdSocket(family: Family): string {
  return family === 4 ? '/var/run/calico/bird.ctl' : '/var/run/calico/bird6.ctl';
}

/** One row of `show protocols`. */
export interface BirdProtocolRow {
  readonly name: string;
  readonly proto: 'Static' | 'Kernel' | 'Device' | 'Direct' | 'BGP';
  readonly table: string;
  readonly state: string;
  readonly since: string;
  readonly info: string;
}

/** `bgp_state_dsc` words that can open a session's info column. */
const STATE_WORDS = new Set(['Idle', 'Connect', 'Active', 'OpenSent', 'OpenConfirm', 'Established', 'Passive', 'Down']);

/**
 * The protocols Calico's bird.cfg / bird6.cfg declare before the BGP sessions, in their order:
 * `protocol static` from bird_aggr.cfg (`static1`) and any other static protocol the speaker
 * originates from, `protocol kernel`, `protocol device`, `protocol direct`. A router's daemon
 * has no `static1` unless it originates routes.
 */
function baseProtocols(s: BirdSpeaker): Pick<BirdProtocolRow, 'name' | 'proto'>[] {
  const statics = [...new Set((s.config?.originate ?? []).map((o) => o.protocol))].filter((p) => !p.startsWith('kernel'));
  const first = s.view.kind === 'node' ? ['static1', ...statics.filter((p) => p !== 'static1')] : statics;
  return [...first.map((name) => ({ name, proto: 'Static' as const })), { name: 'kernel1', proto: 'Kernel' }, { name: 'device1', proto: 'Device' }, { name: 'direct1', proto: 'Direct' }];
}

/** BIRD's info column for a BGP session: `%-14s%s` of state and last error, or the error alone when down. */
export function bgpInfo(session: SessionView): string {
  const [word = '', ...rest] = session.info.split(' ');
  const known = STATE_WORDS.has(word);
  const error = known ? rest.join(' ') : session.info;
  if (session.state === 'down') return error;
  return `${(known ? word : session.fsm).padEnd(14)}${error}`;
}

/** The rows of `show protocols` for one family's daemon. */
export function birdProtocolRows(s: BirdSpeaker, family: Family): BirdProtocolRow[] {
  const started = birdTime(0, s.now);
  const base = baseProtocols(s).map((p) => ({ ...p, table: 'master', state: 'up', since: started, info: '' }));
  const sessions = s.view.sessions
    .filter((x) => x.peerIp.family === family)
    .map((x) => ({ name: x.protocol, proto: 'BGP' as const, table: 'master', state: x.state, since: birdTime(x.since, s.now), info: bgpInfo(x) }));
  return [...base, ...sessions];
}

/** One row as `proto_cmd_show` prints it. */
export function formatProtocolRow(r: BirdProtocolRow): string {
  return `${r.name.padEnd(8)} ${r.proto.padEnd(8)} ${r.table.padEnd(8)} ${r.state.padEnd(5)}  ${r.since.padEnd(10)}  ${r.info}`;
}

/**
 * `birdcl -s /var/run/calico/bird.ctl show protocols` (or `bird6.ctl` for IPv6): the banner, the
 * header, then each protocol. A speaker that is not running answers with the client's error.
 */
export function birdShowProtocols(s: BirdSpeaker, family: Family): string {
  if (!s.view.running) return birdUnreachable(family);
  const rows = birdProtocolRows(s, family).map(formatProtocolRow);
  return [BIRDCL_BANNER, 'name     proto    table    state  since       info', ...rows].map((l) => `${l}\n`).join('');
}

/** What `birdcl` prints when the daemon is gone (its socket left behind): BIRD's client `die()` message. */
export function birdUnreachable(family: Family): string {
  return `Unable to connect to server control socket (${birdSocket(family)}): Connection refused\n`;
}
