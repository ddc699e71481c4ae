/** `netsim trace SRC DST`: a packet's way through the cluster, hop by hop, and back. */
import type { Argv } from 'yargs';
import { formatIp } from '../../addr/ip.js';
import type { BuiltCluster } from '../../cluster/build/build.js';
import { resolveEndpoint } from '../../cluster/lookup.js';
import { packetText } from '../../render/packet-text.js';
import { packetJson } from '../../render/packet-text.js';
import { chooseStyle } from '../../render/style.js';
import { traceJson } from '../../render/trace-json.js';
import { roundTripText } from '../../render/trace-text.js';
import { rngChooser, seededRng } from '../../sim/context.js';
import { allRoundTrips, planFlow, roundTrip } from '../../trace/cluster-trace.js';
import { loadCluster } from '../cluster-input.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../run.js';
import { traceReport } from './diagram.js';

interface TraceArgs {
  src: string;
  dst: string;
  port?: string;
  protocol?: 'tcp' | 'udp' | 'sctp' | 'icmp';
  file?: string;
  output: string;
  seed: number;
  'all-paths': boolean;
  reply: boolean;
}

/** `netsim trace SRC DST` */
export const traceCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'trace <src> <dst>',
      'Trace a packet from a pod or node to a pod, Service, node or IP, and its reply',
      (y) =>
        y
          .positional('src', { type: 'string', demandOption: true, describe: 'pod (name or namespace/name), node, or IP' })
          .positional('dst', { type: 'string', demandOption: true, describe: 'pod, Service (name, name.namespace, svc/name), node, IP or IP:port' })
          .option('port', { type: 'string', describe: "destination port: a number, or a Service port's name (default: the Service's first port, the pod's first container port, else 80)" })
          .option('protocol', { type: 'string', choices: ['tcp', 'udp', 'sctp', 'icmp'] as const, describe: "protocol (default: the Service port's, else tcp)" })
          .option('file', { alias: 'f', type: 'string', describe: 'scenario file or folder (default: the built-in scenario)' })
          .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'html'], default: 'text', describe: 'output format (html: a self-contained report with the picture)' })
          .option('seed', { type: 'number', default: 1, describe: 'seed for random choices (which backend a Service picks)' })
          .option('all-paths', { type: 'boolean', default: false, describe: 'one trace per random outcome (every backend), each with its probability' })
          .option('reply', { type: 'boolean', default: true, describe: 'also trace the answer back (--no-reply to skip)' })
          .example('$0 trace pod-a service-b', 'a pod reaches a ClusterIP Service on the built-in scenario')
          .example('$0 trace pod-a service-b --all-paths', 'every backend the Service may pick, with probabilities')
          .example('$0 trace default/pod-a 10.244.1.2:8080 -f scenarios/default.yaml -o json', 'pod to pod IP, as JSON')
          .example('$0 trace pod-a service-b -o html > trace.html', 'an HTML report: the picture and the hops side by side'),
      (argv) => setAction(() => traceAction(io, argv as unknown as TraceArgs)),
    );
  },
};

function traceAction(io: CliIo, a: TraceArgs): number | Promise<number> {
  const built = loadCluster(io, a.file, a.seed);
  if (built === undefined) return EXIT.INPUT_ERROR;
  const src = resolveEndpoint(built, a.src);
  if ('problem' in src) return usage(io, `source: ${src.problem}`);
  const dst = resolveEndpoint(built, a.dst);
  if ('problem' in dst) return usage(io, `destination: ${dst.problem}`);
  const port = a.port === undefined ? undefined : /^\d+$/.test(a.port) ? Number(a.port) : a.port;
  const flow = planFlow(built, {
    src: src.endpoint,
    dst: dst.endpoint,
    reply: a.reply,
    ...(port !== undefined ? { port } : {}),
    ...(a.protocol !== undefined ? { protocol: a.protocol } : {}),
  });
  if ('problem' in flow) return usage(io, flow.problem);
  const trips = a['all-paths']
    ? allRoundTrips(built, flow, { reply: a.reply })
    : [roundTrip(built, structuredClone(built.world), flow, { chooser: rngChooser(seededRng(a.seed)), reply: a.reply })];
  const header = `trace ${src.endpoint.label} → ${dst.endpoint.label}: ${packetText(flow.packet)}`;
  const first = trips[0];
  if (a.output === 'html' && first !== undefined) {
    const service = dst.endpoint.kind === 'service' ? { service: { namespace: dst.endpoint.service.namespace, name: dst.endpoint.service.name } } : {};
    return traceReport(built, { header, trip: first, ...service }).then((page) => {
      io.stdout(page);
      return EXIT.OK;
    });
  }
  if (a.output === 'json') {
    io.stdout(traceJson({ src: src.endpoint.label, dst: dst.endpoint.label, packet: packetJson(flow.packet) }, trips, a['all-paths']));
  } else {
    const style = chooseStyle(io.isTTY, io.env);
    io.stdout(trips.map((t) => roundTripText({ header, ...t }, style, addressNamer(built))).join('\n'));
  }
  return EXIT.OK;
}

/** Names pod, Service and node addresses, so NAT lines say which backend was chosen. */
function addressNamer(built: BuiltCluster): (addr: string) => string | undefined {
  const names = new Map<string, string>();
  for (const n of built.spec.nodes) for (const a of n.internalIPs) names.set(formatIp(a), `node ${n.name}`);
  for (const s of built.spec.services) for (const a of s.clusterIPs) names.set(formatIp(a), `service ${s.namespace}/${s.name}`);
  for (const p of built.pods) if (!p.pod.hostNetwork) for (const a of p.ips) names.set(formatIp(a), `pod ${p.pod.namespace}/${p.pod.name}`);
  return (addr) => names.get(addr);
}

function usage(io: CliIo, message: string): number {
  io.stderr(`netsim trace: ${message}\nRun 'netsim trace --help' for usage.\n`);
  return EXIT.USAGE;
}
