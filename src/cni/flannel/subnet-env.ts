/**
 * `/run/flannel/subnet.env`, the file flanneld writes once it holds its lease and the flannel
 * CNI plugin reads on every ADD (flannel-io/flannel `WriteSubnetFile`, flannel-io/cni-plugin
 * `loadFlannelSubnetEnv`). FLANNEL_SUBNET is the lease's *first host address* with the lease's
 * prefix (`10.244.1.1/24`): the address the bridge will hold, not the network.
 */
import { type Cidr, canonicalCidr, formatCidr, parseCidr } from '../../addr/cidr.js';

/** Where flanneld writes the file and where the plugin looks by default (`subnetFile`). */
export const SUBNET_ENV_PATH = '/run/flannel/subnet.env';

/** The values of subnet.env (IPv4 only: the FLANNEL_IPV6_* keys are not modelled). */
export interface SubnetEnv {
  /** FLANNEL_NETWORK: the cluster CIDR. */
  readonly network: Cidr;
  /** FLANNEL_SUBNET: written as the first host address of the lease with its prefix; read back as the lease (the network). */
  readonly subnet: Cidr;
  /** FLANNEL_MTU. */
  readonly mtu: number;
  /** FLANNEL_IPMASQ: flanneld masquerades, so the delegate must not. */
  readonly ipMasq: boolean;
}

/** The file's text, in the order flanneld writes it. */
export function formatSubnetEnv(env: SubnetEnv): string {
  return [
    `FLANNEL_NETWORK=${formatCidr(env.network)}`,
    `FLANNEL_SUBNET=${formatCidr(env.subnet)}`,
    `FLANNEL_MTU=${env.mtu}`,
    `FLANNEL_IPMASQ=${env.ipMasq}`,
    '',
  ].join('\n');
}

/**
 * Reads the file as the plugin's `loadFlannelSubnetEnv` does: `KEY=VALUE` lines, FLANNEL_SUBNET
 * parsed as a network (`10.244.1.1/24` → 10.244.1.0/24, Go's `net.ParseCIDR`), FLANNEL_IPMASQ
 * true only when it says `true`. A missing key gives the plugin's `FILE is missing KEYS`.
 */
export function parseSubnetEnv(text: string, file = SUBNET_ENV_PATH): { readonly ok: true; readonly value: SubnetEnv } | { readonly ok: false; readonly msg: string } {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const network = parseCidr(vars.get('FLANNEL_NETWORK') ?? '');
  const subnet = parseCidr(vars.get('FLANNEL_SUBNET') ?? '');
  const mtuText = vars.get('FLANNEL_MTU');
  const mtu = mtuText !== undefined && /^\d+$/.test(mtuText) ? Number(mtuText) : undefined;
  const masq = vars.get('FLANNEL_IPMASQ');
  const missing = [
    ...(network === undefined ? ['FLANNEL_NETWORK', 'FLANNEL_IPV6_NETWORK'] : []),
    ...(subnet === undefined ? ['FLANNEL_SUBNET', 'FLANNEL_IPV6_SUBNET'] : []),
    ...(mtu === undefined ? ['FLANNEL_MTU'] : []),
    ...(masq === undefined ? ['FLANNEL_IPMASQ'] : []),
  ];
  if (network === undefined || subnet === undefined || mtu === undefined || masq === undefined) return { ok: false, msg: `${file} is missing ${missing.join(', ')}` };
  return { ok: true, value: { network, subnet: canonicalCidr(subnet), mtu, ipMasq: masq === 'true' } };
}
