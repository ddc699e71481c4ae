/**
 * The network-policy-api conformance tests (v0.1.7, conformance/tests/*.go) against the
 * evaluator: each test's manifest is loaded through the scenario loader, each t.Run's policy
 * change is applied in order (they accumulate, as on a real cluster), and every PokeServer
 * expectation (test/fixtures/anp-conformance/cases.ts) must hold.
 *
 * The world is conformance/base/manifests.yaml: five namespaces labelled conformance-house,
 * two pods each (StatefulSet replicas -0 and -1) declaring `web` (TCP 80) and `dns` (UDP 53);
 * the forbidden-forrest pods (centaur) are hostNetwork, on two nodes labelled kubernetes.io/os=linux.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cidr, formatIp, ip, type Ip } from '../../src/addr/index.js';
import type { ClusterSpec } from '../../src/cluster/objects.js';
import { policyWorldOf } from '../../src/cluster/netpol-world.js';
import {
  type AdminNetworkPolicySpecObject, type AdminPort, type AdminRule, type MatrixPod, type PolicyWorld, allowed, explainVerdict,
} from '../../src/policy/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { CONFORMANCE_TESTS, type Poke } from '../fixtures/anp-conformance/cases.js';

const HOUSES = ['gryffindor', 'slytherin', 'hufflepuff', 'ravenclaw', 'forbidden-forrest'] as const;
const STARS: Readonly<Record<string, string>> = { gryffindor: 'harry-potter', slytherin: 'draco-malfoy', hufflepuff: 'cedric-diggory', ravenclaw: 'luna-lovegood', 'forbidden-forrest': 'centaur' };
const NODE_IPS = ['192.168.0.11', '192.168.0.12'];
const ns = (house: string): string => `network-policy-conformance-${house}`;

const CLUSTER = `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: conformance}
spec:
  cni: {type: calico}
  nodes: [{name: n1, labels: {kubernetes.io/os: linux}}, {name: n2, labels: {kubernetes.io/os: linux}}]
${HOUSES.map((h) => `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns(h)}, labels: {conformance-house: ${h}}}\n`).join('')}`;

/** Every pod of the manifests, with its address (a node's for the hostNetwork centaurs). */
function pods(): MatrixPod[] {
  return HOUSES.flatMap((house, h) =>
    [0, 1].map((i) => {
      const hostNetwork = house === 'forbidden-forrest';
      const podIp: Ip = hostNetwork ? ip(NODE_IPS[i] ?? '') : ip(`10.244.${h + 1}.${10 + i}`);
      const ports = hostNetwork ? [] : [{ name: 'web', containerPort: 80, protocol: 'TCP' as const }, { name: 'dns', containerPort: 53, protocol: 'UDP' as const }];
      return { name: `${STARS[house] ?? ''}-${i}`, namespace: ns(house), labels: { 'conformance-house': house }, hostNetwork, containers: [{ ports }], ip: podIp };
    }),
  );
}
const POD_LIST = pods();
const podOf = (key: string): MatrixPod => {
  const [house = '', name = ''] = key.split('/');
  const p = POD_LIST.find((x) => x.namespace === ns(house) && x.name === name);
  if (p === undefined) throw new Error(`no pod ${key}`);
  return p;
};

function loadManifest(manifest: string): { spec: ClusterSpec; world: PolicyWorld } {
  const text = readFileSync(new URL(`../fixtures/anp-conformance/${manifest.replace('/', '--')}.yaml`, import.meta.url), 'utf8');
  const r = loadScenario([{ path: `${manifest}.yaml`, text: `${CLUSTER}${text}` }]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => d.message)).toEqual([]);
  if (r.value === undefined) throw new Error('no scenario');
  const nodes = r.value.nodes.map((n, i) => ({ ...n, internalIPs: [ip(NODE_IPS[i] ?? '')] }));
  return { spec: r.value, world: { ...policyWorldOf({ ...r.value, nodes }) } };
}

/** A change a t.Run makes to the cluster before poking. */
type Change = (w: PolicyWorld) => PolicyWorld;
type Dir = 'ingress' | 'egress';

/** Applies `f` to the rules of `dir` of the ANP `name`, or of the BANP when `name` is `default`. */
function rules(name: string, dir: Dir, f: (rs: AdminRule[]) => AdminRule[]): Change {
  return (w) => {
    if (name === 'default' && w.baselinePolicy !== undefined) return { ...w, baselinePolicy: { ...w.baselinePolicy, [dir]: f([...w.baselinePolicy[dir]]) } };
    return { ...w, adminPolicies: (w.adminPolicies ?? []).map((p) => (p.name === name ? { ...p, [dir]: f([...p[dir]]) } : p)) };
  };
}
const swap = (name: string, dir: Dir, i: number, j: number): Change =>
  rules(name, dir, (rs) => rs.map((r, k) => (k === i ? (rs[j] ?? r) : k === j ? (rs[i] ?? r) : r)));
const both = (name: string, i: number, j: number): Change => (w) => swap(name, 'egress', i, j)(swap(name, 'ingress', i, j)(w));
const setPorts = (name: string, dir: Dir, i: number, ports: AdminPort[]): Change => rules(name, dir, (rs) => rs.map((r, k) => (k === i ? { ...r, ports } : r)));
const pass = (name: string, dir: Dir, i: number): Change => rules(name, dir, (rs) => rs.map((r, k) => (k === i ? { ...r, action: 'Pass' } : r)));
const allowPodIPs: Change[] = ['default', 'inline-cidr-as-peers-example'].map((name) =>
  rules(name, 'egress', (rs) => [{ name: 'allow-egress-to-specific-podIPs', action: 'Allow', peers: [{ networks: ['ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-0'].map((k) => cidr(`${formatIp(podOf(k).ip ?? ip('0.0.0.0'))}/32`)) }] }, ...rs]),
);
const withPriority = (name: string, priority: number): Change => (w) => ({ ...w, adminPolicies: (w.adminPolicies ?? []).map((p: AdminNetworkPolicySpecObject) => (p.name === name ? { ...p, priority } : p)) });
const deleteNetpol = (key: string): Change => (w) => ({ ...w, policies: w.policies.filter((p) => `${p.namespace}/${p.name}` !== key) });

/** The changes of each test's t.Runs, by run index (read from the Go sources). */
const CHANGES: Readonly<Record<string, Readonly<Record<number, Change>>>> = {
  AdminNetworkPolicyEgressNamedPort: { 0: setPorts('egress-tcp', 'egress', 5, [{ namedPort: 'web' }]) },
  AdminNetworkPolicyIngressNamedPort: { 0: setPorts('ingress-udp', 'ingress', 5, [{ namedPort: 'dns' }]) },
  AdminNetworkPolicyEgressInlineCIDRPeers: { 1: (w) => allowPodIPs.reduce((acc, c) => c(acc), w) },
  BaselineAdminNetworkPolicyEgressInlineCIDRPeers: { 1: (w) => allowPodIPs.reduce((acc, c) => c(acc), w) },
  ...Object.fromEntries(['TCP', 'UDP', 'SCTP'].flatMap((proto) => (['egress', 'ingress'] as const).map((dir) => {
    const name = `${dir}-${proto.toLowerCase()}`;
    return [`AdminNetworkPolicy${dir === 'egress' ? 'Egress' : 'Ingress'}${proto}`, { 2: swap(name, dir, 0, 1), 4: swap(name, dir, 0, 2), 5: swap(name, dir, 3, 4) }];
  }))),
  ...Object.fromEntries(['TCP', 'UDP', 'SCTP'].flatMap((proto) => (['egress', 'ingress'] as const).map((dir) => [`BaselineAdminNetworkPolicy${dir === 'egress' ? 'Egress' : 'Ingress'}${proto}`, { 2: swap('default', dir, 0, 1) }]))),
  AdminNetworkPolicyGress: { 2: both('gress-rules', 0, 1), 4: both('gress-rules', 0, 2), 5: both('gress-rules', 3, 4) },
  BaselineAdminNetworkPolicyGress: { 2: both('default', 0, 1) },
  AdminNetworkPolicyIntegration: { 2: pass('pass-example', 'ingress', 0), 3: pass('pass-example', 'egress', 0), 4: deleteNetpol(`${ns('gryffindor')}/allow-gress-from-to-slytherin-to-gryffindor`) },
  AdminNetworkPolicyPriorityField: { 2: withPriority('old-priority-60-new-priority-40-example', 40) },
  BaselineAdminNetworkPolicyEgressNamedPort: { 0: setPorts('default', 'egress', 3, [{ namedPort: 'dns' }]) },
  BaselineAdminNetworkPolicyIngressNamedPort: { 0: setPorts('default', 'ingress', 3, [{ namedPort: 'web' }]) },
};

function poke(world: PolicyWorld, [client, server, protocol, port]: Poke): { connected: boolean; why: string } {
  const src = podOf(client);
  const dst = podOf(server);
  const q = { src: { pod: src, ...(src.ip ? { ip: src.ip } : {}) }, dst: { pod: dst, ...(dst.ip ? { ip: dst.ip } : {}) }, protocol, port };
  const v = allowed(world, q);
  return { connected: v.allowed, why: explainVerdict(world, q, v) };
}

describe('network-policy-api conformance (v0.1.7) on the evaluator', () => {
  for (const test of CONFORMANCE_TESTS) {
    it(`${test.name} (${test.source})`, () => {
      let { world } = loadManifest(test.manifest);
      for (const [index, run] of test.runs.entries()) {
        const change = CHANGES[test.name]?.[index];
        if (change !== undefined) world = change(world);
        for (const p of run.pokes) {
          const got = poke(world, p);
          expect(got.connected, `${run.name}: ${p[0]} → ${p[1]} ${p[2]} ${p[3]} (${got.why})`).toBe(p[4]);
        }
      }
    });
  }

  it('covers every test and poke of the suite', () => {
    expect(CONFORMANCE_TESTS.length).toBe(24);
    expect(CONFORMANCE_TESTS.flatMap((t) => t.runs.flatMap((r) => r.pokes)).length).toBe(289);
  });
});
