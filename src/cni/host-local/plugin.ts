/**
 * The host-local IPAM plugin (containernetworking/plugins `plugins/ipam/host-local`): hands out
 * one address per range set from node-local state and returns them with the configured routes.
 * It touches no kernel state — only its files in {@link CniHost.store}. ADD allocates (releasing
 * what it took if a later range set fails), DEL releases every address of the container's
 * interface, CHECK asks whether the container holds any address. `resolvConf` (DNS from a file)
 * is not modelled.
 */
import { formatCidr } from '../../addr/cidr.js';
import { type Ip, formatIp } from '../../addr/ip.js';
import { ok, pluginError } from '../outcome.js';
import type { CniHost, CniOutcome, CniPlugin, CniResult, NetConf, RuntimeConf } from '../types.js';
import { type Allocation, allocate } from './allocator.js';
import { type IpamConfig, loadIpamConfig, rangeContains } from './config.js';
import { type DiskStore, findById, openStore, releaseById } from './store.js';

function open(conf: NetConf, rt: RuntimeConf, host: CniHost): { ok: true; cfg: IpamConfig; store: DiskStore } | { ok: false; msg: string } {
  const cfg = loadIpamConfig(conf, rt);
  if (!cfg.ok) return cfg;
  return { ok: true, cfg: cfg.value, store: openStore(host.store, cfg.value.dataDir, cfg.value.name) };
}

/** `host-local` ADD: one address from each range set. */
function add(conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<CniResult> {
  const opened = open(conf, rt, host);
  if (!opened.ok) return pluginError(opened.msg);
  const got = allocateAll(opened.store, opened.cfg.ranges, opened.cfg.requested, rt);
  if (!got.ok) return pluginError(got.msg);
  const ips = got.value.map((a) => ({ address: formatCidr(a.address), gateway: formatIp(a.gateway) }));
  return ok({ cniVersion: conf.cniVersion, interfaces: [], ips, routes: opened.cfg.routes, dns: {} });
}

/**
 * What ADD reserves, one address from each range set (the requested one where a set holds it),
 * releasing what it took when one fails; the message is the plugin's. Shared with the batched
 * ADDs of a node's pods (cni/bridge-batch.ts), which take the addresses unformatted.
 */
export function allocateAll(store: DiskStore, ranges: IpamConfig['ranges'], requested: readonly Ip[], rt: RuntimeConf): { ok: true; value: Allocation[] } | { ok: false; msg: string } {
  // Index loops, no iterator or closures: a node's first read allocates for thirty pods.
  const pending = requested.slice();
  const out: Allocation[] = [];
  const owner = { id: rt.containerId, ifName: rt.ifName };
  for (let idx = 0; idx < ranges.length; idx++) {
    const set = ranges[idx] as IpamConfig['ranges'][number];
    // The first requested address this range set holds, taken from the pending ones.
    let wantAt = -1;
    for (let j = 0; wantAt < 0 && j < pending.length; j++) if (setHolds(set, pending[j] as Ip)) wantAt = j;
    const want = wantAt >= 0 ? pending.splice(wantAt, 1)[0] : undefined;
    const got = allocate(store, set, idx, owner, want);
    if (!got.ok) {
      releaseById(store, rt.containerId, rt.ifName);
      return { ok: false, msg: `failed to allocate for range ${idx}: ${got.msg}` };
    }
    out.push(got.value);
  }
  if (pending.length > 0) {
    releaseById(store, rt.containerId, rt.ifName);
    return { ok: false, msg: `failed to allocate all requested IPs: ${pending.map(formatIp).join(' ')}` };
  }
  return { ok: true, value: out };
}

/** Whether a range of the set holds `a`. */
function setHolds(set: IpamConfig['ranges'][number], a: Ip): boolean {
  for (let i = 0; i < set.length; i++) if (rangeContains(set[i] as IpamConfig['ranges'][number][number], a)) return true;
  return false;
}

/** `host-local` DEL: releases the container's addresses in every range set. */
function del(conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<void> {
  const opened = open(conf, rt, host);
  if (!opened.ok) return pluginError(opened.msg);
  // The plugin releases once per range set; the files of all sets live in one directory, so the
  // first release already removes every address of the interface.
  releaseById(opened.store, rt.containerId, rt.ifName);
  return ok(undefined);
}

/** `host-local` CHECK: the container must still hold an address. */
function check(conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<void> {
  const opened = open(conf, rt, host);
  if (!opened.ok) return pluginError(opened.msg);
  if (!findById(opened.store, rt.containerId, rt.ifName)) return pluginError(`host-local: Failed to find address added by container ${rt.containerId}`);
  return ok(undefined);
}

/** The host-local IPAM plugin. */
export const hostLocalPlugin = { type: 'host-local', add, del, check } satisfies CniPlugin;
