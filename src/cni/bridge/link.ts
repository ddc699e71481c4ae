/**
 * Link setup of the bridge plugin, in the order the reference plugin does it:
 * 1. `ensureBridge`: `ip link add cni0 type bridge [mtu N]` unless it exists (a node has no
 *    `cni0` until its first pod), `accept_ra=0`, `ip link set cni0 up`;
 * 2. `setupVeth`: inside the pod, `ip link add IFNAME [mtu N] [address MAC] type veth peer name
 *    vethXXXXXXXX netns HOST`, host end up with `accept_ra=0`, then the port settings (port.ts).
 * `promiscMode` is accepted but not modelled: the kernel model has no IFF_PROMISC.
 */
import { addBridge, addVeth, addVethEnd, getLink, setLinkUp } from '../../kernel/link/link.js';
import { inSandboxLater } from '../../kernel/deferred-sandbox.js';
import { setSysctl } from '../../kernel/sysctl.js';
import { getNetns } from '../../kernel/world.js';
import type { Netns } from '../../kernel/netns.js';
import { hostVethName } from '../naming.js';
import { kernel, ok, pluginError } from '../outcome.js';
import type { CniHost, CniOutcome, CniResult, RuntimeConf } from '../types.js';
import type { BridgeConf } from './config.js';
import { attachPort } from './port.js';
import { type VethPortSpec, addVethPort } from '../../kernel/link/veth-port.js';

/** One entry of the result's `interfaces`. */
export type ResultInterface = CniResult['interfaces'][number];

/** `ensureBridge` / `setupBridge`: the bridge, up, and its entry for the result (its MAC as created). */
export function ensureBridge(host: CniHost, conf: BridgeConf): CniOutcome<ResultInterface> {
  const ns = getNetns(host.world, host.hostNs);
  const existing = ns.links[conf.bridge];
  if (existing !== undefined && existing.kind !== 'bridge') return pluginError(`failed to create bridge "${conf.bridge}": "${conf.bridge}" already exists but is not a bridge`);
  // A node's second pod on: the bridge is up with accept_ra 0, so both verbs below change nothing
  // (setSysctl skips a value a key has, setLinkUp a device that is up); their names and closures
  // were a twentieth of a node's first read.
  if (existing !== undefined && bridgeInPlace(ns, conf)) return ok({ name: conf.bridge, mac: existing.mac });
  return ensureBridgeByVerbs(host, conf);
}

/** Whether {@link ensureBridge} would change nothing in `ns`: the bridge is there and up with accept_ra 0. */
export function bridgeInPlace(ns: Netns, conf: BridgeConf): boolean {
  const existing = ns.links[conf.bridge];
  return existing?.kind === 'bridge' && existing.up && !conf.bridge.includes('.') && ns.sysctl[acceptRaName(conf.bridge)] === '0';
}

/** {@link ensureBridge} verb by verb, the bridge not being something else (the straightforward path its fast path is checked against). */
export function ensureBridgeByVerbs(host: CniHost, conf: BridgeConf): CniOutcome<ResultInterface> {
  const ns = getNetns(host.world, host.hostNs);
  const existing = ns.links[conf.bridge];
  return kernel(`failed to create bridge "${conf.bridge}"`, () => {
    if (existing === undefined) addBridge(ns, conf.bridge, conf.mtu > 0 ? { mtu: conf.mtu } : {});
    // The plugin owns the bridge's routes; router advertisements must not add any.
    setSysctl(ns, acceptRaName(conf.bridge), '0');
    setLinkUp(host.world, host.hostNs, conf.bridge);
    return { name: conf.bridge, mac: getLink(ns, conf.bridge).mac };
  });
}

/** `net.ipv6.conf.BRIDGE.accept_ra`, made once per bridge name (every ADD asks). */
function acceptRaName(bridge: string): string {
  let name = acceptRaNames.get(bridge);
  if (name === undefined) acceptRaNames.set(bridge, (name = `net.ipv6.conf.${bridge}.accept_ra`));
  return name;
}

const acceptRaNames = new Map<string, string>();

/** The veth pair's two ends for the result: host end first, then the container end. */
export interface VethPair {
  readonly hostIface: ResultInterface;
  readonly contIface: ResultInterface;
}

/**
 * A free host-side name. The reference plugin retries up to 10 random names when one is taken;
 * netsim's names are derived (naming.ts), so the retries derive from the attempt number.
 */
function freeHostName(host: CniHost, rt: RuntimeConf): string | undefined {
  const ns = getNetns(host.world, host.hostNs);
  for (let attempt = 0; attempt < 10; attempt++) {
    const name = hostVethName(attempt === 0 ? rt.containerId : `${rt.containerId}#${attempt}`, rt.ifName);
    if (ns.links[name] === undefined) return name;
  }
  return undefined;
}

/**
 * `setupVeth`: the pair, the host end up and on the bridge; the container end stays down until
 * addressed. `oneVerb` (a node's batched ADDs, cni/bridge-batch.ts) makes the pair and the port
 * with kernel/link/veth-port.ts `addVethPort` where it can, the verbs one by one otherwise.
 */
export function setupVeth(host: CniHost, conf: BridgeConf, rt: RuntimeConf, oneVerb = false): CniOutcome<VethPair> {
  const pod = host.world.netns[rt.netns];
  if (pod === undefined) return pluginError(`failed to open netns "${sandboxPath(rt)}": failed to Statfs "${sandboxPath(rt)}": no such file or directory`);
  if (pod.links[rt.ifName] !== undefined) return pluginError(`container veth name provided (${rt.ifName}) already exists`);
  const peer = freeHostName(host, rt);
  if (peer === undefined) return pluginError('failed to find a unique veth name');
  const made = kernel('failed to make veth pair', () => {
    // One literal for every verb below (conditional spreads made this a pod's largest allocation).
    const end: VethPortSpec = { ns: rt.netns, name: rt.ifName, peer, peerNs: host.hostNs, mtu: conf.mtu > 0 ? conf.mtu : undefined, mac: conf.mac, master: conf.bridge, hairpin: conf.hairpinMode };
    // The port too, when no verb can fail (a dotted name would fail the sysctl below, after `up`).
    const port = oneVerb && !peer.includes('.') && addVethPort(host.world, end);
    if (!port) addVeth(host.world, end);
    // A sandbox filled when first read (kernel/deferred-sandbox.ts) gets its end again then.
    inSandboxLater(host.world, rt.netns, () => addVethEnd(host.world, end));
    if (!port) setLinkUp(host.world, host.hostNs, peer);
    setSysctl(getNetns(host.world, host.hostNs), `net.ipv6.conf.${peer}.accept_ra`, '0');
    return port;
  });
  if (!made.ok) return made;
  const attached = made.value ? made : attachPort(host, peer, conf);
  if (!attached.ok) return attached;
  const hostNs = getNetns(host.world, host.hostNs);
  return ok({
    hostIface: { name: peer, mac: getLink(hostNs, peer).mac },
    contIface: { name: rt.ifName, mac: getLink(pod, rt.ifName).mac, sandbox: sandboxPath(rt) },
  });
}

/** The runtime's `CNI_NETNS` for a model namespace: `/var/run/netns/NAME`, as `ip netns add` makes it. */
export function sandboxPath(rt: RuntimeConf): string {
  return rt.netns.startsWith('/') ? rt.netns : `/var/run/netns/${rt.netns}`;
}
