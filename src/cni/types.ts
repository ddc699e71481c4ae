/**
 * The CNI plugin interface, shaped like the CNI specification (v1.1): a runtime calls ADD, DEL
 * or CHECK with a network configuration and runtime arguments, and gets a result with
 * interfaces, IPs, routes and DNS, or an error with a CNI error code.
 *
 * netsim plugins are plain objects (checked with `satisfies CniPlugin`) listed in
 * `builtins.ts` and put in a registry at the composition root. They change the kernel model only
 * through the kernel's verbs (`addVeth`, `addAddress`, `addRoute`, `appendRule`, …): they write
 * data, and the kernel model alone moves packets.
 */
import type { World } from '../kernel/world.js';
import type { SimContext } from '../sim/context.js';

/** JSON values, as network configurations and results are JSON documents. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** One plugin's network configuration (an element of a conflist's `plugins`, with `name` and `cniVersion` filled in). */
export interface NetConf {
  readonly cniVersion: string;
  readonly name: string;
  readonly type: string;
  readonly [key: string]: JsonValue;
}

/** The runtime's arguments: `CNI_CONTAINERID`, `CNI_NETNS`, `CNI_IFNAME`, `CNI_ARGS`. */
export interface RuntimeConf {
  readonly containerId: string;
  /** The namespace name in the kernel model (the runtime's `CNI_NETNS`). */
  readonly netns: string;
  readonly ifName: string;
  /** `CNI_ARGS`, e.g. `K8S_POD_NAMESPACE`, `K8S_POD_NAME`. */
  readonly args: Readonly<Record<string, string>>;
}

/** The result of ADD (spec section "Success"). */
export interface CniResult {
  readonly cniVersion: string;
  readonly interfaces: readonly { readonly name: string; readonly mac?: string; readonly mtu?: number; readonly sandbox?: string }[];
  readonly ips: readonly { readonly address: string; readonly gateway?: string; readonly interface?: number }[];
  readonly routes: readonly { readonly dst: string; readonly gw?: string }[];
  readonly dns: { readonly nameservers?: readonly string[]; readonly domain?: string; readonly search?: readonly string[] };
}

/** CNI error codes (spec section "Error"). */
export const CNI_ERROR = {
  INCOMPATIBLE_VERSION: 1,
  UNSUPPORTED_FIELD: 2,
  UNKNOWN_CONTAINER: 3,
  INVALID_ENV: 4,
  IO_FAILURE: 5,
  DECODE_FAILURE: 6,
  INVALID_CONFIG: 7,
  TRY_AGAIN_LATER: 11,
  /** What libcni's `skel` reports for a plugin's own error (a Go error that is not a CNI error). */
  INTERNAL: 999,
} as const;

/** A CNI error result. */
export interface CniError {
  readonly code: number;
  readonly msg: string;
  readonly details?: string;
}

/** API objects by resource (`ipamblocks.crd.projectcalico.org`) then object name, as JSON. */
export type ClusterApi = Map<string, Map<string, JsonValue>>;

/** What a plugin call returns. */
export type CniOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CniError };

/**
 * What a plugin may touch on the node: the kernel model, the node's namespace name, its own
 * on-disk state (what real plugins keep under /var/lib/cni), and the registry for delegating
 * to an IPAM plugin (like libcni's `invoke.DelegateAdd`).
 */
export interface CniHost {
  readonly world: World;
  /**
   * The cluster's API objects that plugins read and write through the Kubernetes API, as
   * JSON by resource then name: what calico-ipam keeps in its CRDs (`ipamblocks`,
   * `blockaffinities`, `ipamhandles`, all `crd.projectcalico.org/v1`). One map for the whole
   * cluster, shared by every node's host.
   */
  readonly api: ClusterApi;
  /** The namespace the plugin runs in (the node's root namespace). */
  readonly hostNs: string;
  /** Persistent plugin state on this node, keyed by path-like strings (`/var/lib/cni/networks/NAME/last_reserved_ip.0`). */
  readonly store: Record<string, string>;
  readonly ctx: SimContext;
  delegateAdd(conf: NetConf, rt: RuntimeConf): CniOutcome<CniResult>;
  delegateDel(conf: NetConf, rt: RuntimeConf): CniOutcome<void>;
  /** libcni's `invoke.DelegateCheck` (the bridge plugin's CHECK asks its IPAM plugin first); optional, skipped when absent. */
  delegateCheck?(conf: NetConf, rt: RuntimeConf, prevResult: CniResult): CniOutcome<void>;
}

/** A CNI plugin: ADD, DEL and CHECK, as the spec defines them. */
export interface CniPlugin {
  readonly type: string;
  add(conf: NetConf, rt: RuntimeConf, host: CniHost, prevResult?: CniResult): CniOutcome<CniResult>;
  del(conf: NetConf, rt: RuntimeConf, host: CniHost, prevResult?: CniResult): CniOutcome<void>;
  check(conf: NetConf, rt: RuntimeConf, host: CniHost, prevResult: CniResult): CniOutcome<void>;
}
