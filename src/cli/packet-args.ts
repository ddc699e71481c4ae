/** Turning `--src/--dst/--proto/--sport/--dport` into a packet, with usage errors for bad values. */
import { type Ip, parseIp } from '../addr/ip.js';
import type { Flow } from '../packet/flow.js';
import { packetFor } from '../packet/build.js';
import type { Packet } from '../packet/packet.js';

/** Defaults for unspecified ports: an ephemeral source port, as a client would use. */
export const DEFAULT_SPORT = 40000;
export const DEFAULT_DPORT = 80;
/** ICMP echo identifier used when none is given. */
export const DEFAULT_ICMP_ID = 1;

/** Packet options as the CLI receives them. */
export interface PacketArgs {
  readonly src: string;
  readonly dst: string;
  readonly proto: string;
  readonly sport?: number;
  readonly dport?: number;
}

/** Builds the packet, or returns a usage message. */
export function packetFromArgs(a: PacketArgs): { packet: Packet } | { usage: string } {
  const src = parseIp(a.src);
  if (src === undefined) return { usage: `--src: not an IP address: ${a.src}` };
  const dst = parseIp(a.dst);
  if (dst === undefined) return { usage: `--dst: not an IP address: ${a.dst}` };
  if (src.family !== dst.family) return { usage: `--src and --dst must be of the same family (${a.src}, ${a.dst})` };
  // A packet may carry port 0 (the kernel and iptables accept it); only the range is checked here.
  for (const [name, v] of [['--sport', a.sport], ['--dport', a.dport]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 65535)) return { usage: `${name}: not a port number (0–65535): ${v}` };
  }
  const flow = flowFor(a, src, dst);
  return typeof flow === 'string' ? { usage: flow } : { packet: packetFor(flow) };
}

function flowFor(a: PacketArgs, src: Ip, dst: Ip): Flow | string {
  const family = src.family;
  switch (a.proto) {
    case 'tcp':
    case 'udp':
    case 'sctp':
      return { family, proto: a.proto, src, dst, sport: a.sport ?? DEFAULT_SPORT, dport: a.dport ?? DEFAULT_DPORT };
    case 'icmp':
      return family === 4
        ? { family, proto: 'icmp', src, dst, type: 8, code: 0, id: DEFAULT_ICMP_ID }
        : { family, proto: 'icmpv6', src, dst, type: 128, code: 0, id: DEFAULT_ICMP_ID };
    default:
      return `--proto: expected tcp, udp, sctp or icmp, got ${a.proto}`;
  }
}
