/**
 * Explaining Felix's policy verdicts in Kubernetes terms. The datapath decides: a packet is
 * dropped by a workload chain's "End of tier default. Drop if no policies passed packet" rule
 * or by a Deny rule's DROP in a policy chain (`cali-pi-`/`cali-po-`: an AdminNetworkPolicy or
 * BaselineAdminNetworkPolicy Deny), or let through by "Return if policy accepted" after a
 * policy chain set the accept mark, or by "Return if profile accepted" after an admin tier
 * passed it on and nothing else selected the pod. After each such step this adds a `note` that
 * says the same in Kubernetes words, from the independent evaluator (src/policy): which policies
 * isolate the pod, or which policy and rule allowed, denied or passed it.
 *
 *   dropped by default deny: pod y/b is selected by NetworkPolicy y/deny-all (ingress), no rule allows x/a on TCP 80
 *   allowed by NetworkPolicy y/allow-web ingress rule #1 (from namespaceSelector ns=x, on TCP 80)
 *   dropped by AdminNetworkPolicy deny-x (priority 10) ingress rule #1 "deny-x" (Deny): x/a to y/b on TCP 80
 *   passed by AdminNetworkPolicy pass-x (priority 20) ingress rule #1, then allowed by NetworkPolicy y/allow-x ingress rule #1 (…)
 *
 * The note never replaces the step; when the evaluator disagrees with the datapath, the note
 * says so (a difference between Calico and the API's semantics, or a netsim bug).
 */
import { type Ip, ipEquals, parseIp } from '../addr/ip.js';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { policyWorldOf } from '../cluster/netpol-world.js';
import { type PolicyEndpoint, type PolicyProtocol, type PolicyQuery, type PolicyType, type PolicyVerdict, type SideVerdict, explainVerdict, side, sideAllows } from '../policy/index.js';
import type { PacketJson } from '../packet/json.js';
import type { Hop, Step, Trace } from './types.js';

const PROTOCOLS: Readonly<Record<string, PolicyProtocol>> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

/** Rule comments Felix writes in a workload chain's tier blocks and profiles (felix/rules/endpoints.go). */
const DROP_COMMENT = 'Drop if no policies passed packet"';
const ACCEPT_COMMENT = '"Return if policy accepted"';
const PROFILE_COMMENT = '"Return if profile accepted"';

/** Which direction a chain polices: `cali-tw-`/`cali-pi-` the pod's ingress, `cali-fw-`/`cali-po-` its egress. */
function directionOf(chain: string): { readonly type: PolicyType; readonly policy: boolean } | undefined {
  if (chain.startsWith('cali-tw-')) return { type: 'Ingress', policy: false };
  if (chain.startsWith('cali-fw-')) return { type: 'Egress', policy: false };
  if (chain.startsWith('cali-pi-')) return { type: 'Ingress', policy: true };
  if (chain.startsWith('cali-po-')) return { type: 'Egress', policy: true };
  return undefined;
}

/** What Felix did in a step: dropped, accepted by a policy, or accepted by the profiles. */
type FelixVerdict = { readonly type: PolicyType; readonly dropped: boolean; readonly byProfile?: true };

/** A Felix policy verdict in a step: the direction and whether the packet was dropped. */
function felixVerdict(s: Step): FelixVerdict | undefined {
  if (s.type !== 'netfilter') return undefined;
  const d = directionOf(s.chain.split('/').pop() ?? '');
  if (d === undefined) return undefined;
  // A policy chain drops only in a Deny rule (an admin tier's); the workload chain at a tier's end.
  if (d.policy) return s.verdict === 'DROP' ? { type: d.type, dropped: true } : undefined;
  if (s.rule.includes(DROP_COMMENT)) return { type: d.type, dropped: true };
  if (s.rule.includes(ACCEPT_COMMENT)) return { type: d.type, dropped: false };
  if (s.rule.includes(PROFILE_COMMENT)) return { type: d.type, dropped: false, byProfile: true };
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

/**
 * The note for one Felix verdict on `q`, from the evaluator's side for that direction; for an
 * accept by the profiles, only when an admin tier passed the side on (otherwise no policy had a
 * say, and the trace needs no note).
 */
export function policyNoteText(built: Pick<BuiltCluster, 'spec' | 'pods'>, q: PolicyQuery, type: PolicyType, dropped: boolean, byProfile = false): string | undefined {
  const world = policyWorldOf(built.spec);
  const v = side(world, q, type);
  if (byProfile && v.pass === undefined) return undefined;
  const other: SideVerdict = { kind: 'not-isolated', why: 'no-policy' };
  const ok = sideAllows(v);
  const verdict: PolicyVerdict = type === 'Ingress' ? { allowed: ok, egress: other, ingress: v } : { allowed: ok, egress: v, ingress: other };
  const text = explainVerdict(world, q, verdict);
  const agrees = dropped === !ok;
  return agrees ? text : `Felix ${dropped ? 'dropped' : 'allowed'} it, but the policy API's semantics say: ${text}`;
}

/** The trace with a note after each step where Felix's policy tier dropped or accepted the packet. */
export function notePolicyVerdicts(trace: Trace, built: Pick<BuiltCluster, 'spec' | 'pods'>): Trace {
  const spec = built.spec;
  if (spec.networkPolicies.length === 0 && (spec.adminNetworkPolicies ?? []).length === 0 && spec.baselineAdminNetworkPolicy === undefined) return trace;
  const q = queryOf(built, trace.ending.packet);
  if (q === undefined) return trace;
  let changed = false;
  const hops = trace.hops.map((h): Hop => {
    const steps: Step[] = [];
    for (const s of h.steps) {
      steps.push(s);
      const f = felixVerdict(s);
      if (f === undefined) continue;
      const text = policyNoteText(built, q, f.type, f.dropped, f.byProfile === true);
      if (text === undefined) continue;
      steps.push({ type: 'note', text });
      changed = true;
    }
    return { ...h, steps };
  });
  return changed ? { ...trace, hops } : trace;
}
