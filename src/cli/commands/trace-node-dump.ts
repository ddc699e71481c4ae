/** `netsim trace SRC DST --node-dump DIR [--in DEV]`: one packet through a real node's dump. */
import { traceNodeDump } from '../../app/node-dump.js';
import { packetText } from '../../render/packet-text.js';
import { chooseStyle } from '../../render/style.js';
import { traceText } from '../../render/trace-text.js';
import { warningJson } from '../../render/trace-json.js';
import { addrPortOf } from '../arg-checks.js';
import { type CliIo, EXIT } from '../io.js';
import { loadNodeDump } from '../node-dump-input.js';
import { packetFromArgs } from '../packet-args.js';

/** What the node-dump trace reads of `trace`'s arguments. */
export interface NodeDumpTraceArgs {
  readonly src: string;
  readonly dst: string;
  readonly port?: string;
  readonly protocol?: string;
  readonly in?: string;
  readonly seed: number;
  readonly output: string;
  readonly dir: string;
}

/** Traces SRC → DST (IP addresses) through the dump's node; prints the trace as text or JSON. */
export function nodeDumpTraceAction(io: CliIo, a: NodeDumpTraceArgs): number {
  if (a.output === 'html') return usage(io, '--node-dump traces print text or JSON: use -o text or -o json');
  const hostPort = addrPortOf(a.dst);
  const dstIp = hostPort === undefined ? a.dst : a.dst.slice(0, a.dst.length - hostPort.length - 1).replace(/^\[(.*)\]$/, '$1');
  const dport = a.port !== undefined ? Number(a.port) : hostPort !== undefined ? Number(hostPort) : undefined;
  if (a.port !== undefined && !/^\d+$/.test(a.port)) return usage(io, `--port ${a.port}: with --node-dump a port is a number (there are no Services to name one)`);
  const built = packetFromArgs({ src: a.src, dst: dstIp, proto: a.protocol ?? 'tcp', ...(dport !== undefined ? { dport } : {}) });
  if ('usage' in built) return usage(io, `${built.usage.replace(/^--src/, 'SRC').replace(/^--dst/, 'DST')} (with --node-dump SRC and DST are IP addresses)`);
  const node = loadNodeDump(io, a.dir);
  if (node === undefined) return EXIT.INPUT_ERROR;
  const r = traceNodeDump(node.value, built.packet, { ...(a.in !== undefined ? { inDev: a.in } : {}), seed: a.seed });
  if ('problem' in r) return usage(io, r.problem);
  const where = a.in === undefined ? `sent by node ${node.value.ns.name}` : `entering node ${node.value.ns.name} on ${a.in}`;
  if (a.output === 'json') {
    const warnings = node.diagnostics.map(warningJson);
    io.stdout(`${JSON.stringify({ node: node.value.ns.name, start: a.in === undefined ? { at: 'local-out' } : { at: 'rx', dev: a.in }, trace: r.trace, ...(warnings.length > 0 ? { warnings } : {}) }, null, 2)}\n`);
    return EXIT.OK;
  }
  io.stdout(`trace ${packetText(built.packet)}, ${where}\n\n${traceText(r.trace, chooseStyle(io.isTTY, io.env))}\n`);
  return EXIT.OK;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`netsim trace: ${message}\nRun 'netsim trace --help' for usage.\n`);
  return EXIT.USAGE;
}
