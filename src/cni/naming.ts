/**
 * Names the reference plugins derive (containernetworking/plugins `pkg/utils`): iptables chain
 * names, rule comments, and — netsim's own choice — the host-side veth name.
 */
import { sha512Hex, sha512Hex8 } from '../hash/index.js';

/** iptables chain names are at most 28 characters (the plugins' `maxChainLength`). */
const MAX_CHAIN_LENGTH = 28;

/**
 * `CNI-` + `prefix` + hex(sha512(network name + container ID)), cut to 28 characters
 * (`utils.FormatChainName` / `MustFormatChainNameWithPrefix`): `CNI-397e137386ae1fcbc191bb7c`.
 */
export function formatChainName(network: string, containerId: string, prefix = ''): string {
  return `CNI-${prefix}${sha512Hex(network + containerId)}`.slice(0, MAX_CHAIN_LENGTH);
}

/** Go's `%q` of a plain string: double quotes, with `"` and `\` escaped. */
function goQuote(s: string): string {
  return `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** The rule comment `name: "<network>" id: "<containerID>"` (`utils.FormatComment`). */
export function formatComment(network: string, containerId: string): string {
  return `name: ${goQuote(network)} id: ${goQuote(containerId)}`;
}

/**
 * The host end of a pod's veth: `veth` + 8 hex digits. The reference plugin draws 4 random bytes
 * (`ip.RandomVethName`); netsim takes the first 8 hex digits of sha512(containerID + "/" +
 * ifName) instead, so a scenario gives the same names on every run and two interfaces of one pod
 * get different names.
 */
export function hostVethName(containerId: string, ifName: string): string {
  return `veth${sha512Hex8(containerId, '/', ifName)}`;
}
