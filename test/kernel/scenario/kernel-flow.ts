/**
 * The kernel side of a flow, in a materialized scenario: real sockets and a real rule trace.
 *
 * A {@link Rig} runs for the whole scenario:
 * - every node gets two harness rules first in raw PREROUTING, `-p tcp --tcp-flags
 *   FIN,SYN,RST,ACK SYN -j TRACE` and the same for `SYN,ACK` (tagged `netsim-harness`), so
 *   `xtables-monitor --trace` reports the SYN and the SYN-ACK at each node they cross (bridged
 *   frames too: br_netfilter runs the inet hooks for them) and nothing else; one monitor per
 *   node runs throughout, and each flow reads what it printed meanwhile; the same two rules in
 *   raw OUTPUT trace what the node itself sends (node→pod, node→Service, the SYN-ACK of a
 *   pod→node connection); with UDP flows, UDP packets from or to the flows' ports are traced
 *   (raw PREROUTING and OUTPUT, `-m multiport --ports`: not VXLAN's outer packets), a packet to
 *   one of the flow's ports being the request and any other the answer; on a dual-stack scene
 *   the same rules go into ip6tables; IPv4 is read from `xtables-monitor --trace -4` and IPv6
 *   from `nft -a monitor trace` (xtables-monitor 1.8.9 cannot print an ip6tables rule with a
 *   port match and exits, see harness/nft-trace.ts);
 * - every pod listens on every port any flow of the scenario targets (`tcp_probe.py serve`), so
 *   whichever backend the kernel picks answers and says what it saw (local and peer address);
 *   nodes listen on the pod→node flows' port.
 *
 * Listeners do not retransmit SYN-ACKs (`net.ipv4.tcp_synack_retries=0` in every node and pod).
 *
 * Per flow: conntrack and the `-m recent` lists (session affinity) are flushed in every node
 * (a fresh random backend choice, as each netsim trace starts from the built cluster), the source pod
 * connects from port 40000, netsim's client port (`tcp_probe.py connect`), says what it saw,
 * and closes with a reset, so the port is free for the next flow.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HARNESS_COMMENT } from '../harness/kernel-trace.js';
import { must, run, sleep } from '../harness/sh.js';
import { python3 } from '../harness/python.js';
import type { Step } from '../harness/steps.js';
import { type MonitorLog, monitorSteps, parseMonitor, traceIds } from '../harness/trace-parse.js';
import { IP6_TABLES, type RuleIndex, indexTable, parseNftTrace } from '../harness/nft-trace.js';
import type { FlowCase } from './flows.js';
import type { Family } from '../../../src/addr/ip.js';

const PROBE = fileURLToPath(new URL('./tcp_probe.py', import.meta.url));

/** netsim's client port (src/trace/cluster-trace.ts CLIENT_PORT). */
export const CLIENT_PORT = 40000;

/**
 * How long the client waits for the handshake. Under the first SYN retransmission (1 s), so the
 * rule trace holds one SYN: a node's trace ids are then all the same packet's (the id changes
 * when br_netfilter hands a frame up from a bridge port to the bridge device).
 */
export const CONNECT_TIMEOUT_S = 0.9;

/**
 * How many attempts of a flow may be set aside because the machine was too slow for them: the
 * client's SYN was sent again (the kernel retransmits after 1 s, and the client, meant to give up
 * at 0.9 s, had not run yet: conntrack may then choose a backend anew and the rule trace holds two
 * SYNs), or the client gave up where netsim answers. A real difference fails every attempt.
 */
export const SLOW_RETRIES = 3;

/**
 * Why an attempt says more about the machine's load than about the datapath, if it does
 * (`differs`: its outcome is not netsim's; `emptyTrace`: a node's rule trace came back empty
 * where netsim has steps, though the connection was made: that node's monitor fell behind).
 */
export function tooSlow(k: KernelFlow, differs: boolean, emptyTrace = false): string | undefined {
  if ((k.client.retrans ?? 0) > 0) return `the client's SYN was sent ${(k.client.retrans ?? 0) + 1} times`;
  if (k.client.error === 'timeout' && differs) return 'the client gave up where netsim answers';
  if (k.client.ok && emptyTrace) return "a node's rule trace came back empty though the connection was made";
  return undefined;
}

/** An address and port as a socket reports it. */
export type SockAddr = readonly [string, number];

/** What the client saw. */
export interface ClientView {
  readonly ok: boolean;
  readonly error?: string;
  readonly local?: SockAddr;
  readonly peer?: SockAddr;
  /** TCP: how many times the socket sent a segment again (tcpi_total_retrans): a SYN resent. */
  readonly retrans?: number;
}

/** What the accepting server saw, and where it runs (model namespace). */
export interface ServerView {
  readonly ns: string;
  readonly local: SockAddr;
  readonly peer: SockAddr;
}

/** One flow through the kernel. */
export interface KernelFlow {
  /** The client's source port (netsim's 40000, or 40000 + n for the n-th retry of a hairpin flow). */
  readonly sport: number;
  readonly client: ClientView;
  readonly server?: ServerView;
  /** Per node (model name): the steps of each traced SYN trace id, in the order the monitor saw them. */
  readonly steps: Readonly<Record<string, readonly (readonly Step[])[]>>;
  /** The same for the SYN-ACK (the reply). */
  readonly replySteps: Readonly<Record<string, readonly (readonly Step[])[]>>;
  /** Per node: `conntrack -L` after the flow (the NATed tuple of a packet that left). */
  readonly conntrack: Readonly<Record<string, string>>;
  /** Per node: what xtables-monitor printed during the flow. */
  readonly monitor: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

/** Where the flows run: model → real namespace names, the nodes and the pods (model names). */
export interface KernelScene {
  readonly names: Readonly<Record<string, string>>;
  readonly nodes: readonly string[];
  readonly pods: readonly string[];
  /** Per family, the nodes whose model ruleset has a raw table of its own (else raw is the harness's). */
  readonly nodesWithRaw: Readonly<Record<Family, ReadonlySet<string>>>;
  /** The families flows run in: ip6tables gets the TRACE rules only when 6 is one. */
  readonly families: readonly Family[];
}

/** A long-running process inside a namespace whose output is read piecewise. */
interface Proc {
  readonly child: ChildProcess;
  out: string;
  err: string;
  lastData: number;
  readonly closed: Promise<void>;
}

function startProc(real: string, argv: readonly string[]): Proc {
  const child = spawn('ip', ['netns', 'exec', real, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, out: '', err: '', lastData: Date.now(), closed: new Promise((resolve) => child.on('close', () => resolve())) };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => ((p.out += d), (p.lastData = Date.now())));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (p.err += d));
  child.on('error', (e) => (p.err += `${e.message}\n`));
  return p;
}

const running = (p: Proc): boolean => p.child.exitCode === null && p.child.signalCode === null;

async function stopProc(p: Proc): Promise<void> {
  if (running(p)) p.child.kill('SIGTERM');
  await Promise.race([p.closed, sleep(1500)]);
  if (running(p)) p.child.kill('SIGKILL');
}

async function waitFor(p: Proc, text: string, maxMs: number): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  while (!p.out.includes(text) && Date.now() < deadline && running(p)) await sleep(20);
  return p.out.includes(text);
}

/** The listeners and monitors of one materialized scenario. Call {@link Rig.close} in a `finally`. */
export interface Rig {
  readonly scene: KernelScene;
  readonly servers: ReadonlyMap<string, Proc>;
  /** Per node, `xtables-monitor --trace -4`. */
  readonly monitors: ReadonlyMap<string, Proc>;
  /** Per node, `nft -a monitor trace` (IPv6 scenes only) and the ip6tables rules by nft handle. */
  readonly monitors6: ReadonlyMap<string, Proc>;
  readonly rules6: ReadonlyMap<string, RuleIndex>;
  close(): Promise<void>;
}

/** Every ip6tables rule of the node by its nft handle (after the harness's rules went in). */
function ip6RuleIndex(real: string): RuleIndex {
  const ix = new Map<string, string>();
  for (const table of IP6_TABLES) {
    const listing = run('ip', ['netns', 'exec', real, 'nft', '-a', 'list', 'table', 'ip6', table]);
    if (listing.code !== 0) continue; // no such table here
    indexTable(table, listing.stdout, must('ip', ['netns', 'exec', real, 'ip6tables-save', '-t', table]), ix);
  }
  return ix;
}

/** What listens and what is traced: the pods' TCP and UDP ports, the nodes' TCP ports, and the UDP ports traced (default: `udp`). */
export interface RigPorts {
  readonly tcp: readonly number[];
  readonly udp: readonly number[];
  readonly node: readonly number[];
  /** UDP ports whose packets (either direction) are traced: the flows' destination ports and the ports they are DNATed to. */
  readonly udpTraced?: readonly number[];
}

/** The harness's TRACE rules of one node: TCP SYN and SYN-ACK, and UDP from or to the traced ports (multiport takes 15 ports a rule). */
function traceRules(udpPorts: readonly number[]): { chain: string; rule: string[] }[] {
  const tag = ['-m', 'comment', '--comment', HARNESS_COMMENT, '-j', 'TRACE'];
  const out: { chain: string; rule: string[] }[] = [];
  for (const [chain, flags] of [['PREROUTING', 'SYN'], ['PREROUTING', 'SYN,ACK'], ['OUTPUT', 'SYN'], ['OUTPUT', 'SYN,ACK']] as const) {
    out.push({ chain, rule: ['-p', 'tcp', '--tcp-flags', 'FIN,SYN,RST,ACK', flags, ...tag] });
  }
  for (let i = 0; i < udpPorts.length; i += 15) {
    const list = udpPorts.slice(i, i + 15).join(',');
    for (const chain of ['PREROUTING', 'OUTPUT']) out.push({ chain, rule: ['-p', 'udp', '-m', 'multiport', '--ports', list, ...tag] });
  }
  return out;
}

/** Arms tracing in every node, starts a listener in every pod (on the TCP and UDP `ports`) and a monitor in every node. */
export async function startRig(scene: KernelScene, ports: RigPorts): Promise<Rig> {
  const servers = new Map<string, Proc>();
  const monitors = new Map<string, Proc>();
  const monitors6 = new Map<string, Proc>();
  const rules6 = new Map<string, RuleIndex>();
  const close = async (): Promise<void> => {
    await Promise.all([...servers.values(), ...monitors.values(), ...monitors6.values()].map(stopProc));
  };
  try {
    const rules = traceRules([...new Set(ports.udpTraced ?? ports.udp)].sort((a, b) => a - b));
    const tools = scene.families.map((f) => (f === 4 ? 'iptables' : 'ip6tables'));
    for (const node of scene.nodes) {
      for (const tool of tools) for (const { chain, rule } of rules) must('ip', ['netns', 'exec', scene.names[node] as string, tool, '-t', 'raw', '-I', chain, '1', ...rule]);
      monitors.set(node, startProc(scene.names[node] as string, ['xtables-monitor', '--trace', '-4']));
      if (scene.families.includes(6)) {
        rules6.set(node, ip6RuleIndex(scene.names[node] as string));
        monitors6.set(node, startProc(scene.names[node] as string, ['nft', '-a', 'monitor', 'trace']));
      }
    }
    // A SYN-ACK that is never acknowledged (its reply path leaves the cluster, as across a router
    // without pod routes) would be retransmitted after 1 s, 3 s, … into later flows' rule traces:
    // no retransmissions, so each flow's trace holds its own packets only.
    for (const ns of [...scene.nodes, ...scene.pods]) must('ip', ['netns', 'exec', scene.names[ns] as string, 'sysctl', '-q', '-w', 'net.ipv4.tcp_synack_retries=0']);
    for (const ns of scene.pods) servers.set(ns, startProc(scene.names[ns] as string, [python3(), PROBE, 'serve', '--ports', ports.tcp.join(','), '--udp-ports', ports.udp.join(',')]));
    if (ports.node.length > 0) for (const ns of scene.nodes) servers.set(ns, startProc(scene.names[ns] as string, [python3(), PROBE, 'serve', '--ports', ports.node.join(',')]));
    for (const [ns, p] of servers) if (!(await waitFor(p, 'ready', 15_000))) throw new Error(`the listener in ${ns} did not start: ${p.err.trim()}`);
    await sleep(300); // the monitors subscribe to their netlink group
    for (const [node, p] of monitors) if (!running(p)) throw new Error(`xtables-monitor in ${node} exited: ${p.err.trim()}`);
    for (const [node, p] of monitors6) if (!running(p)) throw new Error(`nft monitor trace in ${node} exited: ${p.err.trim()}`);
    return { scene, servers, monitors, monitors6, rules6, close };
  } catch (e) {
    await close();
    throw e;
  }
}

function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as T);
}

/** Waits until every monitor has been quiet for `quietMs` (at most `maxMs`). */
async function monitorsQuiet(rig: Rig, quietMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    if ([...rig.monitors.values(), ...rig.monitors6.values()].every((p) => Date.now() - p.lastData >= quietMs)) return;
    await sleep(50);
  }
}

/**
 * Sends the flow once and collects both ends' views and every node's rule trace. Retries use a
 * new source port, so no state a previous attempt left behind (a conntrack entry recreated by a
 * late packet after the flush) can pin them to the same backend.
 */
export async function sendInKernel(rig: Rig, flow: FlowCase, sport: number = CLIENT_PORT): Promise<KernelFlow> {
  const { scene } = rig;
  const notes: string[] = [];
  for (const node of scene.nodes) {
    run('ip', ['netns', 'exec', scene.names[node] as string, 'conntrack', '-F']);
    // Session affinity (`-m recent`) remembers clients across flows; netsim starts each trace afresh.
    run('ip', ['netns', 'exec', scene.names[node] as string, 'sh', '-c', 'for f in /proc/net/xt_recent/*; do [ -e "$f" ] && echo / > "$f"; done; true']);
  }
  await monitorsQuiet(rig, 200, 2000);
  const mons = flow.family === 6 ? rig.monitors6 : rig.monitors;
  const monStart = new Map([...mons].map(([n, p]) => [n, p.out.length]));
  const srvStart = new Map([...rig.servers].map(([n, p]) => [n, p.out.length]));
  const r = run('ip', ['netns', 'exec', scene.names[flow.srcNs] as string, python3(), PROBE, 'connect', '--dst', flow.dstIp, '--dport', String(flow.dport), '--sport', String(sport), '--timeout', String(CONNECT_TIMEOUT_S), ...(flow.proto === 'udp' ? ['--udp'] : [])]);
  const client = jsonLines<ClientView>(r.stdout).pop() ?? { ok: false, error: `client printed nothing (${r.code}): ${r.stderr.trim()}` };
  const accepted = (): ServerView[] =>
    [...rig.servers].flatMap(([ns, p]) =>
      jsonLines<{ local: SockAddr; peer: SockAddr }>(p.out.slice(srvStart.get(ns) ?? 0)).map((v) => ({ ns, local: v.local, peer: v.peer })),
    );
  const deadline = Date.now() + (client.ok ? 2000 : 0);
  while (accepted().length === 0 && Date.now() < deadline) await sleep(20);
  await sleep(150);
  await monitorsQuiet(rig, 300, 2000);
  const seen = accepted();
  if (seen.length > 1) notes.push(`${seen.length} listeners accepted a connection: ${seen.map((a) => a.ns).join(', ')}`);
  const steps: Record<string, Step[][]> = {};
  const replySteps: Record<string, Step[][]> = {};
  const monitor: Record<string, string> = {};
  for (const [node, p] of mons) {
    monitor[node] = p.out.slice(monStart.get(node) ?? 0);
    const log: MonitorLog = flow.family === 6 ? parseNftTrace(monitor[node], 'ip6', rig.rules6.get(node) ?? new Map()) : parseMonitor(monitor[node]);
    const ownTable = (t: string): boolean => t === 'raw' && !scene.nodesWithRaw[flow.family].has(node);
    const flowPorts = new Set([flow.dport, ...flow.listenPorts].map(String));
    const isReply = (id: string): boolean => {
      const f = log.packets.find((x) => x.id === id)?.fields;
      if (f === undefined) return false;
      return flow.proto === 'udp' ? !flowPorts.has(f['DPORT'] ?? '') : f['ACK'] !== undefined;
    };
    const of = (id: string): Step[] => monitorSteps(log, id, { ownRule: (_t, rule) => rule.includes(`--comment ${HARNESS_COMMENT}`), ownTable });
    steps[node] = traceIds(log).filter((id) => !isReply(id)).map(of);
    replySteps[node] = traceIds(log).filter(isReply).map(of);
  }
  const conntrack: Record<string, string> = {};
  for (const node of scene.nodes) conntrack[node] = run('ip', ['netns', 'exec', scene.names[node] as string, 'conntrack', '-L']).stdout;
  const server = seen[0];
  return { sport, client, ...(server !== undefined ? { server } : {}), steps, replySteps, conntrack, monitor, notes };
}
