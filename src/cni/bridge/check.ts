/**
 * The bridge plugin's CHECK, as the reference plugin (v1.1) does it: the IPAM plugin's CHECK
 * first, then the bridge, the container interface and the host veth named in `prevResult` must
 * exist with the recorded MACs and be wired together (veth peers, bridge master), the container
 * must hold every IP of the result, and every route of the result must be in the pod's main
 * table *with the same gateway* — a route the result lists without `gw` is installed via the
 * IP's gateway, so CHECK fails on it ("Expected Route … not found"), as the real plugin does.
 * Not checked: promiscuous mode (not modelled).
 */
import { canonicalCidr, formatCidr } from '../../addr/cidr.js';
import { ipEquals } from '../../addr/ip.js';
import { devAddrs } from '../../kernel/addr.js';
import type { Link } from '../../kernel/link/types.js';
import type { Netns } from '../../kernel/netns.js';
import { tableRoutes } from '../../kernel/route/table.js';
import { type Route, TABLE_MAIN } from '../../kernel/route/types.js';
import { getNetns } from '../../kernel/world.js';
import { forward, ok, pluginError } from '../outcome.js';
import type { CniHost, CniOutcome, CniResult, NetConf, RuntimeConf } from '../types.js';
import { type RouteConfig, goRoute } from './address.js';
import type { BridgeConf } from './config.js';
import { type ResultInterface, sandboxPath } from './link.js';
import { parseResult } from './result.js';

function findLink(ns: Netns, intf: ResultInterface | undefined, inSandbox: boolean): { link: Link } | { msg: string } {
  if (intf === undefined || intf.name === '') return { msg: 'Interface name missing ' };
  const link = ns.links[intf.name];
  if (link === undefined) return { msg: `Interface name ${intf.name} not found` };
  const sandbox = intf.sandbox ?? '';
  if (inSandbox && sandbox === '') return { msg: `Interface ${intf.name} is expected to be in a sandbox` };
  if (!inSandbox && sandbox !== '') return { msg: `Interface ${intf.name} should not be in sandbox` };
  return { link };
}

/** The wiring checks: bridge, container end, host end. */
function checkLinks(host: CniHost, conf: BridgeConf, rt: RuntimeConf, prev: CniResult): CniOutcome<void> {
  const node = getNetns(host.world, host.hostNs);
  const pod = getNetns(host.world, rt.netns);
  const brMap = prev.interfaces.find((i) => i.name === conf.bridge);
  const contMap = prev.interfaces.find((i) => i.name === rt.ifName && i.sandbox === sandboxPath(rt));
  const br = findLink(node, brMap, false);
  if ('msg' in br) return pluginError(br.msg);
  if (br.link.kind !== 'bridge') return pluginError(`Interface ${br.link.name} does not have link type of bridge`);
  if (brMap?.mac !== undefined && brMap.mac !== '' && brMap.mac !== br.link.mac) return pluginError(`Bridge interface ${br.link.name} Mac doesn't match: ${brMap.mac}`);
  if (contMap?.sandbox !== sandboxPath(rt)) return pluginError(`Sandbox in prevResult ${contMap?.sandbox ?? ''} doesn't match configured netns: ${sandboxPath(rt)}`);
  const cont = findLink(pod, contMap, true);
  if ('msg' in cont) return pluginError(cont.msg);
  if (cont.link.kind !== 'veth') return pluginError(`Error: Container interface ${cont.link.name} not of type veth`);
  if (contMap.mac !== undefined && contMap.mac !== '' && contMap.mac !== cont.link.mac) return pluginError(`Interface ${cont.link.name} Mac ${contMap.mac} doesn't match container Mac: ${cont.link.mac}`);
  const peer = cont.link.peer;
  const vethMap = prev.interfaces.find((i) => i !== brMap && i !== contMap && i.name === peer.dev && peer.ns === host.hostNs);
  const veth = vethMap === undefined ? undefined : node.links[vethMap.name];
  if (vethMap?.mac !== undefined && vethMap.mac !== '' && veth !== undefined && veth.mac !== vethMap.mac) return pluginError(`Interface ${veth.name} Mac doesn't match: ${vethMap.mac} not found`);
  if (veth?.kind !== 'veth' || veth.master !== conf.bridge) return pluginError(`CNI veth created for bridge ${conf.bridge} was not found`);
  return ok(undefined);
}

/** `ip.ValidateExpectedInterfaceIPs` and `ip.ValidateExpectedRoute` in the pod. */
function checkAddressing(host: CniHost, rt: RuntimeConf, prev: CniResult): CniOutcome<void> {
  const pod = getNetns(host.world, rt.netns);
  const parsed = parseResult(prev);
  if (!parsed.ok) return pluginError(parsed.msg);
  for (const ipc of parsed.ips) {
    const has = devAddrs(pod, rt.ifName).some((a) => ipEquals(a.cidr.addr, ipc.address.addr) && a.cidr.prefix === ipc.address.prefix);
    if (!has) return pluginError(`Failed to match addr ${formatCidr(ipc.address)} on interface ${rt.ifName}`);
  }
  for (const r of parsed.routes) {
    const routes = tableRoutes(pod, TABLE_MAIN, r.dst.addr.family);
    // A default route is looked up by destination only; any other by destination and gateway.
    const found = routes.some((x) => (r.dst.prefix === 0 ? x.dst.prefix === 0 : sameRoute(x, r)));
    if (!found) return pluginError(`Expected Route ${goRoute(r)} not found in routing table`);
  }
  return ok(undefined);
}

/** Same destination prefix and same gateway (both absent counts as the same). */
function sameRoute(x: Route, r: RouteConfig): boolean {
  const sameGw = x.via === undefined || r.gw === undefined ? x.via === r.gw : ipEquals(x.via, r.gw);
  return formatCidr(canonicalCidr(x.dst)) === formatCidr(canonicalCidr(r.dst)) && sameGw;
}

/** CHECK of the bridge plugin. */
export function checkBridge(conf: BridgeConf, raw: NetConf, rt: RuntimeConf, host: CniHost, prev: CniResult): CniOutcome<void> {
  if (host.world.netns[rt.netns] === undefined) return pluginError(`failed to open netns "${sandboxPath(rt)}": no such file or directory`);
  if (conf.ipamType !== '' && host.delegateCheck !== undefined) {
    const ipam = host.delegateCheck({ ...raw, type: conf.ipamType }, rt, prev);
    if (!ipam.ok) return forward(ipam);
  }
  const links = checkLinks(host, conf, rt, prev);
  return links.ok ? checkAddressing(host, rt, prev) : links;
}
