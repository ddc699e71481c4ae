/**
 * The names and fixed addresses Calico derives: the host end of a pod's veth, the MAC every host
 * veth carries, the pod's gateways, the VXLAN device's MAC, and the files calico-node leaves for
 * the CNI plugin under /var/lib/calico.
 */
import { type Ip, ip } from '../../addr/ip.js';
import type { Mac } from '../../addr/mac.js';
import { sha1Hex } from '../../hash/index.js';

/** Where calico-node writes the node's name for the plugin (`/var/lib/calico/nodename`). */
export const CALICO_NODENAME_PATH = '/var/lib/calico/nodename';
/** Where calico-node writes the detected pod MTU (`/var/lib/calico/mtu`), read when the conf's `mtu` is 0. */
export const CALICO_MTU_PATH = '/var/lib/calico/mtu';

/** The MAC the plugin sets on every host veth (`EE:EE:EE:EE:EE:EE` in dataplane_linux.go). */
export const CALICO_HOST_MAC = 'ee:ee:ee:ee:ee:ee' as Mac;

/** The IPv4 gateway every pod routes through; it exists nowhere, the host veth answers for it by proxy ARP. */
export const CALICO_GATEWAY_V4: Ip = ip('169.254.1.1');

/**
 * The IPv6 gateway: the host veth's link-local address, which the plugin reads from the device
 * (EUI-64 of ee:ee:ee:ee:ee:ee, so always this one).
 */
export const CALICO_GATEWAY_V6: Ip = ip('fe80::ecee:eeff:feee:eeee');

/** `FELIX_INTERFACEPREFIX`'s default. */
export const CALICO_IFACE_PREFIX = 'cali';

/**
 * The host end of a pod's veth: the prefix + the first 11 hex digits of sha1(`<namespace>.<pod>`)
 * (libcalico-go `conversion.VethNameForWorkload`), 15 characters, the longest name Linux takes.
 */
export function vethNameForWorkload(namespace: string, pod: string, prefix = CALICO_IFACE_PREFIX): string {
  return `${prefix}${sha1Hex(`${namespace}.${pod}`).slice(0, 11)}`;
}

/**
 * A node's VXLAN tunnel MAC when its Node object stores none (`vxlanTunnelMACAddr`): the byte
 * `"f"` (0x66) then the first 5 bytes of sha1(node name), or of sha1(`<node>-v6`) for the IPv6
 * device (Felix `calc.VXLANResolver.vtepMACForHost`).
 */
export function calicoVtepMac(nodeName: string, family: 4 | 6 = 4): Mac {
  const hex = sha1Hex(family === 6 ? `${nodeName}-v6` : nodeName).slice(0, 10);
  return ['66', ...(hex.match(/../g) ?? [])].join(':') as Mac;
}
