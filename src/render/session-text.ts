/**
 * A session (`netsim trace SRC DST --then STEP …`) as text and JSON: each step under a heading
 * with the simulated time, a connection as `netsim trace` prints a round trip, a single packet
 * as one direction, `wait` with the conntrack entries that expired meanwhile (as `conntrack -L`
 * showed them just before), and `delete pod` with what kube-proxy cleaned up.
 */
import { packetJson } from '../packet/json.js';
import type { Packet } from '../packet/packet.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import { assertNever } from '../diag/diagnostic.js';
import type { StepRun } from '../trace/session/run.js';
import { packetText } from './packet-text.js';
import { PLAIN, type Style } from './style.js';
import { traceDocument } from './trace-json.js';
import { type AddressNamer, roundTripText, traceText } from './trace-text.js';

/** Version of the JSON of a session's step. */
export const SESSION_STEP_SCHEMA = 'netsim.trace-step/v1';

/** `tcp 10.244.0.2:40000 → 10.96.0.2:80 [ACK]`: a packet and, for TCP, its flags. */
function packetWithFlags(p: Packet): string {
  return p.l4.proto === 'tcp' ? `${packetText(p)} [${p.l4.flags.join(',')}]` : packetText(p);
}

/** `=== step 3 (t=130s): wait 130s` */
export function stepHeading(n: number, run: StepRun, firstText: string): string {
  return `=== step ${n} (t=${run.time}s): ${n === 1 ? firstText : run.text}`;
}

/** The header of a connection, as `netsim trace` writes its first line. */
function connectionHeader(run: Extract<StepRun, { kind: 'connect' }>): string {
  return `trace ${run.conn.srcLabel} → ${run.conn.dstLabel}: ${packetText(run.conn.flow.packet)}`;
}

/** One step's body (without its heading). */
export function stepBodyText(run: StepRun, style: Style, names: AddressNamer, label: (ns: string) => string): string {
  switch (run.kind) {
    case 'connect':
      return roundTripText({ header: connectionHeader(run), ...run.trip }, style, names);
    case 'packet':
      return `${style.bold(`${run.text} from ${label(run.from)}: ${packetWithFlags(run.packet)}`)}\n\n${traceText(run.trace, style, names)}\n`;
    case 'wait':
      if (run.expired.length === 0) return 'no conntrack entry expired in the namespaces the session crossed\n';
      return `conntrack entries that expired (as conntrack -L listed them before the wait):\n${run.expired.map((e) => `  ${e.ns}: ${e.entry}`).join('\n')}\n`;
    case 'delete':
      return deleteText(run);
    case 'nothing':
      return `nothing sent: ${run.why}\n`;
    default:
      return assertNever(run, 'session step');
  }
}

function deleteText(run: Extract<StepRun, { kind: 'delete' }>): string {
  const lines = [`pod ${run.pod} (${run.ips.join(', ')}) deleted: its network namespace and veth are gone`];
  lines.push(run.services.length === 0 ? 'no Service selected it' : `EndpointSlices of ${run.services.join(', ')} no longer list it; kube-proxy resynced on every node`);
  if (run.conntrack.length === 0) lines.push('conntrack: no UDP entry of a Service pointed at it (kube-proxy leaves TCP entries alone)');
  for (const c of run.conntrack) for (const e of c.entries) lines.push(`conntrack: kube-proxy on ${c.node} deleted  ${e}`);
  return `${lines.join('\n')}\n`;
}

/** The whole session as text: each step under its heading. */
export function sessionText(runs: readonly StepRun[], firstText: string, style: Style = PLAIN, names: AddressNamer = () => undefined, label: (ns: string) => string = (ns) => ns): string {
  return runs.map((r, i) => `${style.bold(stepHeading(i + 1, r, firstText))}\n${stepBodyText(r, style, names, label)}`).join('\n');
}

/** One step as the JSON array holds it. */
function stepJson(run: StepRun, n: number, firstText: string, warnings: readonly Diagnostic[]): object {
  const head = { schema: SESSION_STEP_SCHEMA, step: n, command: n === 1 ? firstText : run.text, time: run.time, kind: run.kind };
  switch (run.kind) {
    case 'connect': {
      const header = { src: run.conn.srcLabel, dst: run.conn.dstLabel, packet: packetJson(run.conn.flow.packet) };
      return { ...head, trace: traceDocument(header, [run.trip], false, n === 1 ? warnings : []) };
    }
    case 'packet':
      return { ...head, from: run.from, packet: packetJson(run.packet), disposition: run.trace.ending.disposition, trace: run.trace };
    case 'wait':
      return { ...head, expired: run.expired };
    case 'delete':
      return { ...head, pod: run.pod, ips: run.ips, services: run.services, conntrackDeleted: run.conntrack };
    case 'nothing':
      return { ...head, why: run.why };
    default:
      return assertNever(run, 'session step');
  }
}

/** The session as JSON: an array of its steps (docs/trace-schema.md). */
export function sessionJson(runs: readonly StepRun[], firstText: string, warnings: readonly Diagnostic[] = []): string {
  return `${JSON.stringify(runs.map((r, i) => stepJson(r, i + 1, firstText, warnings)), null, 2)}\n`;
}
