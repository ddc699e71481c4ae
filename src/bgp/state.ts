/**
 * The simulation's internal, mutable state: speakers (one BIRD each), their protocol instances
 * (sessions), the routes as UPDATEs carry them, and the scheduled events. Internal to the layer;
 * the public shapes are in types.ts.
 *
 * Memory: a received route is one immutable {@link Rx} shared by every receiver of the same
 * UPDATE (a route reflector's UPDATE to its clients is one object), and the Loc-RIB stores only
 * which candidate won (a pointer), so a client's table costs a map entry per prefix.
 */
import type { Cidr, Family, Ip } from '../addr/index.js';
import type { BgpEvent, BgpFailure, BgpPeerConfig, BgpSpeakerConfig, Reachability, SessionState } from './types.js';
import type { EventQueue } from './queue.js';
import type { PrefixTable } from './prefixes.js';
import type { PrefixMap } from './prefix-map.js';

/** BGP's ORIGIN attribute. */
export type Origin = 'IGP' | 'EGP' | 'Incomplete';

/** Path attributes of one route as an UPDATE carries it (immutable). */
export interface Attrs {
  readonly prefixId: number;
  readonly prefix: Cidr;
  /** NEXT_HOP (absent for a speaker's own static/kernel routes before export). */
  readonly nextHop: Ip | undefined;
  readonly asPath: readonly number[];
  readonly origin: Origin;
  readonly localPref: number;
  readonly med: number;
  /** RFC 4456 ORIGINATOR_ID, set by the first reflection. */
  readonly originatorId: Ip | undefined;
  readonly clusterList: readonly Ip[];
}

/** A route as received: the attributes and the arrival time; one object per UPDATE, shared by all its receivers. */
export interface Rx {
  readonly attrs: Attrs;
  /** Simulated arrival time, milliseconds. */
  readonly since: number;
}

/** A route the speaker originates itself (`protocol static` blackhole, or learned by `protocol kernel`). */
export interface LocalRoute {
  readonly kind: 'local';
  readonly protocol: string;
  /** BIRD's preference: 200 static, 10 kernel. */
  readonly preference: number;
  readonly blackhole: boolean;
  readonly dev: string | undefined;
  readonly attrs: Attrs;
  readonly since: number;
}

/** One entry of an outgoing UPDATE: announce `rx` (or withdraw when null) for `prefixId`. */
export interface Entry {
  readonly prefixId: number;
  readonly rx: Rx | null;
  /** The session (on the sender) the route was learned from: never sent back to it (BIRD does not export to the route's source). */
  readonly from: Session | undefined;
}

/**
 * Sessions of one speaker that export identically (same family, iBGP/eBGP, RR-client flag,
 * next-hop handling, source address, local AS): one UPDATE is built per group and delivered to
 * every established member, as BIRD's per-channel buckets and FRR's update groups do.
 */
export interface Group {
  readonly key: string;
  readonly speaker: Speaker;
  /** A member whose configuration stands for the group's export decisions. */
  readonly proto: Session;
  readonly members: Set<Session>;
  /** Changes not yet on the wire (delivered one latency after the first). */
  pending: Map<number, Entry> | undefined;
}

/** One `protocol bgp` instance of a speaker. */
export interface Session {
  readonly kind: 'session';
  readonly speaker: Speaker;
  readonly cfg: BgpPeerConfig;
  readonly family: Family;
  /** iBGP (`peerAs = localAs`). */
  readonly internal: boolean;
  /** The source address it connects from and puts as next hop (`source address`). */
  readonly src: Ip | undefined;
  /** The matching protocol instance on the peer speaker, if any. */
  remote: Session | undefined;
  group: Group;
  state: SessionState;
  since: number;
  /** The state part of BIRD's info column (`Passive`, `Active`, `Established` …). */
  info: string;
  /** BIRD's last error (`Socket: Connection refused`, `BGP Error: Bad peer AS`), cleared when established. */
  lastError: string;
  /** Bumped whenever the session leaves a connection; scheduled events carry it to detect staleness. */
  epoch: number;
  rib: PrefixMap<Rx>;
  /** Graceful restart: the peer's routes kept as stale after its session closed. */
  stale: PrefixMap<Rx> | undefined;
  grEpoch: number;
  establishedAt: number;
  lastRx: number;
  /** Negotiated hold time and the keepalive interval the peer sends with, ms. */
  holdTime: number;
  peerKeepalive: number;
  peerRouterId: Ip | undefined;
  /** Time of the last connection attempt (retries are spaced from it). */
  lastAttempt: number;
  /** An attempt is scheduled at this time (or -1). */
  nextAttempt: number;
  /** Retries stopped because nothing in the simulated world can change any more. */
  parked: boolean;
  /** The peer can no longer be heard (dead, or the path broke): the hold timer runs out. */
  silent: boolean;
}

/** One BIRD. */
export interface Speaker {
  readonly index: number;
  readonly cfg: BgpSpeakerConfig;
  /** BIRD runs (false while dead or restarting). */
  running: boolean;
  /** The machine died (`speaker` failure): never comes back. */
  dead: boolean;
  readonly sessions: Session[];
  readonly groups: Map<string, Group>;
  /** Own routes by prefix id. */
  local: Map<number, LocalRoute[]>;
  /** Loc-RIB: the winning candidate per prefix id. */
  best: PrefixMap<Session | LocalRoute>;
}

/** A scheduled simulation event. */
export type SimEvent =
  | { readonly kind: 'start'; readonly speaker: Speaker }
  | { readonly kind: 'attempt'; readonly session: Session; readonly epoch: number }
  | { readonly kind: 'tcp-up' | 'open' | 'established'; readonly init: Session; readonly acc: Session; readonly epochs: readonly [number, number] }
  | { readonly kind: 'notify'; readonly session: Session; readonly epoch: number; readonly error: string }
  | { readonly kind: 'closed'; readonly session: Session; readonly epoch: number }
  | { readonly kind: 'deliver'; readonly group: Group; readonly entries: Map<number, Entry> }
  | { readonly kind: 'dump'; readonly session: Session; readonly epoch: number; readonly from: Session; readonly entries: readonly Entry[] }
  | { readonly kind: 'failure'; readonly failure: BgpFailure }
  | { readonly kind: 'comeback'; readonly speaker: Speaker }
  | { readonly kind: 'hold'; readonly session: Session; readonly epoch: number }
  | { readonly kind: 'gr-expire'; readonly session: Session; readonly grEpoch: number };

/** The whole simulation. Times are integer milliseconds internally. */
export interface Sim {
  now: number;
  readonly queue: EventQueue<SimEvent>;
  readonly speakers: readonly Speaker[];
  readonly byName: ReadonlyMap<string, Speaker>;
  /** Speaker by `addresses` entry (family|value). */
  readonly byAddress: ReadonlyMap<string, Speaker>;
  readonly prefixes: PrefixTable;
  readonly down: Set<string>;
  readonly reachable: Reachability;
  readonly record: boolean;
  readonly events: BgpEvent[];
  lastRouteChange: number;
  /** Failures and come-backs still in the future: while any is, futile retries keep going. */
  pendingChanges: number;
  readonly parked: Set<Session>;
}

/** The key of an address in maps. */
export function ipKey(a: Ip): string {
  return `${a.family}|${a.value}`;
}

/** Seconds (configuration, output) ↔ the simulation's integer milliseconds. */
export function ms(seconds: number): number {
  return Math.round(seconds * 1000);
}
export function seconds(millis: number): number {
  return millis / 1000;
}
