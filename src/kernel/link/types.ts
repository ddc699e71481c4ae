/**
 * Network devices as plain data. One interface per `ip link add … type KIND`; the fields common
 * to all devices live in {@link LinkCommon}. A bridge port is any link with `master` set; its
 * per-port flags (`bridge link set dev X hairpin on`) live on the port, as in the kernel's
 * `struct net_bridge_port`.
 */
import type { Ip } from '../../addr/ip.js';
import type { Mac } from '../../addr/mac.js';

/** The device types netsim models (`ip link add … type KIND`, plus the loopback). */
export type LinkKind = 'loopback' | 'veth' | 'bridge' | 'dummy' | 'vxlan' | 'ipip';

/** What every device has. */
export interface LinkCommon {
  readonly name: string;
  /** Per-namespace index, allocated in creation order from 1 (`lo`). */
  readonly ifindex: number;
  readonly mtu: number;
  readonly mac: Mac;
  /** Administrative state (`ip link set NAME up`, IFF_UP). Carrier is derived, see carrier.ts. */
  readonly up: boolean;
  /** Has been up once: the device then keeps its `noqueue` qdisc (never-up devices show `noop`). */
  readonly everUp?: boolean;
  /** The bridge this device is a port of (`ip link set NAME master BR`). */
  readonly master?: string;
  /** Bridge port flag `hairpin on`: frames may leave through the port they came in on. */
  readonly hairpin?: boolean;
  /** A device read from a real node's dump (`netsim import`): what `ip -j link` said that the model does not derive. */
  readonly dump?: LinkDump;
}

/**
 * What a node dump (`ip -j -d link`, `bridge -j fdb`) says about a device beyond the model's own
 * fields: the flags, qdisc and state as the kernel reported them (the peer of an imported veth
 * is in a namespace the dump does not hold, so carrier cannot be derived), and what `ip addr`
 * and `bridge fdb` print that netsim does not model, kept to be printed back as it was.
 */
export interface LinkDump {
  /** `<BROADCAST,MULTICAST,UP,LOWER_UP>` as a list. */
  readonly flags: readonly string[];
  readonly qdisc: string;
  readonly operstate: string;
  /** `qlen N` (txqlen); absent: not printed. */
  readonly qlen?: number;
  /** `link/ether`, `link/loopback`, `link/none`, … */
  readonly linkType: string;
  readonly address?: string;
  readonly broadcast?: string;
  /** What follows `@` in the device's name (`if7` for a peer elsewhere, `eth0` for a VLAN's parent). */
  readonly at?: string;
  /** `link-netnsid N`: the peer (or lower device) lives in another namespace. */
  readonly netnsid?: number;
  readonly altnames: readonly string[];
  /** The device's own `bridge fdb` entries netsim does not model (multicast lists), as printed. */
  readonly selfFdb: readonly string[];
  /** `ip -d link`'s kind when netsim models the device as another one (absent: as the kind says). */
  readonly realKind?: string;
}

/** `lo`, created with every namespace. */
export interface Loopback extends LinkCommon {
  readonly kind: 'loopback';
}

/** One end of `ip link add NAME type veth peer name PEER [netns NS]`. */
export interface Veth extends LinkCommon {
  readonly kind: 'veth';
  readonly peer: { readonly ns: string; readonly dev: string };
}

/** Where a bridge sends frames for a MAC (`bridge fdb`). */
export interface FdbEntry {
  readonly mac: Mac;
  /** The port (or the bridge itself for the bridge's own address). */
  readonly dev: string;
  /**
   * `local`: one of the bridge's or its ports' own addresses (printed `permanent`, frames to it
   * go up to the bridge device); `static`: added by `bridge fdb add … static`;
   * `learned`: seen as a source address on `dev`.
   */
  readonly kind: 'local' | 'static' | 'learned';
}

/** `ip link add NAME type bridge`. Its static and learned FDB entries are the namespace's ({@link FdbTable}). */
export interface Bridge extends LinkCommon {
  readonly kind: 'bridge';
  /** The address was set explicitly, so the bridge no longer follows its lowest port MAC. */
  readonly macPinned?: boolean;
  /**
   * `ip link set BRIDGE mtu N` was run (BROPT_MTU_SET_BY_USER), so the bridge no longer follows
   * its smallest port MTU. An MTU given at creation (`ip link add … mtu N type bridge`) does not count.
   */
  readonly mtuPinned?: boolean;
  /**
   * A port has joined at some time. With this or `macPinned`, br_port_state_selection — the only
   * place that sets a bridge's carrier — has run (a port joined, or br_stp_change_bridge_id ran
   * for an address given at creation or set later). Until then the bridge keeps the carrier a new
   * device starts with (`LOWER_UP`, state `UNKNOWN`); from then on carrier follows its ports.
   * All checked on Linux 6.18 (an MTU change does not count).
   */
  readonly hadPort?: boolean;
}

/** `ip link add NAME type dummy`: a device that discards what it transmits. */
export interface Dummy extends LinkCommon {
  readonly kind: 'dummy';
}

/** One `bridge fdb append MAC dev VXLAN dst IP` entry of a VXLAN device. */
export interface VxlanFdbEntry {
  readonly mac: Mac;
  readonly dst: Ip;
}

/** `ip link add NAME type vxlan id VNI [local IP] [dev DEV] dstport PORT [nolearning]`. */
export interface Vxlan extends LinkCommon {
  readonly kind: 'vxlan';
  readonly vni: number;
  readonly local?: Ip;
  readonly dev?: string;
  /** UDP port; the kernel default when 0 is given is 8472 (the Linux-specific port). */
  readonly dstport: number;
  readonly learning: boolean;
}

/** `ip link add NAME type ipip [local IP] [remote IP] [dev DEV] [ttl N|inherit]` (and `tunl0`). */
export interface Ipip extends LinkCommon {
  readonly kind: 'ipip';
  readonly local?: Ip;
  readonly remote?: Ip;
  readonly dev?: string;
  readonly ttl: number | 'inherit';
}

/**
 * The static, learned and remote FDB entries of a namespace's bridges (`bridge fdb … master`)
 * and VXLAN devices (`… self`), by device name; a device without entries is absent. They live
 * beside `ns.links` rather than in the device records, so that a trace's fork of a namespace
 * shares the devices with the built one and copies only the FDB that learning writes (overlay.ts).
 */
export interface FdbTable {
  readonly bridge: Map<string, FdbEntry[]>;
  readonly vxlan: Map<string, VxlanFdbEntry[]>;
}

/** Any device. */
export type Link = Loopback | Veth | Bridge | Dummy | Vxlan | Ipip;
