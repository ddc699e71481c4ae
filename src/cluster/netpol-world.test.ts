import { describe, expect, it } from 'vitest';
import { loadAndBuild } from '../app/scenario.js';
import { formatIp } from '../addr/index.js';
import { explainVerdict, matrixBooleans, policyMatrix } from '../policy/index.js';
import { policyPodsOf, policyWorldOf } from './netpol-world.js';

const SCENARIO = `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  networkPolicy: {enforcer: kube-router}
  dns: {enabled: false}
  nodes: [{name: n1}, {name: n2}]
---
apiVersion: v1
kind: Namespace
metadata: {name: web, labels: {team: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default, labels: {app: client}}
spec: {nodeName: n1, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: web, labels: {app: server}}
spec: {nodeName: n2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-default, namespace: web}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: default}}}], ports: [{port: http}]}]
`;

describe('the cluster objects, handed to the evaluator', () => {
  it('pairs each pod with its allocated address and evaluates the scenario\'s policies', () => {
    const { built } = loadAndBuild([{ path: 's.yaml', text: SCENARIO }]);
    if (built === undefined) throw new Error('scenario did not build');
    const world = policyWorldOf(built.spec);
    const pods = policyPodsOf(built);
    expect(pods.map((p) => `${p.namespace}/${p.name} ${p.ip === undefined ? '-' : formatIp(p.ip)}`)).toEqual(['default/client 10.244.0.2', 'web/server 10.244.1.2']);
    const m = policyMatrix(world, pods, { protocol: 'TCP', port: 8080 });
    expect(matrixBooleans(m)).toEqual([[true, true], [true, false]]);
    const [client, server] = pods;
    if (client === undefined || server === undefined) throw new Error('pods missing');
    const q = { src: { pod: server }, dst: { pod: server }, protocol: 'TCP' as const, port: 8080 };
    expect(explainVerdict(world, q, m.cells[1]?.[1] ?? { allowed: false, egress: { kind: 'not-isolated', why: 'no-policy' }, ingress: { kind: 'denied', policies: [] } })).toBe(
      'dropped by default deny: pod web/server is selected by NetworkPolicy web/allow-default (ingress), no rule allows web/server on TCP 8080',
    );
    expect(matrixBooleans(policyMatrix(world, pods, { protocol: 'TCP', port: 80 }))[0]).toEqual([true, false]);
  });
});
