/**
 * Explaining Felix's policy verdicts in Kubernetes terms. The datapath decides: a packet is
 * dropped by a workload chain's "Drop if no policies passed packet" rule, or let through by its
 * "Return if policy accepted" rule after a policy chain set the accept mark. After each such
 * step this adds a `note` that says the same in NetworkPolicy words, from the independent
 * evaluator (src/policy): which policies isolate the pod, or which policy and rule allowed it.
 *
 *   dropped by default deny: pod y/b is selected by NetworkPolicy y/deny-all (ingress), no rule allows x/a on TCP 80
 *   allowed by NetworkPolicy y/allow-web ingress rule #1 (from namespaceSelector ns=x, on TCP 80)
 *
 * The note never replaces the step; when the evaluator disagrees with the datapath, the note
 * says so (a difference between Calico and the API's semantics, or a netsim bug).
 */
import { type Ip, ipEquals, parseIp } from '../addr/ip.js';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { policyWorldOf } from '../cluster/netpol-world.js';
import { type PolicyEndpoint, type PolicyProtocol, type PolicyQuery, type PolicyType, type PolicyVerdict, type SideVerdict, explainVerdict, side } from '../policy/index.js';
import type { PacketJson } from '../packet/json.js';
import type { Hop, Step, Trace } from './types.js';

const PROTOCOLS: Readonly<Record<string, PolicyProtocol>> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

/** Rule comments Felix writes in a workload chain's tier block (felix/rules/endpoints.go). */
const DROP_COMMENT = '"Drop if no policies passed packet"';
const ACCEPT_COMMENT = '"Return if policy accepted"';

/** Which direction a workload chain polices: `cali-tw-` the pod's ingress, `cali-fw-` its egress. */
function directionOf(chain: string): PolicyType | undefined {
  if (chain.startsWith('cali-tw-')) return 'Ingress';
  if (chain.startsWith('cali-fw-')) return 'Egress';
  return undefined;
}

/** A Felix tier-block verdict in a step: the direction and whether the packet was dropped. */
function felixVerdict(s: Step): { type: PolicyType; dropped: boolean } | undefined {
  if (s.type !== 'netfilter') return undefined;
  const type = directionOf(s.chain.split('/').pop() ?? '');
  if (type === undefined) return undefined;
  if (s.rule.includes(DROP_COMMENT)) return { type, dropped: true };
  if (s.rule.includes(ACCEPT_COMMENT)) return { type, dropped: false };
  return undefined;
}

/** The pod with this address (not a hostNetwork pod: those are their node), or just the address. */
function endpointAt(built: Pick<BuiltCluster, 'pods'>, ip: Ip): PolicyEndpoint {
  const pod = built.pods.find((p) => !p.pod.hostNetwork && p.ips.some((a) => ipEquals(a, ip)));
  return pod === undefined ? { ip } : { pod: pod.pod, ip };
}

/** The query the evaluator answers for the packet as the node saw it (after DNAT). */
function queryOf(built: Pick<BuiltCluster, 'pods'>, p: PacketJson): PolicyQuery | undefined {
  const protocol = PROTOCOLS[p.proto];
  const src = parseIp(p.src);
  const dst = parseIp(p.dst);
  if (protocol === undefined || p.dport === undefined || src === undefined || dst === undefined || p.encap !== undefined) return undefined;
  return { src: endpointAt(built, src), dst: endpointAt(built, dst), protocol, port: p.dport };
}

/** The note for one Felix verdict on `q`, from the evaluator's side for that direction. */
export function policyNoteText(built: Pick<BuiltCluster, 'spec' | 'pods'>, q: PolicyQuery, type: PolicyType, dropped: boolean): string {
  const world = policyWorldOf(built.spec);
  const v = side(world, q, type);
  const other: SideVerdict = { kind: 'not-isolated', why: 'no-policy' };
  const verdict: PolicyVerdict = type === 'Ingress' ? { allowed: v.kind !== 'denied', egress: other, ingress: v } : { allowed: v.kind !== 'denied', egress: v, ingress: other };
  const text = explainVerdict(world, q, verdict);
  const agrees = dropped === (v.kind === 'denied');
  return agrees ? text : `Felix ${dropped ? 'dropped' : 'allowed'} it, but NetworkPolicy semantics say: ${text}`;
}

/** The trace with a note after each step where Felix's policy tier dropped or accepted the packet. */
export function notePolicyVerdicts(trace: Trace, built: Pick<BuiltCluster, 'spec' | 'pods'>): Trace {
  if (built.spec.networkPolicies.length === 0) return trace;
  const q = queryOf(built, trace.ending.packet);
  if (q === undefined) return trace;
  let changed = false;
  const hops = trace.hops.map((h): Hop => {
    const steps: Step[] = [];
    for (const s of h.steps) {
      steps.push(s);
      const f = felixVerdict(s);
      if (f === undefined) continue;
      steps.push({ type: 'note', text: policyNoteText(built, q, f.type, f.dropped) });
      changed = true;
    }
    return { ...h, steps };
  });
  return changed ? { ...trace, hops } : trace;
}
