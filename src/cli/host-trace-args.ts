/**
 * The packet options shared by `netsim iptables trace` and `netsim nft trace`: both run one packet
 * through a single host's ruleset, so they take the same source, destination, ports, interfaces,
 * local addresses, seed and output format. The wording differs where the tools do (iptables names
 * hooks in capitals and balances with `-m statistic`; nft writes hooks in lower case and uses
 * `numgen random`).
 */
import type { Argv } from 'yargs';
import { parseIp, type Ip } from '../addr/ip.js';
import type { Packet } from '../packet/packet.js';
import { packetFromArgs } from './packet-args.js';

/** How one host-trace command names things in its help. */
export interface HostTraceWords {
  /** What `--in` does, e.g. "the packet arrives from outside (PREROUTING)…". */
  readonly in: string;
  /** What `--out` does. */
  readonly out: string;
  /** What `--local-addr` affects. */
  readonly localAddr: string;
  /** What `--all-paths` enumerates. */
  readonly allPaths: string;
  /** What `--seed` seeds. */
  readonly seed: string;
}

/** Registers the packet options of a host trace (yargs `.option` calls, in help order). */
export function hostTraceOptions<T>(t: Argv<T>, words: HostTraceWords): Argv<T> {
  return t
    .option('src', { type: 'string', demandOption: true, describe: 'source IP' })
    .option('dst', { type: 'string', demandOption: true, describe: 'destination IP' })
    .option('proto', { type: 'string', default: 'tcp', choices: ['tcp', 'udp', 'sctp', 'icmp'], describe: 'protocol' })
    .option('sport', { type: 'string', describe: 'source port, 0-65535 (default 40000; not with --proto icmp)' })
    .option('dport', { type: 'string', describe: 'destination port, 0-65535 (default 80; not with --proto icmp)' })
    .option('in', { type: 'string', describe: words.in })
    .option('out', { type: 'string', describe: words.out })
    .option('local-addr', { type: 'string', array: true, default: [], describe: words.localAddr })
    .option('all-paths', { type: 'boolean', default: false, describe: words.allPaths })
    .option('seed', { type: 'string', default: '1', describe: words.seed })
    .option('output', { alias: 'o', type: 'string', default: 'text', choices: ['text', 'json'], describe: 'output format' }) as unknown as Argv<T>;
}

/** The checked arguments a host trace builds its packet from. */
export interface HostPacketArgs {
  readonly src: string;
  readonly dst: string;
  readonly proto: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly localAddrs: readonly string[];
}

/**
 * The packet and the host's own addresses from checked arguments, or the usage message that
 * says which one is wrong.
 */
export function hostPacket(a: HostPacketArgs): { packet: Packet; localAddrs: Ip[] } | { usage: string } {
  const built = packetFromArgs(a);
  if ('usage' in built) return built;
  const localAddrs: Ip[] = [];
  for (const text of a.localAddrs) {
    const addr = parseIp(text);
    if (addr === undefined) return { usage: `--local-addr: not an IP address: ${text}` };
    localAddrs.push(addr);
  }
  return { packet: built.packet, localAddrs };
}
