/**
 * Builders for CNI tests: a node namespace with pod namespaces, a host wired to the built-in
 * plugins, runtime arguments, the golden capture's config (test/golden/cni/netconf.json), and
 * the normalisations that make a real capture and a netsim render comparable.
 */
import { readFileSync } from 'node:fs';
import { BUILTIN_CNI_PLUGINS } from '../../src/cni/builtins.js';
import { cniHost, createCniRegistry, type CniRegistry } from '../../src/cni/registry.js';
import type { CniHost, JsonValue, NetConf, RuntimeConf } from '../../src/cni/types.js';
import { setLinkUp } from '../../src/kernel/link/link.js';
import { type World, addNetns, createWorld } from '../../src/kernel/world.js';

/** A node and its pods: namespaces with `lo` up, the built-in plugins, an empty store. */
export interface CniNode {
  readonly world: World;
  readonly host: CniHost;
  readonly registry: CniRegistry;
}

/** A world with the node namespace `hostNs` and the pod namespaces, and a host running on the node. */
export function cniNode(hostNs: string, pods: readonly string[]): CniNode {
  const world = createWorld();
  for (const n of [hostNs, ...pods]) {
    addNetns(world, n);
    setLinkUp(world, n, 'lo');
  }
  const registry = createCniRegistry(BUILTIN_CNI_PLUGINS);
  return { world, registry, host: cniHost({ world, hostNs, registry }) };
}

/** `CNI_CONTAINERID`, `CNI_NETNS`, `CNI_IFNAME` (eth0 unless given). */
export function runtime(containerId: string, netns: string, ifName = 'eth0'): RuntimeConf {
  return { containerId, netns, ifName, args: {} };
}

/** A file of the golden folder. */
export function cniGolden(name: string): string {
  return readFileSync(new URL(`../golden/cni/${name}`, import.meta.url), 'utf8');
}

/** The data directory the netsim side of the golden test uses for `@DATADIR@`. */
export const GOLDEN_DATA_DIR = '/tmp/nsF-cni';

/** The golden network configuration, with its data directory filled in. */
export function goldenNetConf(dataDir = GOLDEN_DATA_DIR): NetConf {
  return JSON.parse(cniGolden('netconf.json').replaceAll('@DATADIR@', dataDir)) as NetConf;
}

/** A container ID of the golden capture (`…abcd01` for pod 1). */
export function goldenCid(n: number): string {
  return `0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd${String(n).padStart(2, '0')}`;
}

/**
 * Makes a real capture and a netsim render comparable: MACs (kernel-random on Linux) and host
 * veth names (random in the real plugin, hashed in netsim) become `<macN>` / `<vethN>` numbered
 * by first appearance — so equal MACs stay equal and different ones different — and IPv6
 * link-local addresses, derived from the MAC, become `fe80::<ll>`. On veth lines ` qlen 1000`
 * is dropped: the real plugin creates veths with txqueuelen 0 (ip prints no qlen), while the
 * kernel model has no txqueuelen and prints the default.
 */
export function normalise(text: string): string {
  const macs = new Map<string, string>();
  const veths = new Map<string, string>();
  return text
    .replace(/\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, (m) => {
      if (m === '00:00:00:00:00:00' || m === 'ff:ff:ff:ff:ff:ff') return m;
      if (!macs.has(m)) macs.set(m, `<mac${macs.size + 1}>`);
      return macs.get(m) ?? m;
    })
    .replace(/\bveth[0-9a-f]{8}\b/g, (v) => {
      if (!veths.has(v)) veths.set(v, `<veth${veths.size + 1}>`);
      return veths.get(v) ?? v;
    })
    .replace(/fe80::[0-9a-f:]+\/64/g, 'fe80::<ll>/64')
    .split('\n')
    .map((l) => (/@if\d+:/.test(l) ? l.replace(/qlen 1000$/, '') : l))
    .join('\n');
}

/** A JSON document, normalised like {@link normalise} and parsed back. */
export function normaliseJson(value: JsonValue | object): unknown {
  return JSON.parse(normalise(JSON.stringify(value)));
}
