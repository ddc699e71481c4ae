/**
 * The bridge plugin's ADD with host-local IPAM, for many pods of one node in a row (a node's
 * first read, cluster/assemble/lazy-pods.ts): the same verbs in the same order as the plugins'
 * ADDs (bridge/plugin.ts `addLoaded`, `layer3WithIps`; host-local/plugin.ts `allocateAll` are
 * the ADDs' own code), without what a node's ADDs repeat around them: loading the bridge and
 * IPAM configs, the IPAM delegation through the registry, and host-local's result written as
 * text and parsed back by the bridge plugin; the veth pair and its bridge port are one kernel verb
 * (kernel/link/veth-port.ts `addVethPort`). Offered only when every ADD of the node would load
 * the same config and reach the same two plugins (see {@link loadBatch}); the caller falls back
 * to ADD by ADD otherwise. cni/bridge-node-batch.ts runs a node's pods through it, the host side
 * of most of them as one kernel verb. bridge-batch.property.test.ts compares the batch with the
 * ADDs one by one on random clusters.
 */
import { parseCidr } from '../addr/cidr.js';
import { type Ip, parseIp } from '../addr/ip.js';
import type { IpConfig, RouteConfig } from './bridge/address.js';
import { type BridgeConf, loadBridgeConf } from './bridge/config.js';
import { addLoaded, bridgePlugin, ipamConf, layer3WithIps } from './bridge/plugin.js';
import { type IpamConfig, loadIpamConfig } from './host-local/config.js';
import { allocateAll, hostLocalPlugin } from './host-local/plugin.js';
import { type V4RangeSet, allocateRequestedV4, v4RangeSet } from './host-local/requested-v4.js';
import { openStore } from './host-local/store.js';
import { ok, pluginError } from './outcome.js';
import type { CniRegistry } from './registry.js';
import type { CniHost, CniOutcome, CniResult, NetConf, RuntimeConf } from './types.js';

/**
 * One pod's ADD in the batch: its runtime config (no `IP=`, no `MAC=` in `CNI_ARGS`) and the
 * addresses it asks host-local for; the result, and its IPs' addresses (what kubelet parses from it).
 */
export type BridgeAdd = (rt: RuntimeConf, requested: readonly Ip[]) => CniOutcome<{ readonly result: CniResult; readonly ips: readonly Ip[] }>;

/** Whether the batch is offered (tests turn it off to compare with ADD by ADD). */
let enabled = true;

/** Turns the batch on or off (for tests, as neigh-memo.ts `setNeighMemo`); returns the previous setting. */
export function setBridgeBatch(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** What a node's ADDs share, loaded once. */
export interface LoadedBatch {
  readonly host: CniHost;
  readonly conf: BridgeConf;
  readonly ipamRaw: NetConf;
  readonly ranges: IpamConfig['ranges'];
  readonly dataDir: string;
  readonly name: string;
  /** host-local's result routes, as the bridge plugin parses them (every ADD returns the same). */
  readonly routes: readonly RouteConfig[];
  /** `ranges` as numbers, where they are one IPv4 range set (host-local/requested-v4.ts). */
  readonly v4: V4RangeSet | undefined;
}

/**
 * The configs of a node's ADDs, or undefined when the batch cannot show its ADDs equal to the
 * plugins': `raw` is a bridge config whose `ipam` is host-local, `registry` runs the builtin
 * plugins for both types, the config carries no `args` or `runtimeConfig` (so every ADD loads the
 * same bridge config, with no MAC and no addresses of its own), and both configs load. The pods'
 * requests go to host-local as values, as the ADD reads `IP=` or `args.cni.ips`.
 */
export function loadBatch(raw: NetConf, host: CniHost, registry: CniRegistry): LoadedBatch | undefined {
  if (!enabled || raw.type !== 'bridge' || raw.args !== undefined || raw.runtimeConfig !== undefined) return undefined;
  if (registry.get('bridge') !== bridgePlugin || registry.get('host-local') !== hostLocalPlugin) return undefined;
  const none: RuntimeConf = { containerId: '', netns: '', ifName: '', args: {} };
  const loaded = loadBridgeConf(raw, none);
  if (!loaded.ok) return undefined;
  const conf = loaded.value;
  if (conf.mac !== undefined || (conf.hairpinMode && conf.promiscMode) || conf.ipamType !== 'host-local') return undefined;
  const ipamRaw = ipamConf(raw, conf);
  const cfg = loadIpamConfig(ipamRaw, none);
  if (!cfg.ok) return undefined;
  const routes: RouteConfig[] = [];
  for (const r of cfg.value.routes) {
    const dst = parseCidr(r.dst);
    const gw = r.gw === undefined ? undefined : parseIp(r.gw);
    if (dst === undefined || (r.gw !== undefined && gw === undefined)) return undefined;
    routes.push(gw === undefined ? { dst } : { dst, gw });
  }
  const { ranges, dataDir, name } = cfg.value;
  return { host, conf, ipamRaw, ranges, dataDir, name, routes, v4: v4RangeSet(ranges) };
}

/**
 * host-local ADD for one pod (`disk.New`, the lock file, then one address per range set): its IPs
 * for the bridge plugin, or its message. A pod's one IPv4 address goes through
 * host-local/requested-v4.ts where that is sure to give what the plugin gives.
 */
export function allocateFor(b: LoadedBatch, rt: RuntimeConf, requested: readonly Ip[]): IpamOutcome {
  const v4 = b.v4 === undefined ? undefined : allocateRequestedV4(b.host.store, b, b.v4, requested, rt);
  if (v4 !== undefined) return { ok: true, value: v4 };
  const got = allocateAll(openStore(b.host.store, b.dataDir, b.name), b.ranges, requested, rt);
  if (!got.ok) return got;
  const ips: IpConfig[] = [];
  for (const a of got.value) ips.push({ address: a.address, gateway: a.gateway });
  return { ok: true, value: ips };
}

/** host-local's outcome for one pod: its IPs, or the plugin's message. */
export type IpamOutcome = { ok: true; value: IpConfig[] } | { ok: false; msg: string };

/**
 * The bridge plugin's ADD, host-local's ADD being `ipam`, called where the plugin asks its
 * delegate (after the bridge and the veth). cni/bridge-node-batch.ts hands in an outcome it
 * got before: host-local touches nothing but its store, and the bridge plugin nothing of that,
 * so running it earlier leaves what the ADD leaves when the bridge and the veth cannot fail
 * (which the node batch has checked).
 */
export function addWithIpam(b: LoadedBatch, rt: RuntimeConf, ipam: () => IpamOutcome): ReturnType<BridgeAdd> {
  const { conf, host } = b;
  let ips: readonly IpConfig[] = [];
  const added = addLoaded(conf, rt, host, (bridgeMac) => {
    const got = ipam();
    if (!got.ok) return pluginError(got.msg);
    ips = got.value;
    const done = layer3WithIps(conf, rt, host, ips, b.routes, bridgeMac);
    // What addLayer3 does when the rest fails: host-local DEL.
    if (!done.ok) hostLocalPlugin.del(b.ipamRaw, rt, host);
    return done;
  }, true);
  return added.ok ? ok({ result: added.value, ips: ips.map((ipc) => ipc.address.addr) }) : added;
}
