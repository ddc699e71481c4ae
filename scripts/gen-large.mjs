// Writes scenarios/large.yaml: the largest cluster Kubernetes supports (5,000 nodes, about
// 150,000 pods, 10,000 Services with 3 endpoints each), written with Deployments and
// DaemonSets. Deterministic: the same file on every run. `node scripts/gen-large.mjs`.
// `node scripts/gen-large.mjs --scale 0.25 --out FILE` writes the same cluster with a quarter of
// the nodes and Services (the 24 DaemonSets stay: 24 pods a node), for tests and quick runs;
// `--scale` also works with `--out -` (stdout).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { scale: { type: 'string', default: '1' }, out: { type: 'string' } } });
const SCALE = Number(args.scale);
if (!(SCALE > 0 && SCALE <= 1)) throw new Error(`--scale must be a number in (0, 1], got ${args.scale}`);
const scaled = (n, min) => Math.max(min, Math.round(n * SCALE));
const NODES = scaled(5000, 4);
const CONTROL_PLANE = 3;
const SERVICES = scaled(10000, 10);
const NODEPORT_LOCAL = scaled(1000, 1); // NodePort, externalTrafficPolicy: Local
const NODEPORT_CLUSTER = scaled(1700, 1); // NodePort, externalTrafficPolicy: Cluster (2,700 of the 2,768 node ports)
const NAMESPACES = 10;
const DAEMONSETS_EVERYWHERE = 4; // tolerate every taint: one pod on each of the 5,000 nodes
const DAEMONSETS_WORKERS = 20; // the control-plane taint keeps them on the 4,997 workers

const out = [];
const pad = (n, w) => String(n).padStart(w, '0');
out.push(`# netsim: no-golden
# The largest cluster Kubernetes supports: ${NODES} nodes (${CONTROL_PLANE} control-plane, tainted),
# ${SERVICES} Services with 3 endpoints each (a Deployment of 3 replicas behind each: ${SERVICES - NODEPORT_LOCAL - NODEPORT_CLUSTER}
# ClusterIP, ${NODEPORT_CLUSTER} NodePort, ${NODEPORT_LOCAL} NodePort with externalTrafficPolicy: Local), and ${DAEMONSETS_EVERYWHERE + DAEMONSETS_WORKERS} DaemonSets
# (${DAEMONSETS_EVERYWHERE} on every node, ${DAEMONSETS_WORKERS} on the workers): ${SERVICES * 3 + DAEMONSETS_EVERYWHERE * NODES + DAEMONSETS_WORKERS * (NODES - CONTROL_PLANE)} pods.
# Written by scripts/gen-large.mjs. For npm run bench; the first line keeps it out of the golden
# loops and the playground menu (too large to build in a test or to bundle).
#
#   netsim validate scenarios/large.yaml
#   netsim get deployments -n app-3 -f scenarios/large.yaml
apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: large}
spec:
  clusterCIDR: 10.128.0.0/9
  nodeCIDRMaskSize: 24
  serviceCIDR: 10.96.0.0/16
  nodeNetwork: 172.16.0.0/16
  cni: {type: bridge}
  nodes:`);
for (let i = 1; i <= CONTROL_PLANE; i++) {
  out.push(`    - {name: control-plane-${i}, labels: {node-role.kubernetes.io/control-plane: ""}, taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}`);
}
for (let i = 1; i <= NODES - CONTROL_PLANE; i++) out.push(`    - {name: node-${pad(i, 4)}, labels: {topology.kubernetes.io/zone: zone-${i % 3}}}`);
for (let n = 0; n < NAMESPACES; n++) out.push(`---\napiVersion: v1\nkind: Namespace\nmetadata: {name: app-${n}}`);
for (let d = 0; d < DAEMONSETS_EVERYWHERE + DAEMONSETS_WORKERS; d++) {
  const everywhere = d < DAEMONSETS_EVERYWHERE;
  const name = everywhere ? `node-agent-${d}` : `worker-agent-${d - DAEMONSETS_EVERYWHERE}`;
  const tolerations = everywhere ? '\n      tolerations: [{operator: Exists}]' : '';
  out.push(`---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: kube-system}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:${tolerations}
      containers: [{name: agent, image: agent:1.0, ports: [{name: metrics, containerPort: ${9100 + d}}]}]`);
}
for (let s = 0; s < SERVICES; s++) {
  const name = `svc-${pad(s, 5)}`;
  const ns = `app-${s % NAMESPACES}`;
  const local = s < NODEPORT_LOCAL;
  const nodePort = s < NODEPORT_LOCAL + NODEPORT_CLUSTER;
  const type = nodePort ? `\n  type: NodePort${local ? '\n  externalTrafficPolicy: Local' : ''}` : '';
  out.push(`---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: 3
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: app:1.0, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:${type}
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: http}]`);
}
const text = `${out.join('\n')}\n`;
if (args.out === '-') process.stdout.write(text);
else writeFileSync(args.out ?? new URL('../scenarios/large.yaml', import.meta.url), text);
