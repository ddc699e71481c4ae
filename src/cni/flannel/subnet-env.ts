/**
 * `/run/flannel/subnet.env`, the file flanneld writes once it holds its lease and the flannel
 * CNI plugin reads on every ADD (flannel-io/flannel `WriteSubnetFile`, flannel-io/cni-plugin
 * `loadFlannelSubnetEnv`). FLANNEL_SUBNET is the lease's *first host address* with the lease's
 * prefix (`10.244.1.1/24`): the address the bridge will hold, not the network. With
 * net-conf.json's `EnableIPv6`, FLANNEL_IPV6_NETWORK and FLANNEL_IPV6_SUBNET follow (the IPv6
 * lease's first address, `fd00:10:244:1::1/64`); with `EnableIPv4: false` the IPv4 pair is left out.
 */
import { type Cidr, canonicalCidr, formatCidr, parseCidr } from '../../addr/cidr.js';

/** Where flanneld writes the file and where the plugin looks by default (`subnetFile`). */
export const SUBNET_ENV_PATH = '/run/flannel/subnet.env';

/**
 * The values of subnet.env, as the plugin's `subnetEnv` holds them: each key may be absent, as
 * long as one network and one subnet (of either family) and the MTU and IPMASQ are there.
 */
export interface SubnetEnv {
  /** FLANNEL_NETWORK: net-conf.json `Network` (the plugin splits a comma list); empty without IPv4. */
  readonly networks: readonly Cidr[];
  /** FLANNEL_SUBNET: written as the first host address of the lease with its prefix; read back as the lease. */
  readonly subnet?: Cidr;
  /** FLANNEL_IPV6_NETWORK: net-conf.json `IPv6Network` (`EnableIPv6`); empty without IPv6. */
  readonly ipv6Networks: readonly Cidr[];
  /** FLANNEL_IPV6_SUBNET: the IPv6 lease's first address with its prefix. */
  readonly ipv6Subnet?: Cidr;
  /** FLANNEL_MTU. */
  readonly mtu: number;
  /** FLANNEL_IPMASQ: flanneld masquerades, so the delegate must not. */
  readonly ipMasq: boolean;
}

/** The file's text, in the order flanneld writes it (`WriteSubnetFile`): the IPv4 pair, the IPv6 pair, MTU, IPMASQ. */
export function formatSubnetEnv(env: SubnetEnv): string {
  const pair = (prefix: string, nws: readonly Cidr[], sn: Cidr | undefined): string[] => [
    ...(nws.length === 0 ? [] : [`FLANNEL_${prefix}NETWORK=${nws.map(formatCidr).join(',')}`]),
    ...(sn === undefined ? [] : [`FLANNEL_${prefix}SUBNET=${formatCidr(sn)}`]),
  ];
  return [...pair('', env.networks, env.subnet), ...pair('IPV6_', env.ipv6Networks, env.ipv6Subnet), `FLANNEL_MTU=${env.mtu}`, `FLANNEL_IPMASQ=${env.ipMasq}`, ''].join('\n');
}

/** A comma list of prefixes (FLANNEL_NETWORK may hold several), each as Go's `net.ParseCIDR` reads it, duplicates dropped. */
function parseNetworks(text: string | undefined): Cidr[] | undefined {
  if (text === undefined) return undefined;
  const out: Cidr[] = [];
  for (const part of text.split(',')) {
    const c = parseCidr(part);
    if (c === undefined) return undefined;
    const n = canonicalCidr(c);
    if (!out.some((o) => formatCidr(o) === formatCidr(n))) out.push(n);
  }
  return out;
}

/**
 * Reads the file as the plugin's `loadFlannelSubnetEnv` does: `KEY=VALUE` lines, a subnet parsed
 * as a network (`10.244.1.1/24` → 10.244.1.0/24), FLANNEL_IPMASQ true only when it says `true`.
 * Either family may be absent, not both: a missing key gives the plugin's `FILE is missing KEYS`.
 */
export function parseSubnetEnv(text: string, file = SUBNET_ENV_PATH): { readonly ok: true; readonly value: SubnetEnv } | { readonly ok: false; readonly msg: string } {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const sub = (k: string): Cidr | undefined => {
    const c = parseCidr(vars.get(k) ?? '');
    return c === undefined ? undefined : canonicalCidr(c);
  };
  const networks = parseNetworks(vars.get('FLANNEL_NETWORK'));
  const ipv6Networks = parseNetworks(vars.get('FLANNEL_IPV6_NETWORK'));
  const subnet = sub('FLANNEL_SUBNET');
  const ipv6Subnet = sub('FLANNEL_IPV6_SUBNET');
  const mtuText = vars.get('FLANNEL_MTU');
  const mtu = mtuText !== undefined && /^\d+$/.test(mtuText) ? Number(mtuText) : undefined;
  const masq = vars.get('FLANNEL_IPMASQ');
  const missing = [
    ...(networks === undefined && ipv6Networks === undefined ? ['FLANNEL_NETWORK', 'FLANNEL_IPV6_NETWORK'] : []),
    ...(subnet === undefined && ipv6Subnet === undefined ? ['FLANNEL_SUBNET', 'FLANNEL_IPV6_SUBNET'] : []),
    ...(mtu === undefined ? ['FLANNEL_MTU'] : []),
    ...(masq === undefined ? ['FLANNEL_IPMASQ'] : []),
  ];
  if (missing.length > 0 || mtu === undefined) return { ok: false, msg: `${file} is missing ${missing.join(', ')}` };
  return {
    ok: true,
    value: {
      networks: networks ?? [],
      ...(subnet === undefined ? {} : { subnet }),
      ipv6Networks: ipv6Networks ?? [],
      ...(ipv6Subnet === undefined ? {} : { ipv6Subnet }),
      mtu,
      ipMasq: masq === 'true',
    },
  };
}
