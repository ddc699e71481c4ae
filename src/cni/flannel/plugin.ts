/**
 * The `flannel` CNI meta-plugin (flannel-io/cni-plugin `flannel.go`, `flannel_linux.go`): it
 * touches no kernel state itself. ADD reads flanneld's `subnet.env`, turns it into a network
 * configuration for its delegate (`bridge` by default: each lease as a host-local range set, a
 * route to each cluster network, FLANNEL_MTU, `ipMasq` the opposite of FLANNEL_IPMASQ, `isGateway`), saves
 * that under `dataDir/<containerID>` for DEL, and runs the delegate (libcni `invoke.DelegateAdd`).
 * DEL runs the delegate's DEL with the saved config; CHECK does nothing, as upstream's.
 */
import { formatCidr } from '../../addr/cidr.js';
import { type JsonObject, isObject, readString } from '../json.js';
import { fail, ok, pluginError } from '../outcome.js';
import { CNI_ERROR, type CniHost, type CniOutcome, type CniPlugin, type CniResult, type JsonValue, type NetConf, type RuntimeConf } from '../types.js';
import { SUBNET_ENV_PATH, type SubnetEnv, parseSubnetEnv } from './subnet-env.js';

/** Where the plugin saves each container's delegate config (`dataDir`'s default). */
export const FLANNEL_DATA_DIR = '/var/lib/cni/flannel';

/** The plugin's own keys (`NetConf` of flannel.go), defaults applied. */
export interface FlannelConf {
  readonly subnetFile: string;
  readonly dataDir: string;
  readonly delegate: JsonObject;
  readonly ipam: JsonObject;
}

function loadConf(conf: NetConf): CniOutcome<FlannelConf> {
  const subnetFile = readString(conf, 'subnetFile', SUBNET_ENV_PATH);
  const dataDir = readString(conf, 'dataDir', FLANNEL_DATA_DIR);
  if (!subnetFile.ok || !dataDir.ok) return fail(CNI_ERROR.DECODE_FAILURE, `failed to load netconf: ${subnetFile.ok ? '' : subnetFile.msg}${dataDir.ok ? '' : dataDir.msg}`);
  const delegate = conf.delegate === undefined || conf.delegate === null ? {} : conf.delegate;
  const ipam = conf.ipam === undefined || conf.ipam === null ? {} : conf.ipam;
  if (!isObject(delegate) || !isObject(ipam)) return fail(CNI_ERROR.DECODE_FAILURE, 'failed to load netconf: delegate and ipam must be objects');
  if (delegate.type !== undefined && typeof delegate.type !== 'string') return pluginError("'delegate' dictionary, if present, must have (string) 'type' field");
  if (delegate.name !== undefined) return pluginError("'delegate' dictionary must not have 'name' field, it'll be set by flannel");
  if (delegate.ipam !== undefined) return pluginError("'delegate' dictionary must not have 'ipam' field, it'll be set by flannel");
  return ok({ subnetFile: subnetFile.value || SUBNET_ENV_PATH, dataDir: dataDir.value || FLANNEL_DATA_DIR, delegate, ipam });
}

/**
 * `getDelegateIPAM`: the given ipam with host-local as default type, one range set per lease
 * (IPv4 then IPv6: a dual-stack pod gets an address of each), and a route to each cluster
 * network appended (the IPv4 ones, then the IPv6 ones).
 */
function delegateIpam(fc: FlannelConf, env: SubnetEnv): JsonObject {
  const routes = Array.isArray(fc.ipam.routes) ? (fc.ipam.routes as readonly JsonValue[]) : [];
  const leases = [env.subnet, env.ipv6Subnet].filter((c) => c !== undefined);
  return {
    ...fc.ipam,
    type: typeof fc.ipam.type === 'string' ? fc.ipam.type : 'host-local',
    ranges: leases.map((c) => [{ subnet: formatCidr(c) }]),
    routes: [...routes, ...[...env.networks, ...env.ipv6Networks].map((c) => ({ dst: formatCidr(c) }))],
  };
}

/**
 * `doCmdAdd`: the delegate's network configuration. Keys the operator set in `delegate` win,
 * except `name` and `ipam`, which flannel owns.
 */
export function delegateConf(conf: NetConf, fc: FlannelConf, env: SubnetEnv): NetConf {
  const d: Record<string, JsonValue> = { ...fc.delegate, name: conf.name };
  d.type ??= 'bridge';
  d.ipMasq ??= !env.ipMasq;
  d.mtu ??= env.mtu;
  if (d.type === 'bridge') d.isGateway ??= true;
  if (conf.cniVersion !== '') d.cniVersion = conf.cniVersion;
  d.ipam = delegateIpam(fc, env);
  return { cniVersion: conf.cniVersion, name: conf.name, type: String(d.type), ...d };
}

/**
 * The saved file's text: Go's `json.Marshal` of a map, so keys sorted at every level and no
 * spaces.
 */
export function marshalSorted(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(marshalSorted).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${marshalSorted(v[k] ?? null)}`).join(',')}}`;
  return JSON.stringify(v);
}

/** `cmdAdd`. */
function add(conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<CniResult> {
  const loaded = loadConf(conf);
  if (!loaded.ok) return loaded;
  const text = host.store[loaded.value.subnetFile];
  if (text === undefined) return pluginError(`open ${loaded.value.subnetFile}: no such file or directory`);
  const env = parseSubnetEnv(text, loaded.value.subnetFile);
  if (!env.ok) return pluginError(env.msg);
  const delegate = delegateConf(conf, loaded.value, env.value);
  host.store[`${loaded.value.dataDir}/${rt.containerId}`] = marshalSorted(delegate);
  const r = host.delegateAdd(delegate, rt);
  return r.ok ? r : pluginError(`failed to delegate add: ${r.error.msg}`);
}

/** `cmdDel`: the saved delegate config's DEL; nothing saved is success (the spec's idempotent DEL). */
function del(conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<void> {
  const loaded = loadConf(conf);
  if (!loaded.ok) return loaded;
  const path = `${loaded.value.dataDir}/${rt.containerId}`;
  const saved = host.store[path];
  if (saved === undefined) return ok(undefined);
  // Upstream logs a config it cannot parse and succeeds (the interface stays until reboot).
  const parsed = parseSaved(saved);
  if (parsed === undefined || typeof parsed.type !== 'string') return ok(undefined);
  const r = host.delegateDel({ cniVersion: conf.cniVersion, name: conf.name, ...parsed, type: parsed.type }, rt);
  if (r.ok) delete host.store[path];
  return r;
}

function parseSaved(text: string): JsonObject | undefined {
  try {
    const v = JSON.parse(text) as JsonValue;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** `cmdCheck`: upstream's is a TODO that returns success. */
function check(): CniOutcome<void> {
  return ok(undefined);
}

/** The flannel CNI plugin. */
export const flannelPlugin = { type: 'flannel', add, del, check } satisfies CniPlugin;
