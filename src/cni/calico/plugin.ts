/**
 * The `calico` CNI plugin (projectcalico/calico `cni-plugin`, `k8s.CmdAddK8s` / `CmdDelK8s`), as
 * calico.yaml installs it with the Kubernetes datastore:
 *
 * - ADD: the node name from calico-node's `/var/lib/calico/nodename` (the plugin refuses to run
 *   without it), the MTU from the conf or, when 0, from `/var/lib/calico/mtu`; IPAM through the
 *   conf's `ipam.type` (calico-ipam), then the veth and routes (dataplane.ts). A failure after
 *   IPAM releases the addresses again. The host veth is `cali` + 11 hex digits of
 *   sha1(`<namespace>.<pod>`) for a Kubernetes pod, else `cali` + the first 11 characters of the
 *   container ID (`DoNetworking`'s fallback).
 * - DEL: the same node-name check, IPAM release, then the pod's interface (its veth peer, routes
 *   and neighbour entries go with it); missing pieces are fine.
 * - CHECK: upstream's is `cmdDummyCheck`, which succeeds.
 *
 * With `ipam.type: host-local` (canal.yaml), `usePodCidr` in the IPAM section becomes the node's
 * podCIDR before host-local runs (pod-cidr.ts); on DEL a placeholder does, as upstream's
 * (host-local releases by container ID, whatever the subnet).
 *
 * The result is IPAM's with the host veth appended to `interfaces`, as upstream's.
 * The WorkloadEndpoint object the plugin also writes is not modelled.
 */
import { type Cidr, formatCidr, parseCidr } from '../../addr/cidr.js';
import { delLink } from '../../kernel/link/port.js';
import { type JsonObject, readBool, readInt, readObject, readString } from '../json.js';
import { fail, kernel, ok, pluginError } from '../outcome.js';
import { CNI_ERROR, type CniHost, type CniOutcome, type CniPlugin, type CniResult, type NetConf, type RuntimeConf } from '../types.js';
import { type WorkloadSpec, felixEndpoint, setupHostRoutes, setupWorkload } from './dataplane.js';
import { CALICO_MTU_PATH, CALICO_NODENAME_PATH, vethNameForWorkload } from './names.js';
import { nodePodCidrs, replaceHostLocalPodCidrs } from './pod-cidr.js';

/** The keys of calico's `types.NetConf` the datapath depends on. */
export interface CalicoConf {
  readonly mtu: number;
  readonly ipamType: string;
  readonly nodename: string;
  readonly nodenameFile: string;
  readonly nodenameFileOptional: boolean;
}

function loadConf(conf: NetConf): CniOutcome<CalicoConf> {
  const raw = conf as JsonObject;
  const mtu = readInt(raw, 'mtu');
  const ipam = readObject(raw, 'ipam');
  const nodename = readString(raw, 'nodename');
  const nodenameFile = readString(raw, 'nodename_file', CALICO_NODENAME_PATH);
  const optional = readBool(raw, 'nodename_file_optional');
  for (const r of [mtu, ipam, nodename, nodenameFile, optional]) if (!r.ok) return fail(CNI_ERROR.DECODE_FAILURE, `failed to load netconf: ${r.msg}`);
  if (!mtu.ok || !ipam.ok || !nodename.ok || !nodenameFile.ok || !optional.ok) return fail(CNI_ERROR.DECODE_FAILURE, 'failed to load netconf');
  const ipamType = ipam.value !== undefined && typeof ipam.value.type === 'string' ? ipam.value.type : '';
  return ok({ mtu: mtu.value, ipamType, nodename: nodename.value, nodenameFile: nodenameFile.value || CALICO_NODENAME_PATH, nodenameFileOptional: optional.value });
}

/** `DetermineNodename` after the start-up check: the conf's, else calico-node's file. */
function nodenameOf(conf: CalicoConf, host: CniHost): CniOutcome<string> {
  const file = host.store[conf.nodenameFile];
  if (file === undefined && !conf.nodenameFileOptional) {
    return pluginError(`stat ${conf.nodenameFile}: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/`);
  }
  return ok(conf.nodename !== '' ? conf.nodename : (file?.trim() ?? host.hostNs));
}

/** `DoNetworking`'s host veth name for this container. */
export function hostVethFor(rt: RuntimeConf): string {
  const ns = rt.args['K8S_POD_NAMESPACE'];
  const pod = rt.args['K8S_POD_NAME'];
  if (ns !== undefined && ns !== '' && pod !== undefined && pod !== '') return vethNameForWorkload(ns, pod);
  return `cali${rt.containerId.slice(0, 11)}`;
}

/** The MTU: the conf's, else `/var/lib/calico/mtu`, else the kernel's default for a veth (1500). */
function mtuOf(conf: CalicoConf, host: CniHost): CniOutcome<number> {
  if (conf.mtu !== 0) return ok(conf.mtu);
  const text = host.store[CALICO_MTU_PATH];
  if (text === undefined) return ok(1500);
  const n = Number.parseInt(text.trim(), 10);
  return Number.isInteger(n) && n > 0 ? ok(n) : pluginError(`failed to read MTU file: strconv.Atoi: parsing "${text.trim()}": invalid syntax`);
}

function ipamConf(raw: NetConf, conf: CalicoConf): NetConf {
  return { ...raw, type: conf.ipamType };
}

/**
 * The pod's addresses as host prefixes: calico-ipam returns auto-assigned addresses with their
 * block's prefix (`10.244.0.65/26`), and `DoNetworking` sets every mask to /32 (/128) before
 * adding them, so the pod has no on-link subnet and sends everything to 169.254.1.1.
 */
function addresses(r: CniResult): CniOutcome<Cidr[]> {
  const out: Cidr[] = [];
  for (const x of r.ips) {
    const c = parseCidr(x.address);
    if (c === undefined || !x.address.includes('/')) return pluginError(`invalid CIDR address: ${x.address}`);
    out.push({ addr: c.addr, prefix: c.addr.family === 4 ? 32 : 128 });
  }
  return out.length === 0 ? pluginError('IPAM plugin returned missing IP config') : ok(out);
}

/** `CmdAddK8s`. */
function add(given: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<CniResult> {
  const loaded = loadConf(given);
  if (!loaded.ok) return loaded;
  const conf = loaded.value;
  const node = nodenameOf(conf, host);
  if (!node.ok) return node;
  const mtu = mtuOf(conf, host);
  if (!mtu.ok) return mtu;
  if (conf.ipamType === '') return pluginError('IPAM plugin type is not set');
  const withCidr = replaceHostLocalPodCidrs(given, () => nodePodCidrs(host.api, node.value));
  if (!withCidr.ok) return withCidr;
  const raw = withCidr.value;
  const ipam = host.delegateAdd(ipamConf(raw, conf), rt);
  if (!ipam.ok) return ipam;
  const addrs = addresses(ipam.value);
  const spec: WorkloadSpec | undefined = addrs.ok ? { hostVeth: hostVethFor(rt), mtu: mtu.value, addresses: addrs.value } : undefined;
  const wired = spec === undefined ? addrs : wire(host, rt, spec);
  if (!wired.ok) {
    // ReleaseIPAllocation: the addresses go back; the plugin's error is what the runtime sees.
    host.delegateDel(ipamConf(raw, conf), rt);
    return wired;
  }
  const hostIface = { name: spec?.hostVeth ?? '' };
  // The result carries the narrowed masks too: upstream changes the IPAM result's addresses in place.
  const ips = ipam.value.ips.map((x, i) => {
    const a = spec?.addresses[i];
    return a === undefined ? x : { ...x, address: formatCidr(a) };
  });
  return ok({ ...ipam.value, ips, cniVersion: raw.cniVersion, interfaces: [...ipam.value.interfaces, hostIface] });
}

function wire(host: CniHost, rt: RuntimeConf, spec: WorkloadSpec): CniOutcome<void> {
  const mac = setupWorkload(host, rt, spec);
  if (!mac.ok) return mac;
  const routes = setupHostRoutes(host, spec);
  return routes.ok ? felixEndpoint(host, spec, mac.value) : routes;
}

/** `CmdDelK8s`: IPAM release, then `CleanUpNamespace`. */
function del(raw: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<void> {
  const loaded = loadConf(raw);
  if (!loaded.ok) return loaded;
  const node = nodenameOf(loaded.value, host);
  if (!node.ok) return node;
  // `dummyPodCidr`: host-local releases by container ID, so any valid subnet will do.
  const placeholder = replaceHostLocalPodCidrs(raw, () => ok({ v4: '0.0.0.0/0', v6: '::/0' }));
  const delConf = placeholder.ok ? placeholder.value : raw;
  const released = loaded.value.ipamType === '' ? ok(undefined) : host.delegateDel(ipamConf(delConf, loaded.value), rt);
  const pod = host.world.netns[rt.netns];
  if (pod?.links[rt.ifName] !== undefined) {
    const gone = kernel(`failed to delete "${rt.ifName}"`, () => delLink(host.world, rt.netns, rt.ifName));
    if (!gone.ok) return gone;
  }
  return released;
}

/** `cmdDummyCheck`. */
function check(_conf: NetConf, _rt: RuntimeConf, _host: CniHost, _prev: CniResult): CniOutcome<void> {
  return ok(undefined);
}

/** The calico CNI plugin. */
export const calicoPlugin = { type: 'calico', add, del, check } satisfies CniPlugin;
