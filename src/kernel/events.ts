/**
 * What the kernel model reports while it moves a packet. The kernel emits these events through
 * `emit`; the tracer (layer `trace`, above) turns them into hops and steps. The kernel never
 * imports the tracer and never behaves differently because someone is listening.
 *
 * Names follow Linux: hooks and tables are iptables' names, `drop reasons` follow the kernel's
 * `enum skb_drop_reason` where one exists (include/net/dropreason-core.h).
 */
import type { Ip } from '../addr/ip.js';
import type { Packet } from '../packet/packet.js';

/** Netfilter hooks (`NF_INET_*`). */
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** iptables tables in priority order of their registration. */
export type TableName = 'raw' | 'mangle' | 'nat' | 'filter' | 'security';

/** Why the kernel model discarded a packet. A closed set; the tracer maps it to a disposition. */
export type DropReason =
  | 'NETFILTER_DROP' // a DROP verdict (rule or chain policy)
  | 'NETFILTER_REJECT' // a REJECT verdict: an ICMP error or TCP RST goes back
  | 'NO_ROUTE' // no route matched (ENETUNREACH)
  | 'BLACKHOLE' // a blackhole route
  | 'UNREACHABLE' // an unreachable route (ICMP host unreachable back)
  | 'PROHIBIT' // a prohibit route (ICMP admin prohibited back)
  | 'NEIGH_FAILED' // ARP/ND got no answer
  | 'TTL_EXCEEDED' // TTL reached 0 while forwarding
  | 'FORWARDING_DISABLED' // net.ipv4.ip_forward = 0 and the packet is not for us
  | 'RP_FILTER' // reverse-path filter
  | 'MARTIAN' // martian source or destination (e.g. 127/8 on the wire without route_localnet)
  | 'OTHERHOST' // a frame for another MAC reached a non-promiscuous device (silently dropped)
  | 'LINK_DOWN' // the device or its peer is down
  | 'MTU_EXCEEDED' // bigger than the MTU with DF set (an ICMP error goes back, or the sending socket gets EMSGSIZE)
  | 'FRAME_TOO_BIG' // a frame bigger than the receiving device's MTU at L2 (is_skb_forwardable): silently dropped
  | 'NO_SOCKET' // delivered locally but nothing listens (TCP RST / ICMP port unreachable)
  | 'NOT_UNICAST' // TCP to an IPv6 anycast address: dropped without a reset (ipv6_unicast_destination)
  | 'BRIDGE_HAIRPIN' // a bridge would send the frame back out its ingress port and `hairpin` is off (br_forward.c should_deliver)
  | 'NOT_MODELLED'; // the packet reached a part of the datapath netsim does not model yet (e.g. tunnel transmit)

/** One thing the kernel did to the packet. `ns` names the network namespace. */
export type KernelEvent =
  | { readonly kind: 'dev-rx'; readonly ns: string; readonly dev: string; readonly packet: Packet }
  | {
      readonly kind: 'dev-tx';
      readonly ns: string;
      readonly dev: string;
      readonly packet: Packet;
      /** The frame's Ethernet addresses, recorded for encapsulated packets (the outer Ethernet header). */
      readonly eth?: { readonly src: string; readonly dst: string };
    }
  | { readonly kind: 'veth-cross'; readonly ns: string; readonly dev: string; readonly peerNs: string; readonly peerDev: string }
  | {
      readonly kind: 'bridge-fdb';
      readonly ns: string;
      readonly bridge: string;
      readonly inPort: string;
      readonly dstMac: string;
      readonly result: 'hit' | 'flood' | 'local' | 'hairpin-blocked';
      readonly outPorts: readonly string[];
    }
  | { readonly kind: 'route'; readonly ns: string; readonly table: string; readonly dst: Ip; readonly route: string; readonly result: 'local' | 'forward' | 'output' }
  | {
      readonly kind: 'neigh';
      readonly ns: string;
      readonly dev: string;
      readonly ip: Ip;
      readonly mac: string | undefined;
      readonly state: string;
      /** The device (and its namespace) that answered the request by proxy ARP, when one did. */
      readonly proxyArp?: { readonly ns: string; readonly dev: string };
    }
  | { readonly kind: 'nf-hook'; readonly ns: string; readonly hook: Hook; readonly table: TableName; readonly family: 4 | 6 }
  | {
      readonly kind: 'nf-rule';
      readonly ns: string;
      readonly hook: Hook;
      readonly table: TableName;
      readonly chain: string;
      /** 1-based position of the rule in its chain, as `iptables -L --line-numbers` counts. */
      readonly position: number;
      /** The rule exactly as `iptables-save` prints it (`-A CHAIN …`). */
      readonly rule: string;
      /** `ACCEPT`, `DROP`, `REJECT`, `RETURN`, `JUMP:CHAIN`, `GOTO:CHAIN`, `DNAT`, `SNAT`, `MASQUERADE`, `MARK`, `CONTINUE`, … */
      readonly verdict: string;
    }
  | { readonly kind: 'nf-policy'; readonly ns: string; readonly hook: Hook; readonly table: TableName; readonly chain: string; readonly policy: 'ACCEPT' | 'DROP' }
  /** An nft base chain was entered (`nft monitor trace`: `trace id … ip kube-proxy nat-prerouting packet: …`). */
  | {
      readonly kind: 'nft-hook';
      readonly ns: string;
      readonly hook: Hook;
      readonly family: 'ip' | 'ip6' | 'inet';
      readonly table: string;
      readonly chain: string;
      /** The packet as the chain sees it, and the devices (`iif`, `oif`). */
      readonly packet: Packet;
      readonly inDev?: string;
      readonly outDev?: string;
    }
  /** An nft rule matched to its end or gave a verdict (`rule … (verdict jump services)`). */
  | {
      readonly kind: 'nft-rule';
      readonly ns: string;
      readonly hook: Hook;
      readonly family: 'ip' | 'ip6' | 'inet';
      readonly table: string;
      readonly chain: string;
      /** 1-based position of the rule in its chain. */
      readonly position: number;
      /** The rule as `nft list ruleset` prints it. */
      readonly rule: string;
      /** `continue`, `accept`, `drop`, `return`, `jump CHAIN`, `goto CHAIN`. */
      readonly verdict: string;
    }
  /** An nft base chain's policy decided (`policy accept`); `mark` is the packet's mark then. */
  | { readonly kind: 'nft-policy'; readonly ns: string; readonly hook: Hook; readonly family: 'ip' | 'ip6' | 'inet'; readonly table: string; readonly chain: string; readonly policy: 'accept' | 'drop'; readonly mark: number }
  | {
      readonly kind: 'conntrack';
      readonly ns: string;
      readonly action: 'new' | 'established' | 'related' | 'invalid' | 'confirm' | 'untracked';
      /** `conntrack -L` style line of the entry involved. */
      readonly entry: string;
    }
  | { readonly kind: 'nat'; readonly ns: string; readonly hook: Hook; readonly field: 'src' | 'dst' | 'sport' | 'dport'; readonly from: string; readonly to: string; readonly by: string }
  | { readonly kind: 'ttl'; readonly ns: string; readonly from: number; readonly to: number }
  | { readonly kind: 'fragment'; readonly ns: string; readonly dev: string; readonly mtu: number; readonly length: number; readonly fragments: number; readonly first: number }
  | { readonly kind: 'encap'; readonly ns: string; readonly dev: string; readonly outer: string }
  | { readonly kind: 'decap'; readonly ns: string; readonly dev: string; readonly outer: string }
  | { readonly kind: 'deliver'; readonly ns: string; readonly dev: string; readonly packet: Packet }
  | { readonly kind: 'drop'; readonly ns: string; readonly reason: DropReason; readonly detail: string };

/** The sink the kernel reports to. */
export type Emit = (event: KernelEvent) => void;

/** An Emit that discards everything (for building state outside a trace). */
export const silent: Emit = () => undefined;
