/**
 * A first-packet tracer over a payload with the semantics of upstream's test tracer
 * (tracePacket / iptablesTracer in pkg/proxy/iptables/proxier_test.go; reference note §11), so
 * upstream packet-flow test vectors can be checked against our payloads without the kernel
 * model. It understands only the matches kube-proxy writes; affinity, mark and conntrack-state
 * checks never match; every probabilistic branch is followed. Used only by tests.
 */
import { cidrContains, parseCidr, parseIp } from '../../../addr/index.js';
import { type DumpTable, parseDump } from '../dump.js';

/** One upstream packetFlowTest case. */
export interface PacketFlowTest {
  readonly name: string;
  readonly sourceIP: string;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly destIP: string;
  readonly destPort: number;
  /** DNAT targets joined by ", ", or ACCEPT / DROP / REJECT, or "" when nothing matched. */
  readonly output: string;
  readonly masq?: boolean;
}

interface Packet {
  readonly src: string;
  readonly proto: string;
  readonly dst: string;
  readonly dport: string;
}

/** Splits a rule into words, keeping double-quoted comments as one word. */
function words(rule: string): string[] {
  return rule.match(/"[^"]*"|\S+/g) ?? [];
}

function inAddr(spec: string, addr: string): boolean {
  const c = parseCidr(spec);
  const a = parseIp(addr);
  return c !== undefined && a !== undefined && cidrContains(c, a);
}

/** Whether every condition of the rule holds for the packet (unknown matches hold). */
function matches(w: readonly string[], p: Packet, local: ReadonlySet<string>): boolean {
  for (let i = 0; i < w.length; i++) {
    const negate = w[i - 1] === '!';
    const arg = w[i + 1] ?? '';
    let ok: boolean | undefined;
    switch (w[i]) {
      case '-s':
        ok = inAddr(arg, p.src);
        break;
      case '-d':
        ok = inAddr(arg, p.dst);
        break;
      case '--src-type':
        ok = local.has(p.src);
        break;
      case '--dst-type':
        ok = local.has(p.dst);
        break;
      case '-p':
        ok = arg === p.proto;
        break;
      case '--dport':
        ok = arg === p.dport;
        break;
      case '--rcheck':
      case '--mark':
      case '--ctstate':
        return false;
    }
    if (ok !== undefined && ok === negate) return false;
  }
  return true;
}

class Tracer {
  outputs: string[] = [];
  masq = false;
  constructor(
    private readonly tables: readonly DumpTable[],
    private readonly local: ReadonlySet<string>,
  ) {}

  /** Runs a chain; true when the packet reached a terminal verdict. */
  run(table: string, chain: string, p: Packet): boolean {
    const rules = this.tables.find((t) => t.name === table)?.chains.find((c) => c.name === chain)?.rules ?? [];
    for (const rule of rules) {
      const w = words(rule);
      const target = w[w.indexOf('-j') + 1];
      if (!w.includes('-j') || target === undefined || !matches(w, p, this.local)) continue;
      if (target === 'KUBE-MARK-MASQ') {
        this.masq = true;
      } else if (target === 'ACCEPT' || target === 'REJECT' || target === 'DROP') {
        this.outputs.push(target);
        return true;
      } else if (target === 'DNAT') {
        this.outputs.push(w[w.indexOf('--to-destination') + 1] ?? '');
        return true;
      } else if (this.run(table, target, p) && !w.includes('--probability')) {
        return true;
      }
    }
    return false;
  }
}

function hostOf(endpoint: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(endpoint);
  return bracketed?.[1] ?? endpoint.split(':')[0] ?? endpoint;
}

/** Traces one packet: nat KUBE-SERVICES, then the four filter chains, as upstream does. */
export function tracePacket(payload: string, test: PacketFlowTest, nodeIPs: readonly string[]): { output: string; masq: boolean } {
  const tracer = new Tracer(parseDump(payload), new Set(['127.0.0.1', '::1', ...nodeIPs]));
  const proto = (test.protocol ?? 'TCP').toLowerCase();
  const packet: Packet = { src: test.sourceIP, proto, dst: test.destIP, dport: String(test.destPort) };
  tracer.run('nat', 'KUBE-SERVICES', packet);
  const first = tracer.outputs[0];
  // DNAT changes the destination address the filter chains see; upstream keeps the port.
  const afterNat = first === undefined ? packet : { ...packet, dst: hostOf(first) };
  for (const chain of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) {
    tracer.run('filter', chain, afterNat);
  }
  return { output: tracer.outputs.join(', '), masq: tracer.masq };
}
