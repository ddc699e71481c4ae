/** Felix inputs shared by the unit goldens and the kernel differential test. */
import { cidr, ip } from '../../../../addr/index.js';
import type { FelixInput } from '../input.js';

/** Node a of a two-node IPIP cluster with two pools (the second without natOutgoing) and two pods. */
export const TWO_POOLS: FelixInput = {
  nodeName: 'node-a',
  family: 4,
  hostIPs: [ip('10.0.0.11'), ip('10.0.0.12')],
  vxlanHostIPs: [],
  pools: [
    { cidr: cidr('192.168.0.0/16'), natOutgoing: true, disabled: false, ipipMode: 'Always', vxlanMode: 'Never' },
    { cidr: cidr('172.30.0.0/24'), natOutgoing: false, disabled: false, ipipMode: 'Always', vxlanMode: 'Never' },
  ],
  localWorkloads: [
    { iface: 'cali1a2b3c4d5e6', ips: [ip('192.168.10.65')], namespace: 'default' },
    { iface: 'cali1a9f0011223', ips: [ip('192.168.10.66')], namespace: 'web', serviceAccount: 'frontend' },
    { iface: 'calib7c8d9e0f12', ips: [ip('172.30.0.2')], namespace: 'default' },
  ],
  ipipEnabled: true,
  vxlanEnabled: false,
  ipipTunnelAddress: ip('192.168.10.64'),
};

const { ipipTunnelAddress: _unused, ...NO_TUNNEL } = TWO_POOLS;
/** The two-pool node with VXLAN instead of IPIP. */
export const VXLAN: FelixInput = { ...NO_TUNNEL, ipipEnabled: false, vxlanEnabled: true, vxlanHostIPs: TWO_POOLS.hostIPs, vxlanTunnelAddress: ip('192.168.10.64') };

/** An IPv6 node with VXLAN (IPIP is IPv4-only: on, but nothing of it appears). */
export const V6: FelixInput = {
  nodeName: 'node-a',
  family: 6,
  hostIPs: [ip('fd00::11'), ip('fd00::12')],
  vxlanHostIPs: [ip('fd00::11'), ip('fd00::12')],
  pools: [{ cidr: cidr('fd10::/48'), natOutgoing: true, disabled: false, ipipMode: 'Never', vxlanMode: 'Always' }],
  localWorkloads: [{ iface: 'cali1a2b3c4d5e6', ips: [ip('fd10::1:0:0:1')], namespace: 'default' }],
  ipipEnabled: true,
  vxlanEnabled: true,
  vxlanTunnelAddress: ip('fd10::1:0:0:0'),
};

/** natOutgoing false on every pool: `cali-nat-outgoing` is empty. */
export const NAT_OUTGOING_FALSE: FelixInput = { ...TWO_POOLS, pools: TWO_POOLS.pools.map((p) => ({ ...p, natOutgoing: false })) };

/** FelixConfiguration natOutgoingAddress: SNAT instead of MASQUERADE. */
export const NAT_OUTGOING_ADDRESS: FelixInput = { ...TWO_POOLS, natOutgoingAddress: ip('10.0.0.100') };

/** Every case, by golden name. */
export const FELIX_CASES: ReadonlyArray<readonly [string, FelixInput]> = [
  ['two-pools', TWO_POOLS],
  ['nat-outgoing-false', NAT_OUTGOING_FALSE],
  ['nat-outgoing-address', NAT_OUTGOING_ADDRESS],
  ['vxlan', VXLAN],
  ['ipv6', V6],
];
