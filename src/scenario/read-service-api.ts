/**
 * Cluster settings of the Service API that the API server and kube-proxy take as flags:
 * `serviceNodePortRange` (`--service-node-port-range`), kube-proxy's `iptables` section
 * (KubeProxyConfiguration's `iptables.masqueradeAll`, `masqueradeBit`, `localhostNodePorts`,
 * and netsim's `randomFully` for the `--random-fully` probe) and `nodePortAddresses: [primary]`.
 */
import { type Cidr, parseCidr } from '../addr/index.js';
import { NODE_PORT_RANGE, type PortRange } from '../cluster/allocate/index.js';
import { KUBE_PROXY_IPTABLES } from './fields.js';
import { optCidr } from './read-addr.js';
import { type Field, absent, fail, fieldName, optBool, optEnum, optInt, optList, optMap, child, wrongType } from './reader.js';

/**
 * `serviceNodePortRange`: `first-last`, `base+size` or one port, as utilnet.ParsePortRange
 * reads `--service-node-port-range`. Undefined when absent (the default) or wrong.
 */
export function readNodePortRange(f: Field): PortRange | undefined {
  if (absent(f)) return undefined;
  if (typeof f.value !== 'string' && typeof f.value !== 'number') return wrongType(f, 'a port range such as 30000-32767');
  const text = String(f.value).trim();
  const m = /^(\d+)(?:([-+])(\d+))?$/.exec(text);
  const first = m?.[1] === undefined ? NaN : Number(m[1]);
  const other = m?.[3] === undefined ? undefined : Number(m[3]);
  const last = other === undefined ? first : m?.[2] === '+' ? first + other : other;
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 1 || last > 65535 || last < first) {
    fail(f, 'SCN_BAD_VALUE', `${fieldName(f)}: invalid port range "${text}": want first-last inside 1-65535 (the default is ${NODE_PORT_RANGE.first}-${NODE_PORT_RANGE.last})`);
    return undefined;
  }
  return { first, last };
}

/** What `kubeProxy.iptables` sets; absent keys keep the top-level values. */
export interface KubeProxyIptables {
  readonly masqueradeAll?: boolean;
  readonly masqueradeBit?: number;
  readonly localhostNodePorts?: boolean;
  readonly randomFully?: boolean;
  readonly nfacct?: boolean;
}

/**
 * `kubeProxy.iptables` (KubeProxyIPTablesConfiguration). `randomFully: auto` is kube-proxy's
 * probe of the node's iptables, which in netsim always finds `--random-fully`; `false` models
 * an iptables older than 1.6.2 (and upstream's unit tests, whose fake iptables lacks it).
 * `nfacct: true` is a kernel with nfnetlink_acct, where kube-proxy creates its counters (as
 * upstream's unit tests' fake does).
 */
export function readKubeProxyIptables(f: Field): KubeProxyIptables {
  if (optMap(f, KUBE_PROXY_IPTABLES) === undefined) return {};
  const masqueradeAll = optBool(child(f, 'masqueradeAll'));
  const masqueradeBit = optInt(child(f, 'masqueradeBit'), 0, 31);
  const localhostNodePorts = optBool(child(f, 'localhostNodePorts'));
  const nfacct = optBool(child(f, 'nfacct'));
  const rf = child(f, 'randomFully');
  const random = typeof rf.value === 'boolean' ? rf.value : optEnum(rf, ['auto', 'true', 'false']);
  return {
    ...(masqueradeAll === undefined ? {} : { masqueradeAll }),
    ...(masqueradeBit === undefined ? {} : { masqueradeBit }),
    ...(localhostNodePorts === undefined ? {} : { localhostNodePorts }),
    ...(random === undefined || random === 'auto' ? {} : { randomFully: random === true || random === 'true' }),
    ...(nfacct === undefined ? {} : { nfacct }),
  };
}

/**
 * `nodePortAddresses`: CIDRs, or the single word `primary` (the node's primary IPs, as
 * kube-proxy's server.go turns it into one host CIDR per family). ValidateKubeProxyConfiguration
 * refuses `primary` beside anything else.
 */
export function readNodePortAddresses(f: Field): { readonly cidrs: Cidr[]; readonly primary: boolean } {
  const items = optList(f) ?? [];
  const primary = items.some((i) => i.value === 'primary');
  if (primary && items.length > 1) {
    fail(f, 'SCN_BAD_VALUE', `${fieldName(f)}: Invalid value: must be 'primary' or a list of CIDRs, not both`);
  }
  return { cidrs: primary ? [] : items.flatMap((i) => optCidr(i) ?? []), primary };
}

/**
 * A Cluster node's `addresses`: further addresses of its eth0, each an address (a host
 * prefix, /32 or /128) or an address with its prefix (`192.168.1.2/24`, whose connected route
 * the kernel then adds).
 */
export function readExtraAddresses(f: Field): { readonly extraAddresses?: Cidr[] } {
  const out = (optList(f) ?? []).flatMap((item) => {
    const text = typeof item.value === 'string' ? item.value : undefined;
    if (text === undefined) return wrongType(item, 'an address or address/prefix') ?? [];
    // The address keeps its host bits (ip addr add 192.168.1.2/24), unlike a prefix field.
    const c = parseCidr(text);
    if (c === undefined) fail(item, 'SCN_BAD_ADDRESS', `${fieldName(item)}: "${text}" is not an address or address/prefix`);
    return c === undefined ? [] : [c];
  });
  return out.length === 0 ? {} : { extraAddresses: out };
}
