/**
 * The bridge plugin (containernetworking/plugins `plugins/main/bridge`), as v1.1 behaves.
 *
 * ADD, in the reference plugin's order: bridge (link.ts) → veth pair and port (link.ts,
 * port.ts) → IPAM through the host's delegate (its result's IPs and routes) → gateways
 * (address.ts) → pod addresses and routes → gateway address on the bridge and forwarding →
 * masquerade chain (ipmasq.ts). A failure after IPAM releases the IPAM allocation; like the
 * reference plugin, it does not remove the veth it made. Without an `ipam` section the pod end is
 * only set up (pure L2).
 *
 * DEL: delete the container interface (the kernel takes the host end with it) remembering its
 * global addresses, release IPAM, tear down the masquerade chain for those addresses. A missing
 * namespace or interface is not an error (DEL is idempotent); when the interface is already gone
 * its chain is left behind, as the reference plugin leaves it.
 */
import { type Mac, parseMac } from '../../addr/mac.js';
import { setFilledLinkUp, setLinkUp, setShellLinkUp } from '../../kernel/link/link.js';
import { delLink } from '../../kernel/link/port.js';
import { devAddrs } from '../../kernel/addr.js';
import { getNetns } from '../../kernel/world.js';
import { inSandboxLater } from '../../kernel/deferred-sandbox.js';
import { formatChainName, formatComment } from '../naming.js';
import { forward, kernel, ok, pluginError } from '../outcome.js';
import type { CniHost, CniOutcome, CniPlugin, CniResult, NetConf, RuntimeConf } from '../types.js';
import { type Gateways, type IpConfig, type RouteConfig, calcGateways, configureIface, ensureGatewayAddrs, filled } from './address.js';
import { checkBridge } from './check.js';
import { type BridgeConf, loadBridgeConf } from './config.js';
import { setupIpMasq, teardownIpMasq } from './ipmasq.js';
import { ensureBridge, setupVeth } from './link.js';
import { bridgeResult, parseResult, resultDns } from './result.js';

/** IPAM configs by bridge config (one object per config, so the IPAM plugin's parse of it is kept too). */
const ipamConfs = new WeakMap<NetConf, NetConf>();

/** The config as the IPAM plugin is handed it: the same document, run as `ipam.type`. */
export function ipamConf(raw: NetConf, conf: BridgeConf): NetConf {
  let out = ipamConfs.get(raw);
  if (out === undefined || out.type !== conf.ipamType) ipamConfs.set(raw, (out = { ...raw, type: conf.ipamType }));
  return out;
}

/** IPAM, gateways, pod addressing, bridge gateway and masquerade: the layer-3 part of ADD. */
function addLayer3(raw: NetConf, conf: BridgeConf, rt: RuntimeConf, host: CniHost, bridgeMac: Mac | undefined): CniOutcome<Gateways> {
  const ipam = host.delegateAdd(ipamConf(raw, conf), rt);
  if (!ipam.ok) return forward(ipam);
  const done = layer3AfterIpam(conf, rt, host, ipam.value, bridgeMac);
  if (!done.ok) host.delegateDel(ipamConf(raw, conf), rt);
  return done;
}

function layer3AfterIpam(conf: BridgeConf, rt: RuntimeConf, host: CniHost, ipam: CniResult, bridgeMac: Mac | undefined): CniOutcome<Gateways> {
  const parsed = parseResult(ipam);
  if (!parsed.ok) return pluginError(parsed.msg);
  return layer3WithIps(conf, rt, host, parsed.ips, parsed.routes, bridgeMac);
}

/**
 * The layer-3 part of ADD after IPAM, from its result's IPs and routes as parsed: gateways, pod
 * addressing, the bridge's gateway address and forwarding, masquerade. Shared with the batched
 * ADDs of a node's pods (cni/bridge-batch.ts), which hand over host-local's addresses unformatted.
 */
export function layer3WithIps(conf: BridgeConf, rt: RuntimeConf, host: CniHost, ips: readonly IpConfig[], ipamRoutes: readonly RouteConfig[], bridgeMac: Mac | undefined): CniOutcome<Gateways> {
  if (ips.length === 0) return pluginError('IPAM plugin returned missing IP config');
  const gws = calcGateways(conf, ips, ipamRoutes);
  const configured = configureIface(host, conf, rt, gws);
  if (!configured.ok) return configured;
  // The reference plugin now waits for the host veth to be oper-UP; in the model it already is.
  if (conf.isGateway) {
    const gw = ensureGatewayAddrs(host, conf, gws, bridgeMac);
    if (!gw.ok) return gw;
  }
  if (conf.ipMasq) {
    const target = { chain: formatChainName(conf.name, rt.containerId), comment: formatComment(conf.name, rt.containerId) };
    for (const ipc of gws.ips) setupIpMasq(host, ipc.address, target);
  }
  return ok(gws);
}

/** bridge ADD. */
function add(raw: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<CniResult> {
  const loaded = loadBridgeConf(raw, rt);
  if (!loaded.ok) return loaded;
  const conf = loaded.value;
  if (conf.hairpinMode && conf.promiscMode) return pluginError('cannot set hairpin mode and promiscuous mode at the same time.');
  return addLoaded(conf, rt, host, conf.ipamType === '' ? undefined : (bridgeMac) => addLayer3(raw, conf, rt, host, bridgeMac));
}

/**
 * ADD after the config is loaded and checked: bridge, veth and port, then `layer3` (IPAM and what
 * follows it, given the bridge's MAC) when the config has an `ipam` section. Shared with the
 * batched ADDs of a node's pods (cni/bridge-batch.ts), which make the veth pair and its port as
 * one kernel verb (`oneVerb`, link.ts setupVeth).
 */
export function addLoaded(conf: BridgeConf, rt: RuntimeConf, host: CniHost, layer3: ((bridgeMac: Mac | undefined) => CniOutcome<Gateways>) | undefined, oneVerb = false): CniOutcome<CniResult> {
  const br = ensureBridge(host, conf);
  if (!br.ok) return br;
  const veth = setupVeth(host, conf, rt, oneVerb);
  if (!veth.ok) return veth;
  let gws: Gateways | undefined;
  if (layer3 !== undefined) {
    const l3 = layer3(parseMac(br.value.mac ?? ''));
    if (!l3.ok) return forward(l3);
    gws = l3.value;
  } else {
    // A sandbox filled when first read comes up in its shell now and again when filled (address.ts configureIface).
    const later = inSandboxLater(host.world, rt.netns, () => filled(rt, kernel(`failed to set "${rt.ifName}" up`, () => setFilledLinkUp(host.world, rt.netns, rt.ifName))));
    const up = kernel(`failed to set "${rt.ifName}" up`, () => (later ? setShellLinkUp : setLinkUp)(host.world, rt.netns, rt.ifName));
    if (!up.ok) return up;
  }
  // The bridge's entry carries its MAC as it is now (re-read at the end of cmdAdd).
  const bridgeNow = { name: conf.bridge, mac: getNetns(host.world, host.hostNs).links[conf.bridge]?.mac ?? '' };
  return ok(bridgeResult(conf.cniVersion, [bridgeNow, veth.value.hostIface, veth.value.contIface], gws, resultDns(conf.dns)));
}

/** bridge DEL. */
function del(raw: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<void> {
  const loaded = loadBridgeConf(raw, rt);
  if (!loaded.ok) return forward(loaded);
  const conf = loaded.value;
  const ipamDel = (): CniOutcome<void> => (conf.ipamType !== '' ? host.delegateDel(ipamConf(raw, conf), rt) : ok(undefined));
  const pod = rt.netns === '' ? undefined : host.world.netns[rt.netns];
  if (pod === undefined) return ipamDel();
  // ip.DelLinkByNameAddr: the interface's global unicast addresses, then the link.
  const addrs = pod.links[rt.ifName] === undefined ? [] : devAddrs(pod, rt.ifName).filter((a) => a.scope === 'global').map((a) => a.cidr);
  if (pod.links[rt.ifName] !== undefined) {
    const gone = kernel(`failed to delete "${rt.ifName}"`, () => delLink(host.world, rt.netns, rt.ifName));
    if (!gone.ok) return gone;
  }
  const released = ipamDel();
  if (!released.ok) return released;
  if (conf.ipamType !== '' && conf.ipMasq) {
    const target = { chain: formatChainName(conf.name, rt.containerId), comment: formatComment(conf.name, rt.containerId) };
    for (const a of addrs) teardownIpMasq(host, a, target);
  }
  return ok(undefined);
}

/** bridge CHECK. */
function check(raw: NetConf, rt: RuntimeConf, host: CniHost, prevResult: CniResult): CniOutcome<void> {
  const loaded = loadBridgeConf(raw, rt);
  if (!loaded.ok) return forward(loaded);
  return checkBridge(loaded.value, raw, rt, host, prevResult);
}

/** The bridge plugin. */
export const bridgePlugin = { type: 'bridge', add, del, check } satisfies CniPlugin;
