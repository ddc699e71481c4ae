/**
 * The `calico-ipam` CNI plugin (projectcalico/calico `cni-plugin/pkg/ipamplugin`): addresses
 * come from the cluster-wide IPAM in {@link CniHost.api}, recorded under the handle
 * `<network name>.<containerID>` (`k8s-pod-network.<id>` with calico.yaml).
 *
 * ADD: a requested address (`CNI_ARGS` `IP=`) goes through `AssignIP` and comes back as /32 or
 * /128; otherwise `AutoAssign` gives one IPv4 address (unless `ipam.assign_ipv4` is `"false"`)
 * and one IPv6 address when `ipam.assign_ipv6` is `"true"` — calico-ipam's defaults, so a
 * dual-stack network sets `assign_ipv6`. Auto-assigned addresses carry the block's prefix length
 * (`10.244.0.65/26`), as upstream returns them; the calico plugin narrows them to /32 and /128
 * when it programs the pod. `ipv4_pools`/`ipv6_pools` (names or CIDRs) restrict the pools.
 * DEL: `ReleaseByHandle`; an unknown handle is fine.
 * CHECK: upstream registers none (`Check: nil`); netsim's checks that the handle still holds
 * every address of the previous result.
 */
import { CALICO_NODENAME_PATH } from '../names.js';
import { type Cidr, formatCidr, parseCidr } from '../../../addr/cidr.js';
import { type Family, formatIp, ipEquals, parseIp } from '../../../addr/ip.js';
import { isObject, type JsonObject } from '../../json.js';
import { ok, pluginError } from '../../outcome.js';
import type { CniHost, CniOutcome, CniPlugin, CniResult, NetConf, RuntimeConf } from '../../types.js';
import { assignIp, autoAssign } from './assign.js';
import { readPools } from './datastore.js';
import { ipsByHandle, releaseByHandle } from './release.js';


/** `utils.GetHandleID`: the IPAM handle of a container (`k8s-pod-network.<containerID>` for calico.yaml's network). */
export function calicoHandleId(containerId: string, network = 'k8s-pod-network'): string {
  return `${network}.${containerId}`;
}

function ipamSection(conf: NetConf): JsonObject {
  return isObject(conf.ipam) ? conf.ipam : {};
}

/**
 * `utils.DetermineNodename`: `nodename` from the config, else the nodename file calico-node
 * wrote. A missing file is the calico plugin's error (the model has no OS hostname to fall back on).
 */
function nodename(conf: NetConf, host: CniHost): { ok: true; name: string } | { ok: false; msg: string } {
  if (typeof conf.nodename === 'string' && conf.nodename !== '') return { ok: true, name: conf.nodename };
  const file = typeof conf.nodename_file === 'string' && conf.nodename_file !== '' ? conf.nodename_file : CALICO_NODENAME_PATH;
  const text = host.store[file];
  if (text !== undefined && text.trim() !== '') return { ok: true, name: text.trim() };
  return { ok: false, msg: `stat ${file}: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/` };
}

/** `utils.ResolvePools`: pool names or CIDRs of one family. */
function resolvePools(conf: NetConf, host: CniHost, family: Family): { ok: true; pools: Cidr[] } | { ok: false; msg: string } {
  const list = ipamSection(conf)[family === 4 ? 'ipv4_pools' : 'ipv6_pools'];
  const pools: Cidr[] = [];
  for (const p of Array.isArray(list) ? list : []) {
    if (typeof p !== 'string') continue;
    const c = (p.includes('/') ? parseCidr(p) : undefined) ?? readPools(host.api).find((x) => x.name === p)?.cidr;
    if (c === undefined) return { ok: false, msg: `error parsing pool "${p}": invalid CIDR address: ${p}` };
    if (c.addr.family !== family) return { ok: false, msg: `"${formatIp(c.addr)}" isn't a IPv${family} address` };
    pools.push(c);
  }
  return { ok: true, pools };
}

function attributes(node: string, rt: RuntimeConf): Record<string, string> {
  const pod = rt.args.K8S_POD_NAME;
  const ns = rt.args.K8S_POD_NAMESPACE;
  return pod !== undefined && pod !== '' ? { namespace: ns ?? '', node, pod } : { node };
}

function result(conf: NetConf, addresses: readonly string[]): CniResult {
  return { cniVersion: conf.cniVersion, interfaces: [], ips: addresses.map((address) => ({ address })), routes: [], dns: {} };
}

/** The requested-address path: `AssignIP`, the address as /32 or /128. */
function addRequested(conf: NetConf, rt: RuntimeConf, host: CniHost, node: string, text: string): CniOutcome<CniResult> {
  const want = parseIp(text);
  if (want === undefined) return pluginError(`ARGS: error parsing value of pair "IP=${text}": invalid IP address: ${text}`);
  const got = assignIp(host.api, { node, ip: want, handle: calicoHandleId(rt.containerId, conf.name), attrs: attributes(node, rt) });
  if (!got.ok) return pluginError(got.message);
  return ok(result(conf, [formatCidr({ addr: want, prefix: want.family === 4 ? 32 : 128 })]));
}

/** `calico-ipam` ADD. */
function add(conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<CniResult> {
  const node = nodename(conf, host);
  if (!node.ok) return pluginError(node.msg);
  const requested = rt.args.IP;
  if (requested !== undefined && requested !== '') return addRequested(conf, rt, host, node.name, requested);
  const ipam = ipamSection(conf);
  const families: Family[] = [];
  if (ipam.assign_ipv4 !== 'false') families.push(4);
  if (ipam.assign_ipv6 === 'true') families.push(6);
  const handle = calicoHandleId(rt.containerId, conf.name);
  const got: Cidr[] = [];
  for (const family of families) {
    const pools = resolvePools(conf, host, family);
    if (!pools.ok) return pluginError(pools.msg);
    const r = autoAssign(host.api, { node: node.name, family, handle, attrs: attributes(node.name, rt), pools: pools.pools });
    if (!r.ok) {
      // Upstream releases what the other family got before reporting the failure.
      releaseByHandle(host.api, handle);
      return pluginError(r.partial ? `failed to request IPv${family} addresses: ${r.message}` : r.message);
    }
    got.push(...r.ips);
  }
  return ok(result(conf, got.map(formatCidr)));
}

/** `calico-ipam` DEL: release everything the container's handle holds. */
function del(conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<void> {
  releaseByHandle(host.api, calicoHandleId(rt.containerId, conf.name));
  return ok(undefined);
}

/** netsim's CHECK for calico-ipam: the handle still holds every address of the previous result. */
function check(conf: NetConf, rt: RuntimeConf, host: CniHost, prevResult: CniResult): CniOutcome<void> {
  const handle = calicoHandleId(rt.containerId, conf.name);
  const held = ipsByHandle(host.api, handle);
  for (const entry of prevResult.ips) {
    const c = parseCidr(entry.address);
    if (c !== undefined && !held.some((h) => ipEquals(h, c.addr))) return pluginError(`calico-ipam: ${formatIp(c.addr)} is not allocated to handle ${handle}`);
  }
  return ok(undefined);
}

/** The calico-ipam IPAM plugin. */
export const calicoIpamPlugin = { type: 'calico-ipam', add, del, check } satisfies CniPlugin;
