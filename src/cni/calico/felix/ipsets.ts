/**
 * The ipsets Felix keeps for these rules, named as Felix's IPVersionConfig names its main sets:
 * `cali4` / `cali6`, a `0` for the main (not temporary) copy, then the set id
 * (felix/ipsets/ipset_defs.go). Felix creates them `hash:net … maxelem 1048576` (MaxIPSetSize);
 * the kernel adds `hashsize 1024`.
 *
 * - `all-ipam-pools`, `masq-ipam-pools`: every pool, and the pools with natOutgoing (the
 *   masquerade manager; always present, even without a natOutgoing pool);
 * - `all-hosts-net`: every Calico node's address, the allowed IPIP sources (IPv4, with IPIP on);
 * - `all-vxlan-net`: the VXLAN sources (with VXLAN on for the family).
 */
import type { Cidr } from '../../../addr/cidr.js';
import { formatCidr } from '../../../addr/cidr.js';
import { type Ip, formatIp } from '../../../addr/ip.js';
import { type IpSet, expandElement } from '../../../kernel/netfilter/ipset/index.js';
import type { FelixInput } from './input.js';

/** Set ids (rules.IPSetID…). */
export type FelixSetId = 'all-ipam-pools' | 'masq-ipam-pools' | 'all-hosts-net' | 'all-vxlan-net';

/** NameForMainIPSet: `cali40all-ipam-pools`, `cali60masq-ipam-pools`. */
export function felixSetName(family: 4 | 6, id: FelixSetId): string {
  return `cali${family}0${id}`;
}

/** maxelem Felix creates its sets with (MaxIPSetSize default). */
export const FELIX_MAXELEM = 1048576;

function netSet(family: 4 | 6, id: FelixSetId, members: readonly (Cidr | Ip)[]): IpSet {
  const elems = members.flatMap((m) => expandElement('hash:net', family, 'prefix' in m ? formatCidr(m) : formatIp(m)) ?? []);
  return {
    name: felixSetName(family, id),
    type: 'hash:net',
    family,
    options: ['hashsize', '1024', 'maxelem', String(FELIX_MAXELEM)],
    members: [...new Set(elems)],
  };
}

/** The sets of one family, in the order Felix's managers create them. */
export function felixIpsets(input: FelixInput): IpSet[] {
  const f = input.family;
  const pools = input.pools.filter((p) => p.cidr.addr.family === f);
  const sets = [
    netSet(f, 'all-ipam-pools', pools.map((p) => p.cidr)),
    netSet(f, 'masq-ipam-pools', pools.filter((p) => p.natOutgoing).map((p) => p.cidr)),
  ];
  if (f === 4 && input.ipipEnabled) sets.push(netSet(f, 'all-hosts-net', input.hostIPs.filter((a) => a.family === f)));
  if (input.vxlanEnabled) sets.push(netSet(f, 'all-vxlan-net', input.vxlanHostIPs.filter((a) => a.family === f)));
  return sets;
}
