/**
 * kube-router enforcing NetworkPolicy on a flannel (VXLAN) and a bridge (host-gw) cluster (and an
 * IPv6 bridge cluster at the end), end to end: the scenario is read, the cluster built (CNI, kube-proxy, then kube-router's sync on
 * every node), and packets are traced through the kernel model. Each verdict is also the
 * independent evaluator's (src/policy `allowed`).
 *
 * Namespaces prod (team=a), dev (team=b), ops (team=ops); node-1 holds prod/web, prod/client
 * and the hostNetwork prod/agent (labelled app=web, so selectors would match it); node-2 holds
 * prod/db, dev/client and ops/probe. Policies: prod/default-deny (all prod ingress);
 * prod/web-allow (from namespaces team=ops on the named port http, from prod app=client on
 * 8080/TCP and the named port dns/UDP); prod/db-allow (from ipBlock 10.244.0.0/16 except
 * node-2's 10.244.1.0/24, on 5432); prod/client-egress (only to app=web, or UDP 53 anywhere).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type LoadedScenario, loadAndBuild } from '../../src/app/scenario.js';
import { runTrace } from '../../src/app/trace.js';
import { policyPodsOf, policyWorldOf } from '../../src/cluster/netpol-world.js';
import { allowed } from '../../src/policy/index.js';
import { traceText } from '../../src/render/trace-text.js';
import type { Trace } from '../../src/trace/types.js';
import { type KrE2eCni, krE2eScenario } from '../helpers/kube-router.js';

function build(cni: KrE2eCni): LoadedScenario & { built: NonNullable<LoadedScenario['built']> } {
  const loaded = loadAndBuild([{ path: `kr-${cni}.yaml`, text: krE2eScenario(cni) }]);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(loaded.diagnostics.map((d) => d.code)).not.toContain('SCN_NETPOL_NOT_SIMULATED');
  if (loaded.built === undefined) throw new Error('no cluster');
  return { ...loaded, built: loaded.built };
}

interface Probe {
  readonly name: string;
  readonly src: string;
  readonly dst: string;
  readonly port?: number;
  readonly protocol?: 'tcp' | 'udp';
  readonly want: 'DELIVERED' | 'REJECTED';
  /** The node whose kube-router rejects it (egress: the source's node; ingress: the destination's). */
  readonly rejectedOn?: string;
}

const PROBES: readonly Probe[] = [
  { name: 'default deny: dev/client → prod/web:8080', src: 'dev/client', dst: 'prod/web', port: 8080, want: 'REJECTED', rejectedOn: 'node-1' },
  { name: 'allow from namespace team=ops on the named port http', src: 'ops/probe', dst: 'prod/web', port: 8080, want: 'DELIVERED' },
  { name: 'the named port is TCP only: ops/probe → prod/web 53/UDP', src: 'ops/probe', dst: 'prod/web', port: 53, protocol: 'udp', want: 'REJECTED', rejectedOn: 'node-1' },
  { name: 'egress: prod/client → prod/db is not in its egress rules', src: 'prod/client', dst: 'prod/db', port: 5432, want: 'REJECTED', rejectedOn: 'node-1' },
  { name: 'egress and ingress agree: prod/client → prod/web:8080', src: 'prod/client', dst: 'prod/web', port: 8080, want: 'DELIVERED' },
  { name: 'UDP: prod/client → prod/web 53/UDP (egress UDP 53, ingress named port dns)', src: 'prod/client', dst: 'prod/web', port: 53, protocol: 'udp', want: 'DELIVERED' },
  { name: 'ipBlock: prod/web (10.244.0.x) → prod/db:5432', src: 'prod/web', dst: 'prod/db', port: 5432, want: 'DELIVERED' },
  { name: 'ipBlock except: ops/probe (10.244.1.x) → prod/db:5432', src: 'ops/probe', dst: 'prod/db', port: 5432, want: 'REJECTED', rejectedOn: 'node-2' },
  { name: 'bridged on one node (br_netfilter, physdev): dev/client → prod/db:5432, both on node-2', src: 'dev/client', dst: 'prod/db', port: 5432, want: 'REJECTED', rejectedOn: 'node-2' },
  { name: 'hostNetwork pods are never selected: dev/client → prod/agent:9100', src: 'dev/client', dst: 'prod/agent', port: 9100, want: 'DELIVERED' },
];

function forward(built: LoadedScenario['built'], p: { src: string; dst: string; port?: number; protocol?: 'tcp' | 'udp' }) {
  const run = runTrace(built as NonNullable<typeof built>, { src: p.src, dst: p.dst, seed: 1, ...(p.port !== undefined ? { port: p.port } : {}), ...(p.protocol !== undefined ? { protocol: p.protocol } : {}) });
  if ('problem' in run) throw new Error(run.problem);
  const trip = run.trips[0];
  if (trip === undefined) throw new Error('no trip');
  return trip;
}

/** The filter rule that said REJECT, as the trace prints it, and the hop it was in. */
function rejection(t: Trace): { ns: string; line: string } | undefined {
  const text = traceText(t);
  const m = /drop +NETFILTER_REJECT: FORWARD: filter\/(KUBE-POD-FW-[A-Z2-7]{16})#(\d+)/.exec(text);
  if (m === null) return undefined;
  return { ns: t.hops.at(-1)?.ns ?? '', line: `${m[1]}#${m[2]}` };
}

describe.each(['flannel', 'bridge'] as const)('kube-router on a %s cluster', (cni) => {
  const { built } = build(cni);
  const world = policyWorldOf(built.spec);
  const pods = policyPodsOf(built);
  const byKey = (key: string) => pods.find((p) => `${p.namespace}/${p.name}` === key);

  it.each(PROBES)('$name', (p) => {
    const trip = forward(built, p);
    expect(trip.forward.ending.disposition).toBe(p.want);
    // The oracle: the evaluator on the same pods and the port after DNAT.
    const src = byKey(p.src);
    const dst = byKey(p.dst);
    const verdict = allowed(world, { src: { ...(src !== undefined ? { pod: src } : {}), ...(src?.ip !== undefined ? { ip: src.ip } : {}) }, dst: { ...(dst !== undefined ? { pod: dst } : {}), ...(dst?.ip !== undefined ? { ip: dst.ip } : {}) }, protocol: p.protocol === 'udp' ? 'UDP' : 'TCP', port: p.port ?? 0 });
    expect(verdict.allowed).toBe(p.want === 'DELIVERED');
    if (p.want === 'REJECTED') {
      const r = rejection(trip.forward);
      expect(r?.ns).toBe(p.rejectedOn);
      expect(traceText(trip.forward)).toMatch(/-m mark ! --mark 0x10000\/0x10000 -j REJECT/);
    } else {
      // Replies ride conntrack: KUBE-NWPLCY-COMMON accepts RELATED,ESTABLISHED before any policy.
      expect(trip.reply?.ending.disposition).toBe('DELIVERED');
      expect(traceText(trip.reply as Trace)).toContain('rule for stateful firewall for pod');
    }
  });

  it('a packet between two pods of one node is switched by cni0 and still meets the pod chains in FORWARD (br_netfilter)', () => {
    const text = traceText(forward(built, { src: 'dev/client', dst: 'prod/db', port: 5432 }).forward);
    // br_netfilter runs FORWARD for the bridged frame; the plain `-d POD` jump comes before the
    // physdev one in KUBE-ROUTER-FORWARD, so it is the one that matches (as in the kernel).
    expect(text.indexOf('bridge     cni0')).toBeGreaterThan(-1);
    expect(text.indexOf('bridge     cni0')).toBeLessThan(text.indexOf('filter     FORWARD #1'));
    expect(text).toMatch(/-A KUBE-ROUTER-FORWARD -d 10\.244\.1\.\d+\/32 -m comment --comment "rule to jump traffic destined to POD name:db namespace: prod to chain KUBE-POD-FW-[A-Z2-7]{16}"/);
  });

  it('Service DNAT comes first, then policy: prod/client → service web is delivered, dev/client is rejected after DNAT', () => {
    const ok = forward(built, { src: 'prod/client', dst: 'svc/prod/web' });
    expect(ok.forward.ending.disposition).toBe('DELIVERED');
    expect(ok.reply?.ending.disposition).toBe('DELIVERED');
    const no = forward(built, { src: 'dev/client', dst: 'svc/prod/web' });
    expect(no.forward.ending.disposition).toBe('REJECTED');
    const text = traceText(no.forward);
    // DNAT (nat PREROUTING on node-2) happens before kube-router's FORWARD rules see the packet.
    expect(text.indexOf('DNAT')).toBeGreaterThan(-1);
    expect(text.indexOf('DNAT')).toBeLessThan(text.indexOf('KUBE-ROUTER-FORWARD'));
    expect(text).toMatch(/packet +tcp [0-9.]+:\d+ → 10\.244\.0\.\d+:8080/);
    expect(rejection(no.forward)?.ns).toBe('node-1');
  });
});

/** scenarios/default.yaml (bridge, two nodes) on IPv6 addresses, with kube-router and two policies. */
describe('kube-router on an IPv6 bridge cluster', () => {
  const v6 = readFileSync('scenarios/default.yaml', 'utf8')
    .replace('clusterCIDR: 10.244.0.0/16', 'clusterCIDR: fd00:10:244::/56')
    .replace('nodeCIDRMaskSize: 24', 'nodeCIDRMaskSize: 64')
    .replace('serviceCIDR: 10.96.0.0/12', 'serviceCIDR: fd00:10:96::/108')
    .replace('nodeNetwork: 192.168.56.0/24', 'nodeNetwork: fd00:56::/64')
    .replace('  nodes:\n    - name: node-1', '  networkPolicy: {enforcer: kube-router}\n  nodes:\n    - name: node-1');
  const policies = [
    '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n',
    '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: b-from-a}\nspec: {podSelector: {matchLabels: {app: b}}, ingress: [{from: [{podSelector: {matchLabels: {app: a}}}], ports: [{port: http}]}]}\n',
  ].join('');
  const loaded = loadAndBuild([{ path: 'v6.yaml', text: `${v6}${policies}` }]);
  const built = loaded.built;

  it('builds with kube-router\'s inet6: sets and ip6tables chains', () => {
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const sets = [...(built?.world.netns['node-1']?.netfilter.ipsets.keys() ?? [])];
    expect(sets.length).toBeGreaterThan(0);
    expect(sets.every((s) => s.startsWith('inet6:KUBE-'))).toBe(true);
  });

  it('pod-a → service-b is allowed (DNAT, then policy b-from-a), and its reply rides conntrack', () => {
    const trip = forward(built, { src: 'pod-a', dst: 'service-b' });
    expect(trip.forward.ending.disposition).toBe('DELIVERED');
    expect(trip.reply?.ending.disposition).toBe('DELIVERED');
  });

  it('pod-c → service-b is rejected with icmp6-port-unreachable in the backend\'s pod chain', () => {
    const trip = forward(built, { src: 'pod-c', dst: 'service-b' });
    expect(trip.forward.ending.disposition).toBe('REJECTED');
    expect(traceText(trip.forward)).toMatch(/NETFILTER_REJECT: FORWARD: filter\/KUBE-POD-FW-[A-Z2-7]{16}#\d+ \(icmp6-port-unreachable\)/);
  });
});
