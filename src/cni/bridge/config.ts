/**
 * The bridge plugin's configuration (containernetworking/plugins `plugins/main/bridge`
 * `NetConf`), read as the plugin's `loadNetConf` does: zero values for missing keys, `bridge`
 * defaulting to `cni0`, a MAC from `CNI_ARGS` `MAC=`, `args.cni.mac` or `runtimeConfig.mac`
 * (later wins). Options netsim does not model (`vlan`, `macspoofchk`) are refused with
 * UNSUPPORTED_FIELD rather than silently ignored.
 */
import { type Mac, parseMac } from '../../addr/mac.js';
import { type JsonObject, type Read, isObject, readBool, readInt, readObject, readString } from '../json.js';
import { fail, ok, pluginError } from '../outcome.js';
import { CNI_ERROR, type CniOutcome, type NetConf, type RuntimeConf } from '../types.js';

/** The bridge plugin's options, defaults applied. */
export interface BridgeConf {
  readonly name: string;
  readonly cniVersion: string;
  readonly bridge: string;
  readonly isGateway: boolean;
  readonly isDefaultGateway: boolean;
  readonly forceAddress: boolean;
  readonly ipMasq: boolean;
  /** 0: the kernel default (1500). */
  readonly mtu: number;
  readonly hairpinMode: boolean;
  readonly promiscMode: boolean;
  readonly enableDad: boolean;
  /** `ipam.type`; empty for a pure L2 network (no addresses at all). */
  readonly ipamType: string;
  /** The container interface MAC asked for, if any. */
  readonly mac?: Mac;
  /** `dns` of the config, copied into the result. */
  readonly dns: JsonObject;
}

/** The default bridge name. */
export const DEFAULT_BRIDGE = 'cni0';

function requestedMac(conf: NetConf, rt: RuntimeConf): string {
  const args = isObject(conf.args) && isObject(conf.args.cni) ? conf.args.cni : undefined;
  const rc = isObject(conf.runtimeConfig) ? conf.runtimeConfig : undefined;
  let mac = rt.args.MAC ?? '';
  for (const holder of [args, rc]) if (typeof holder?.mac === 'string' && holder.mac !== '') mac = holder.mac;
  return mac;
}

/** What a config alone says (everything but the MAC, which `CNI_ARGS` may ask for). */
type Base = CniOutcome<Omit<BridgeConf, 'mac'>>;

/** By config object: a config is immutable JSON, and a node hands every pod the same one. */
const bases = new WeakMap<NetConf, Base>();

/** `loadNetConf`, plus the checks `cmdAdd` makes before touching anything. */
export function loadBridgeConf(conf: NetConf, rt: RuntimeConf): CniOutcome<BridgeConf> {
  let base = bases.get(conf);
  if (base === undefined) bases.set(conf, (base = readBase(conf)));
  if (!base.ok) return base;
  const macText = requestedMac(conf, rt);
  if (macText === '') return base;
  const mac = parseMac(macText);
  if (mac === undefined) return pluginError(`address ${macText}: invalid MAC address`);
  return ok({ ...base.value, mac });
}

function readBase(conf: NetConf): Base {
  const r = collect();
  const flag = (key: string) => r.take(readBool(conf, key), false);
  const opts = {
    name: conf.name,
    cniVersion: conf.cniVersion,
    bridge: r.take(readString(conf, 'bridge', DEFAULT_BRIDGE), DEFAULT_BRIDGE),
    // isDefaultGateway implies isGateway (cmdAdd sets IsGW when IsDefaultGW).
    isGateway: flag('isGateway') || flag('isDefaultGateway'),
    isDefaultGateway: flag('isDefaultGateway'),
    forceAddress: flag('forceAddress'),
    ipMasq: flag('ipMasq'),
    mtu: r.take(readInt(conf, 'mtu'), 0),
    hairpinMode: flag('hairpinMode'),
    promiscMode: flag('promiscMode'),
    enableDad: flag('enabledad'),
    dns: r.take(readObject(conf, 'dns'), undefined) ?? {},
  };
  const ipam = r.take(readObject(conf, 'ipam'), undefined);
  const ipamType = ipam === undefined ? '' : r.take(readString(ipam, 'type'), '');
  const vlan = r.take(readInt(conf, 'vlan'), 0);
  const spoof = flag('macspoofchk');
  const bad = r.error();
  if (bad !== undefined) return fail(CNI_ERROR.DECODE_FAILURE, `failed to load netconf: ${bad}`);
  if (vlan < 0 || vlan > 4094) return pluginError(`invalid VLAN ID ${vlan} (must be between 0 and 4094)`);
  if (vlan !== 0) return fail(CNI_ERROR.UNSUPPORTED_FIELD, 'netsim: the bridge plugin option "vlan" is not modelled');
  if (spoof) return fail(CNI_ERROR.UNSUPPORTED_FIELD, 'netsim: the bridge plugin option "macspoofchk" is not modelled');
  return ok({ ...opts, ipamType });
}

/** Reads fields, remembering the first decode error. */
function collect() {
  let first: string | undefined;
  return {
    take<T>(read: Read<T>, fallback: T): T {
      if (read.ok) return read.value;
      first ??= read.msg;
      return fallback;
    },
    error: () => first,
  };
}
