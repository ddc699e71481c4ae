/**
 * The options of `netsim trace` that describe one flow (the packet and how it is traced), as
 * yargs declares them. The trace command registers them from this table, and a line of
 * `netsim trace --batch FILE` is parsed against the same table (flow-line.ts), so a line takes
 * exactly the options the command does, with the same types, choices and defaults.
 */
import type { TraceQuery } from '../app/trace.js';
import { type Argv, addrPortOf, checkSeed, isPort, portProblem } from './arg-checks.js';

/** `--port`, `--protocol`, … as yargs options, in the command's help order. */
export const FLOW_OPTIONS = {
  port: { type: 'string', describe: "destination port: a number, or a Service port's name (default: the Service's first port, the pod's first container port, else 80)" },
  protocol: { type: 'string', choices: ['tcp', 'udp', 'sctp', 'icmp'], describe: "protocol (default: the Service port's, else tcp)" },
  seed: { type: 'number', default: 1, describe: 'seed for random choices (which backend a Service picks)' },
  'all-paths': { type: 'boolean', default: false, describe: 'one trace per random outcome (every backend), each with its probability' },
  reply: { type: 'boolean', default: true, describe: 'also trace the answer back (--no-reply to skip)' },
  size: { type: 'number', describe: "the IP packet's total length in bytes, headers included (default: a SYN, 60 bytes; 80 for IPv6)" },
  df: { type: 'boolean', default: true, describe: "set don't-fragment (--no-df: let hosts and routers fragment IPv4)" },
  dns: { type: 'boolean', describe: "look DST up as the source pod's resolver would first, and trace the query (default: for DNS names such as web.shop.svc.cluster.local, and headless or ExternalName Services; --no-dns to skip)" },
  family: { type: 'number', choices: [4, 6], describe: 'the address family on a dual-stack cluster: which address of a pod, Service or node to use (default: that of an IP given as DST or SRC, else the first)' },
} as const;

/** The name of one flow option. */
export type FlowOptionName = keyof typeof FLOW_OPTIONS;

/** The flow options' names, in table order. */
export const FLOW_OPTION_NAMES = Object.keys(FLOW_OPTIONS) as FlowOptionName[];

/** A flow's arguments as yargs parses them (a command line of `netsim trace`, or a line of a batch). */
export interface FlowArgs {
  readonly src: string;
  readonly dst: string;
  readonly port?: string;
  readonly protocol?: 'tcp' | 'udp' | 'sctp' | 'icmp';
  readonly seed: number;
  readonly 'all-paths': boolean;
  readonly reply: boolean;
  readonly size?: number;
  readonly df: boolean;
  readonly dns?: boolean;
  readonly family?: number;
}

/**
 * The checks yargs' types and choices cannot make: ports 1–65535 (in --port and in IP:PORT), no
 * port with ICMP, a whole-number size and seed (--size's range depends on the packet: planFlow).
 */
export function checkFlowValues(argv: Argv): true | string {
  const port = argv['port'];
  const dstPort = typeof argv['dst'] === 'string' ? addrPortOf(argv['dst']) : undefined;
  if (typeof port === 'string' && portProblem(port) !== undefined) return `--port ${portProblem(port)}`;
  if (dstPort !== undefined && !isPort(Number(dstPort))) return `${String(argv['dst'])}: port ${dstPort} is not a port: ports are 1–65535`;
  if (argv['protocol'] === 'icmp' && (port !== undefined || dstPort !== undefined)) return '--protocol icmp has no ports: drop --port (and the :PORT of the destination)';
  const size = argv['size'];
  if (size !== undefined && !(typeof size === 'number' && Number.isInteger(size))) return `--size must be a whole number of bytes, got ${String(size)}`;
  return checkSeed(argv);
}

/** The query runTrace takes, from checked arguments. */
export function flowQuery(a: FlowArgs): TraceQuery {
  const port = a.port === undefined ? undefined : /^\d+$/.test(a.port) ? Number(a.port) : a.port;
  return {
    src: a.src,
    dst: a.dst,
    seed: a.seed,
    allPaths: a['all-paths'],
    reply: a.reply,
    df: a.df,
    ...(a.size !== undefined ? { size: a.size } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(a.protocol !== undefined ? { protocol: a.protocol } : {}),
    ...(a.family === 4 || a.family === 6 ? { family: a.family } : {}),
  };
}
