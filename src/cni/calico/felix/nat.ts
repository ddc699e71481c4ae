/**
 * Felix's nat chains (felix/rules/static.go StaticNATTableChains, nat.go NATOutgoingChain).
 *
 * cali-nat-outgoing masquerades traffic from a natOutgoing pool (`masq-ipam-pools`) to anything
 * outside every pool (`! all-ipam-pools`), or SNATs it to FelixConfiguration's
 * natOutgoingAddress. With no natOutgoing pool the chain is empty. cali-POSTROUTING also
 * masquerades host traffic leaving through a tunnel device from a host address that is not the
 * tunnel's own (the `--limit-iface-out` pair).
 */
import { formatIp } from '../../../addr/ip.js';
import { A, M } from './fragments.js';
import type { FelixInput } from './input.js';
import { CHAIN } from './filter.js';
import { felixSetName } from './ipsets.js';
import type { FelixChain, FelixRule } from './rule.js';

/** cali-nat-outgoing. */
export function natOutgoingChain(input: FelixInput): FelixChain {
  const f = input.family;
  const active = input.pools.some((p) => p.cidr.addr.family === f && p.natOutgoing);
  if (!active) return { name: CHAIN.natOutgoing, rules: [] };
  const match = [M.sourceIPSet(felixSetName(f, 'masq-ipam-pools')), M.notDestIPSet(felixSetName(f, 'all-ipam-pools'))];
  const to = input.natOutgoingAddress;
  const action = to !== undefined && to.family === f ? A.snat(formatIp(to)) : A.masq;
  return { name: CHAIN.natOutgoing, rules: [{ match, action }] };
}

/** The tunnel devices of this family that have a tunnel address on the node. */
function tunnelIfaces(input: FelixInput): string[] {
  const out: string[] = [];
  if (input.family === 4 && input.ipipEnabled && input.ipipTunnelAddress !== undefined) out.push('tunl0');
  if (input.vxlanEnabled && input.vxlanTunnelAddress !== undefined) out.push(input.family === 4 ? 'vxlan.calico' : 'vxlan-v6.calico');
  return out;
}

/** cali-PREROUTING, cali-POSTROUTING, cali-OUTPUT of the nat table, and the chains they jump to. */
export function natChains(input: FelixInput): FelixChain[] {
  const tunnels: FelixRule[] = tunnelIfaces(input).map((dev) => ({ match: [M.outInterface(dev), M.notSrcAddrTypeLocalLimitOut, M.srcAddrTypeLocal], action: A.masq }));
  return [
    { name: CHAIN.prerouting, rules: [{ action: A.jump(CHAIN.fipDnat) }] },
    { name: CHAIN.postrouting, rules: [{ action: A.jump(CHAIN.fipSnat) }, { action: A.jump(CHAIN.natOutgoing) }, ...tunnels] },
    { name: CHAIN.output, rules: [{ action: A.jump(CHAIN.fipDnat) }] },
    natOutgoingChain(input),
    { name: CHAIN.fipDnat, rules: [] },
    { name: CHAIN.fipSnat, rules: [] },
  ];
}
