import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cidr, ip } from '../../addr/index.js';
import type { Node, Workload } from '../objects.js';
import { eligibleNodes, toleratesTaint } from './placement.js';
import { computeHash, generatedNames, ownerRng } from './workload-names.js';
import { expandWorkloads } from './workloads.js';
import { SAFE_ALPHANUMS, fnv32a, safeEncodeString, utf8Bytes } from '../../hash/index.js';

const node = (name: string, extra: Partial<Node> = {}): Node => ({ name, labels: { 'kubernetes.io/hostname': name }, internalIPs: [ip('192.168.56.11')], podCIDRs: [cidr('10.244.0.0/24')], ...extra });
const template = { labels: { app: 'web' }, hostNetwork: false, containers: [{ name: 'c', ports: [] }], nodeSelector: {}, tolerations: [] };
const workload = (kind: Workload['kind'], name: string, replicas = 3, extra: Partial<Workload> = {}): Workload => ({
  kind, name, namespace: 'default', labels: {}, replicas, selector: { matchLabels: { app: 'web' }, matchExpressions: [] }, template, ...(kind === 'Deployment' ? { podTemplateHash: computeHash(name) } : {}), ...extra,
});

describe('the names upstream gives', () => {
  it('FNV-1a 32 matches the published test vectors', () => {
    expect(fnv32a(utf8Bytes(''))).toBe(0x811c9dc5);
    expect(fnv32a(utf8Bytes('a'))).toBe(0xe40c292c);
    expect(fnv32a(utf8Bytes('foobar'))).toBe(0xbf9cf968);
  });
  it('SafeEncodeString maps the decimal digits as apimachinery does (a real pod-template-hash decodes to a uint32)', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    // 775855699b, seen on a cluster, is the encoding of 3314112556 (< 2^32).
    expect(safeEncodeString('3314112556')).toBe('775855699b');
  });
  it('a hash is made of the digits alphabet only, and collisionCount changes it', () => {
    fc.assert(fc.property(fc.string(), (s) => /^[456789bcdf]{1,10}$/.test(computeHash(s))));
    expect(computeHash('t', 1)).not.toBe(computeHash('t'));
  });
  it('generated names are <prefix>-<5 safe characters>, distinct, and the same on every run', () => {
    const a = generatedNames('web-abc', 50, ownerRng('default', 'web-abc'), new Set());
    const b = generatedNames('web-abc', 50, ownerRng('default', 'web-abc'), new Set());
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(50);
    for (const n of a) expect(n).toMatch(new RegExp(`^web-abc-[${SAFE_ALPHANUMS}]{5}$`));
  });
});

describe('placement', () => {
  const tainted = node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', value: '', effect: 'NoSchedule' }] });
  it('a NoSchedule taint keeps untolerating pods off; Exists with no key tolerates everything; PreferNoSchedule does not exclude', () => {
    expect(eligibleNodes([tainted, node('n1')], {}, []).map((n) => n.name)).toEqual(['n1']);
    expect(eligibleNodes([tainted, node('n1')], {}, [{ key: '', operator: 'Exists', value: '' }]).map((n) => n.name)).toEqual(['cp', 'n1']);
    const soft = node('s', { taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }] });
    expect(eligibleNodes([soft], {}, []).map((n) => n.name)).toEqual(['s']);
    expect(toleratesTaint({ key: 'k', operator: 'Equal', value: 'w' }, { key: 'k', value: 'v', effect: 'NoSchedule' })).toBe(false);
    expect(toleratesTaint({ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' }, { key: 'k', value: 'v', effect: 'NoSchedule' })).toBe(false);
  });
  it('replicas go round-robin over eligible nodes with one counter across workloads; a DaemonSet puts one pod per eligible node', () => {
    const nodes = [tainted, node('n1'), node('n2')];
    const out = expandWorkloads([workload('Deployment', 'web', 3), workload('StatefulSet', 'db', 2), workload('DaemonSet', 'agent')], nodes, new Set());
    const placed = out.pods.map((p) => `${p.name.replace(/-[a-z0-9]{5}$/, '-*')}@${p.nodeName}`);
    const hash = computeHash('web');
    expect(placed).toEqual([`web-${hash}-*@n1`, `web-${hash}-*@n2`, `web-${hash}-*@n1`, 'db-0@n2', 'db-1@n1', 'agent-*@n1', 'agent-*@n2']);
    expect(out.replicaSets.map((rs) => [rs.name, rs.selector.matchLabels['pod-template-hash']])).toEqual([[`web-${hash}`, hash]]);
    expect(out.pods[3]).toMatchObject({ dns: { hostname: 'db-0' }, labels: { 'statefulset.kubernetes.io/pod-name': 'db-0', 'apps.kubernetes.io/pod-index': '0' }, owner: { kind: 'StatefulSet', name: 'db' } });
  });
  it('replicas no node can take are reported with the reason', () => {
    const w = workload('Deployment', 'gpu', 2, { template: { ...template, nodeSelector: { gpu: 'true' } } });
    const out = expandWorkloads([w], [node('n1')], new Set());
    expect(out.pods).toEqual([]);
    expect(out.pending).toEqual([{ workload: 0, missing: 2, reason: 'no node has the labels of its nodeSelector (gpu=true)' }]);
  });
  it('a generated name never takes one already used in the namespace', () => {
    const first = expandWorkloads([workload('ReplicaSet', 'rs', 1)], [node('n1')], new Set()).pods[0]?.name ?? '';
    const again = expandWorkloads([workload('ReplicaSet', 'rs', 1)], [node('n1')], new Set([`default/${first}`])).pods[0]?.name;
    expect(again).not.toBe(first);
  });
});

describe('the names used, per namespace', () => {
  // A workload in a namespace with a `/` sends expandWorkloads back to one shared set of
  // `namespace/name` keys; appended last, it changes none of the earlier names.
  const shared = workload('ReplicaSet', 'x', 1, { namespace: 'odd/ns' });
  const arb = fc.array(
    fc.record({ kind: fc.constantFrom<Workload['kind']>('Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'), name: fc.constantFrom('web', 'web-1', 'api', 'w'), namespace: fc.constantFrom('default', 'a', 'a/b', 'kube-system'), replicas: fc.integer({ min: 0, max: 4 }) }),
    { maxLength: 6 },
  );
  it('give the names one shared set of keys gives, also when taken names collide', () => {
    const nodes = [node('n1'), node('n2')];
    fc.assert(fc.property(arb, fc.array(fc.nat(), { maxLength: 6 }), (specs, picks) => {
      const ws = specs.map((s) => workload(s.kind, s.name, s.replicas, { namespace: s.namespace }));
      // Names a first run gives, taken before the second: the second must draw around them.
      const first = expandWorkloads(ws, nodes, new Set()).pods.map((p) => `${p.namespace}/${p.name}`);
      const taken = picks.flatMap((i) => (first.length === 0 ? [] : [first[i % first.length] ?? ''])).concat(['a/b/web-zzzzz']);
      const got = expandWorkloads(ws, nodes, new Set(taken)).pods.map((p) => p.name);
      const all = expandWorkloads([...ws, shared], nodes, new Set(taken));
      const want = all.pods.filter((_, i) => (all.podWorkload[i] ?? 0) < ws.length).map((p) => p.name);
      expect(got).toEqual(want);
    }), { numRuns: 500 });
  });
});
