/**
 * Layer `bgp`: the BGP model, as BIRD runs it on every Calico node (and as a ToR router's
 * daemon runs it on the underlay). Speakers are configured as data (what confd renders into
 * `bird.cfg`), sessions and UPDATEs run as an event-driven simulation in simulated time
 * (no sockets, no clock), and the converged best routes are written into the kernel model
 * with kernel verbs, as BIRD's `protocol kernel` does.
 *
 * This file is the contract between the simulation (sim.ts), the configuration that confd's
 * templates express (built in the cluster layer from Calico's objects), the kernel programming
 * (kernel.ts) and the views (`birdc`, `calicoctl node status`, the timeline).
 *
 * Imports `addr` and `diag` only. Values are plain data (structured-cloneable).
 */
import type { Cidr, Ip } from '../addr/index.js';

/** What BIRD's `show protocols` calls a BGP session's state (RFC 4271's FSM states). */
export type SessionState = 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established';

/** `calicoctl node status`'s PEER TYPE column: which confd template made the session. */
export type PeerType = 'node-to-node mesh' | 'global' | 'node specific' | 'external';

/**
 * One `protocol bgp` block of a speaker's configuration.
 *
 * Calico's confd names it `Mesh_<ip>` (mesh), `Node_<ip>` (a node-scoped or selector BGPPeer)
 * or `Global_<ip>` (a global BGPPeer), with the IP's dots or colons as underscores.
 */
export interface BgpPeerConfig {
  /** The protocol's name in `birdc show protocols` (`Mesh_192_168_1_12`). */
  readonly protocol: string;
  readonly peerType: PeerType;
  /** `neighbor <ip> as <as>`. */
  readonly peerIp: Ip;
  readonly peerAs: number;
  /** `local as`; the speaker's AS unless a BGPPeer overrides it (`localASNumber`). */
  readonly localAs: number;
  /** `source address`: the node's own address of the peer's family. */
  readonly sourceAddress?: Ip;
  /** `passive on`: wait for the peer to connect (Calico: the side whose own IP is the lower in the mesh). */
  readonly passive: boolean;
  /** `multihop`: the peer need not be on a directly connected network (Calico's mesh always sets it). */
  readonly multihop: boolean;
  /** `rr client`: this speaker reflects the peer's routes (it is a route reflector and the peer its client). */
  readonly rrClient: boolean;
  /** `next hop self`: rewrite the next hop to `sourceAddress` on export (the default for eBGP). */
  readonly nextHopSelf: boolean;
  /** `next hop keep`: never rewrite the next hop, even for eBGP (Calico's `keepOriginalNextHop`). */
  readonly nextHopKeep: boolean;
  /**
   * The network this speaker shares with the peer, for a directly connected peer: BIRD keeps a
   * route's next hop on export to an eBGP peer when the next hop is on this network (a
   * third-party next hop, RFC 4271 5.1.3) and uses its own address otherwise.
   */
  readonly sharedSubnet?: Cidr;
  /** `allow local as N` (Calico's `numAllowedLocalASNumbers`): accept routes with our AS up to N times in the path. */
  readonly allowLocalAs?: number;
  /** Hold time in seconds (BIRD's default 240). */
  readonly holdTime: number;
  /** Keepalive interval in seconds (BIRD's default: a third of the hold time). */
  readonly keepaliveTime: number;
  /** `connect delay time` (Calico's template: 2 s). */
  readonly connectDelayTime: number;
  /** `connect retry time` (Calico's template: 5 s). */
  readonly connectRetryTime: number;
  /** `graceful restart`: keep the peer's routes as stale when its session closes without a failure of the link. */
  readonly gracefulRestart: boolean;
  /** `graceful restart time` in seconds (BIRD's 120, or `maxRestartTime`). */
  readonly restartTime: number;
}

/** A route a speaker originates: a `protocol static` route, or one its `protocol kernel` learned. */
export interface OriginatedRoute {
  readonly prefix: Cidr;
  /** BIRD's protocol that holds it: `static1` (blocks, as blackholes), `kernel1` (a borrowed /32 learned from the CNI's route), `static_svc` … */
  readonly protocol: string;
  /** `route <prefix> blackhole;` (Calico's `bird_aggr.cfg` for every block affine to the node). */
  readonly blackhole: boolean;
  /** For a kernel-learned route: the device of the route (`cali1a2b3c4d5e6`). */
  readonly dev?: string;
}

/**
 * One term of a BIRD filter over the route's prefix, tried in order; the first that matches decides.
 * `exact` is BIRD's `net = P`, `within` is `net ~ P` (P itself or any more-specific prefix).
 */
export interface PrefixRule {
  readonly match: 'exact' | 'within';
  readonly cidr: Cidr;
  readonly action: 'accept' | 'reject';
}

/**
 * One term of Calico's `calico_kernel_programming` filter: for routes within `cidr` (a pool),
 * reject (a VXLAN pool: Felix programs those), or accept with BIRD-Calico's `krt_tunnel`:
 * `always` → the tunnel device; `cross-subnet` → plain when the BGP next hop is inside
 * `localSubnet`, else the tunnel device; `never` → plain.
 */
export interface KernelRule {
  readonly cidr: Cidr;
  readonly action: 'accept' | 'reject';
  readonly tunnel: 'always' | 'cross-subnet' | 'never';
  /** The device BIRD-Calico writes into `krt_tunnel` (`tunl0`). */
  readonly tunnelDev?: string;
  /** For `cross-subnet`: the node's own subnet (prefix of its BGP address). */
  readonly localSubnet?: Cidr;
}

/** One speaker: BIRD on a node, or a router's BGP daemon. */
export interface BgpSpeakerConfig {
  /** The namespace it runs in (node or router name). */
  readonly name: string;
  readonly kind: 'node' | 'router';
  /** `router id`: the node's IPv4 address (or `spec.bgp.routerID`). */
  readonly routerId: Ip;
  readonly asNumber: number;
  /** The addresses it accepts BGP connections on (the node's or router's interface addresses); a peer's `peerIp` names one of these. */
  readonly addresses: readonly Ip[];
  /** This speaker is a route reflector with this cluster id (`spec.bgp.routeReflectorClusterID`). */
  readonly rrClusterId?: Ip;
  readonly peers: readonly BgpPeerConfig[];
  readonly originate: readonly OriginatedRoute[];
  /** The export filter towards every peer (`calico_export_to_bgp_peers`); no match = reject. */
  readonly exportRules: readonly PrefixRule[];
  /** The kernel export filter (`calico_kernel_programming`); no match = accept, untunnelled. */
  readonly kernelRules: readonly KernelRule[];
}

/** Something that goes wrong in the simulation (`--fail node-2`, `--fail-link node-2/eth0`). */
export interface BgpFailure {
  /** Simulated time it happens, seconds. */
  readonly at: number;
  /**
   * `speaker`: the machine dies (BIRD stops, nothing answers, no NOTIFICATION sent);
   * `link`: one of its interfaces goes down (`dev`), the speaker lives on;
   * `restart`: BIRD restarts (sessions close, graceful restart keeps routes stale on GR-capable peers).
   */
  readonly kind: 'speaker' | 'link' | 'restart';
  readonly speaker: string;
  readonly dev?: string;
}

/**
 * Whether `from`'s BIRD can open TCP 179 to `to` (sourced from `src`), given what is down
 * (`'node-2'` for a dead speaker, `'node-2/eth0'` for a link). `true`, or the socket error
 * BIRD reports (`Host is unreachable`, `Connection refused`, `No route to host`).
 */
export type Reachability = (from: string, to: Ip, src: Ip | undefined, down: ReadonlySet<string>) => true | string;

/** What the simulation needs. */
export interface BgpSimInput {
  readonly speakers: readonly BgpSpeakerConfig[];
  readonly reachable: Reachability;
  readonly failures?: readonly BgpFailure[];
  /** Stop at this simulated time (seconds); default: when nothing is left to happen. */
  readonly until?: number;
  /** Record the timeline's events (default true); off for large benchmarks. */
  readonly recordEvents?: boolean;
}

/** One session as `birdc show protocols` and `calicoctl node status` print it. */
export interface SessionView {
  readonly protocol: string;
  readonly peerType: PeerType;
  readonly peerIp: Ip;
  readonly peerAs: number;
  /** BIRD's coarse state column: `up` (Established), `start` (any other state), `down` (disabled/dead speaker). */
  readonly state: 'up' | 'start' | 'down';
  readonly fsm: SessionState;
  /** When the state last changed, simulated seconds. */
  readonly since: number;
  /** BIRD's info column: `Established`, `Passive`, `Active`, `Connect`, `Idle`, `Active Socket: Host is unreachable`, … */
  readonly info: string;
  /** Routes imported from and exported to this peer. */
  readonly imported: number;
  readonly exported: number;
}

/** One route of a speaker's table (`birdc show route all`): a candidate; `best` marks the one chosen. */
export interface BgpRouteView {
  readonly prefix: Cidr;
  /** The protocol it came from: `static1`, `kernel1`, `Mesh_192_168_1_12`, … */
  readonly protocol: string;
  /** BIRD's preference: 200 static, 10 kernel, 100 BGP. */
  readonly preference: number;
  readonly blackhole: boolean;
  /** The BGP next hop (`bgp_next_hop`); absent for static/kernel routes. */
  readonly nextHop?: Ip;
  /** The peer it was learned from. */
  readonly fromIp?: Ip;
  /** For kernel-learned routes: their device. */
  readonly dev?: string;
  readonly asPath: readonly number[];
  readonly origin: 'IGP' | 'EGP' | 'Incomplete';
  readonly localPref: number;
  readonly med: number;
  /** RFC 4456 ORIGINATOR_ID and CLUSTER_LIST, when reflected. */
  readonly originatorId?: Ip;
  readonly clusterList: readonly Ip[];
  /** iBGP (`[i]`) or eBGP. */
  readonly internal: boolean;
  /** Kept by graceful restart after its session closed. */
  readonly stale: boolean;
  readonly since: number;
  readonly best: boolean;
}

/** A speaker's state at the end of the run. */
export interface SpeakerView {
  readonly name: string;
  readonly kind: 'node' | 'router';
  readonly routerId: Ip;
  readonly asNumber: number;
  /** False once a `speaker` failure killed it. */
  readonly running: boolean;
  readonly sessions: readonly SessionView[];
  /** Every candidate route, sorted by prefix then best first. */
  readonly routes: readonly BgpRouteView[];
}

/** One line of `netsim bgp timeline`. */
export interface BgpEvent {
  readonly time: number;
  readonly speaker: string;
  readonly kind: 'failure' | 'session' | 'hold-expired' | 'route-add' | 'route-withdraw' | 'route-stale' | 'best-change';
  readonly protocol?: string;
  readonly from?: SessionState;
  readonly to?: SessionState;
  readonly prefix?: Cidr;
  /** A human sentence, BIRD's log wording where there is one. */
  readonly text: string;
}

/** The simulation's result. */
export interface BgpResult {
  /** Simulated time when it stopped (converged, or `until`). */
  readonly time: number;
  /** When the last route changed (the convergence time). */
  readonly convergedAt: number;
  readonly speakers: Readonly<Record<string, SpeakerView>>;
  readonly events: readonly BgpEvent[];
}
