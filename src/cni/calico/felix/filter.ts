/**
 * Felix's static filter chains (felix/rules/static.go: filterInputChain, filterWorkloadToHostChain,
 * StaticFilterForwardChains, filterOutputChain) for a node without host endpoints, IPVS,
 * WireGuard or OpenStack, in Calico 3.2x's shape.
 *
 * cali-INPUT lets IPIP (protocol 4) in only from `all-hosts-net` and VXLAN only from
 * `all-vxlan-net`, both to a local address, and drops the rest of each; traffic from workloads
 * goes to cali-wl-to-host (their egress policy, then DefaultEndpointToHostAction ACCEPT).
 * cali-FORWARD sends traffic from and to `cali+` through the workload dispatch chains, which
 * RETURN when policy allows; the rules Felix appends to FORWARD then ACCEPT it.
 */
import { A, M } from './fragments.js';
import { DEFAULT_VXLAN_PORT, type FelixInput, MARKS, WORKLOAD_IFACE_PREFIX } from './input.js';
import { felixSetName } from './ipsets.js';
import type { FelixChain, FelixRule } from './rule.js';

const WILD = `${WORKLOAD_IFACE_PREFIX}+`;
const PROTO_IPIP = 4;
const PROTO_UDP = 17;
const PROTO_ICMPV6 = 58;

/** Chain names (rules.Chain…). */
export const CHAIN = {
  input: 'cali-INPUT',
  forward: 'cali-FORWARD',
  output: 'cali-OUTPUT',
  prerouting: 'cali-PREROUTING',
  postrouting: 'cali-POSTROUTING',
  wlToHost: 'cali-wl-to-host',
  fromWlDispatch: 'cali-from-wl-dispatch',
  toWlDispatch: 'cali-to-wl-dispatch',
  fromHostEndpoint: 'cali-from-host-endpoint',
  toHostEndpoint: 'cali-to-host-endpoint',
  fromHepForward: 'cali-from-hep-forward',
  toHepForward: 'cali-to-hep-forward',
  cidrBlock: 'cali-cidr-block',
  natOutgoing: 'cali-nat-outgoing',
  fipDnat: 'cali-fip-dnat',
  fipSnat: 'cali-fip-snat',
} as const;

function inputEncapRules(input: FelixInput): FelixRule[] {
  const rules: FelixRule[] = [];
  const port = input.vxlanPort ?? DEFAULT_VXLAN_PORT;
  if (input.family === 4 && input.ipipEnabled) {
    rules.push(
      { comments: ['Allow IPIP packets from Calico hosts'], match: [M.protocolNum(PROTO_IPIP), M.sourceIPSet(felixSetName(4, 'all-hosts-net')), M.destAddrTypeLocal], action: A.accept },
      { comments: ['Drop IPIP packets from non-Calico hosts'], match: [M.protocolNum(PROTO_IPIP)], action: A.drop },
    );
  }
  if (input.vxlanEnabled) {
    const v = input.family === 4 ? 'IPv4' : 'IPv6';
    rules.push(
      { comments: [`Allow ${v} VXLAN packets from allowed hosts`], match: [M.protocolNum(PROTO_UDP), M.destPorts(port), M.sourceIPSet(felixSetName(input.family, 'all-vxlan-net')), M.destAddrTypeLocal], action: A.accept },
      { comments: [`Drop ${v} VXLAN packets from non-allowed hosts`], match: [M.protocolNum(PROTO_UDP), M.destPorts(port), M.destAddrTypeLocal], action: A.drop },
    );
  }
  return rules;
}

/** cali-INPUT. */
export function filterInputChain(input: FelixInput): FelixChain {
  return {
    name: CHAIN.input,
    rules: [
      ...inputEncapRules(input),
      { match: [M.inInterface(WILD)], action: A.goto(CHAIN.wlToHost) },
      { match: [M.markSingleBitSet(MARKS.accept)], action: A.accept },
      { action: A.clearMark(MARKS.all) },
      { action: A.jump(CHAIN.fromHostEndpoint) },
      { comments: ['Host endpoint policy accepted packet.'], match: [M.markSingleBitSet(MARKS.accept)], action: A.accept },
    ],
  };
}

/** cali-wl-to-host: IPv6 lets the ICMPv6 a router needs through first (ICMPv6Filter). */
export function filterWorkloadToHostChain(input: FelixInput): FelixChain {
  const icmp: FelixRule[] = input.family === 6 ? [130, 131, 132, 133, 135, 136].map((t) => ({ match: [M.protocolNum(PROTO_ICMPV6), M.icmpv6Type(t)], action: A.accept })) : [];
  return {
    name: CHAIN.wlToHost,
    rules: [...icmp, { action: A.jump(CHAIN.fromWlDispatch) }, { comments: ['Configured DefaultEndpointToHostAction'], action: A.accept }],
  };
}

/** cali-FORWARD. */
export function filterForwardChain(): FelixChain {
  return {
    name: CHAIN.forward,
    rules: [
      { action: A.clearMark(MARKS.all & ~MARKS.accept) },
      { match: [M.markClear(MARKS.accept)], action: A.jump(CHAIN.fromHepForward) },
      { match: [M.inInterface(WILD)], action: A.jump(CHAIN.fromWlDispatch) },
      { match: [M.outInterface(WILD)], action: A.jump(CHAIN.toWlDispatch) },
      { action: A.jump(CHAIN.toHepForward) },
      { action: A.jump(CHAIN.cidrBlock) },
    ],
  };
}

/** The rules Felix appends to the built-in FORWARD chain (StaticFilterForwardAppendRules). */
export function filterForwardAppendRules(): FelixRule[] {
  return [
    { comments: ['Policy explicitly accepted packet.'], match: [M.markSingleBitSet(MARKS.accept)], action: A.accept },
    { action: A.setMark(MARKS.accept) },
  ];
}

/** cali-OUTPUT. */
export function filterOutputChain(input: FelixInput): FelixChain {
  const port = input.vxlanPort ?? DEFAULT_VXLAN_PORT;
  const encap: FelixRule[] = [];
  if (input.family === 4 && input.ipipEnabled) {
    encap.push({ comments: ['Allow IPIP packets to other Calico hosts'], match: [M.protocolNum(PROTO_IPIP), M.destIPSet(felixSetName(4, 'all-hosts-net')), M.srcAddrTypeLocal], action: A.accept });
  }
  if (input.vxlanEnabled) {
    const v = input.family === 4 ? 'IPv4' : 'IPv6';
    encap.push({ comments: [`Allow ${v} VXLAN packets to other allowed hosts`], match: [M.protocolNum(PROTO_UDP), M.destPorts(port), M.srcAddrTypeLocal, M.destIPSet(felixSetName(input.family, 'all-vxlan-net'))], action: A.accept });
  }
  return {
    name: CHAIN.output,
    rules: [
      { match: [M.markSingleBitSet(MARKS.accept)], action: A.accept },
      { match: [M.outInterface(WILD)], action: A.return },
      ...encap,
      { action: A.clearMark(MARKS.all) },
      { match: [M.notConntrackState('DNAT')], action: A.jump(CHAIN.toHostEndpoint) },
      { comments: ['Host endpoint policy accepted packet.'], match: [M.markSingleBitSet(MARKS.accept)], action: A.accept },
    ],
  };
}

/** The chains with no rules on a node without host endpoints or service-loop prevention. */
export function emptyChains(names: readonly string[]): FelixChain[] {
  return names.map((name) => ({ name, rules: [] }));
}
