/**
 * The bridge plugin's ADD with host-local IPAM, for many pods of one node in a row (a node's
 * first read, cluster/assemble/lazy-pods.ts): the same verbs in the same order as the plugins'
 * ADDs (bridge/plugin.ts `addLoaded`, `layer3WithIps`; host-local/plugin.ts `allocateAll` are
 * the ADDs' own code), without what a node's ADDs repeat around them: loading the bridge and
 * IPAM configs, the IPAM delegation through the registry, and host-local's result written as
 * text and parsed back by the bridge plugin; the veth pair and its bridge port are one kernel verb
 * (kernel/link/veth-port.ts `addVethPort`). Offered only when every ADD of the node would load
 * the same config and reach the same two plugins (see {@link bridgeAdds}); the caller falls back
 * to ADD by ADD otherwise. bridge-batch.property.test.ts compares the two on random clusters.
 */
import { parseCidr } from '../addr/cidr.js';
import { type Ip, parseIp } from '../addr/ip.js';
import type { IpConfig, RouteConfig } from './bridge/address.js';
import { loadBridgeConf } from './bridge/config.js';
import { addLoaded, bridgePlugin, ipamConf, layer3WithIps } from './bridge/plugin.js';
import { loadIpamConfig } from './host-local/config.js';
import { allocateAll, hostLocalPlugin } from './host-local/plugin.js';
import { openStore } from './host-local/store.js';
import { ok, pluginError } from './outcome.js';
import type { CniRegistry } from './registry.js';
import type { CniHost, CniOutcome, CniResult, NetConf, RuntimeConf } from './types.js';

/**
 * One pod's ADD in the batch: its runtime config (no `IP=`, no `MAC=` in `CNI_ARGS`) and the
 * addresses it asks host-local for; the result, and its IPs' addresses (what kubelet parses from it).
 */
export type BridgeAdd = (rt: RuntimeConf, requested: readonly Ip[]) => CniOutcome<{ readonly result: CniResult; readonly ips: readonly Ip[] }>;

/** Whether `bridgeAdds` is offered (tests turn it off to compare with ADD by ADD). */
let enabled = true;

/** Turns the batch on or off (for tests, as neigh-memo.ts `setNeighMemo`); returns the previous setting. */
export function setBridgeBatch(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/**
 * The ADD of `raw` for the pods of `host`'s node, or undefined when the batch cannot show it
 * equal to the plugins' ADD: `raw` is a bridge config whose `ipam` is host-local, `registry`
 * runs the builtin plugins for both types, the config carries no `args` or `runtimeConfig` (so
 * every ADD loads the same bridge config, with no MAC and no addresses of its own), and both
 * configs load. The pods' requests go in `requested`, as the ADD reads `IP=` or `args.cni.ips`.
 */
export function bridgeAdds(raw: NetConf, host: CniHost, registry: CniRegistry): BridgeAdd | undefined {
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
  // host-local's result routes, as the bridge plugin parses them (every ADD returns the same).
  const routes: RouteConfig[] = [];
  for (const r of cfg.value.routes) {
    const dst = parseCidr(r.dst);
    const gw = r.gw === undefined ? undefined : parseIp(r.gw);
    if (dst === undefined || (r.gw !== undefined && gw === undefined)) return undefined;
    routes.push(gw === undefined ? { dst } : { dst, gw });
  }
  const { ranges, dataDir, name } = cfg.value;
  return (rt, requested) => {
    let ips: IpConfig[] = [];
    const added = addLoaded(conf, rt, host, (bridgeMac) => {
      // host-local ADD: `disk.New` (the lock file), then one address per range set.
      const got = allocateAll(openStore(host.store, dataDir, name), ranges, requested, rt);
      if (!got.ok) return pluginError(got.msg);
      ips = got.value.map((a) => ({ address: a.address, gateway: a.gateway }));
      const done = layer3WithIps(conf, rt, host, ips, routes, bridgeMac);
      // What addLayer3 does when the rest fails: host-local DEL.
      if (!done.ok) hostLocalPlugin.del(ipamRaw, rt, host);
      return done;
    }, true);
    return added.ok ? ok({ result: added.value, ips: ips.map((ipc) => ipc.address.addr) }) : added;
  };
}
