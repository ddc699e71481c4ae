/**
 * Well-formed scenarios of about 5 MB in the shapes real files take (issue 9: "a 5 MB scenario
 * of any shape should be validated in about 1 s"): many small documents, one `kind: List`,
 * deep but legal nesting, long strings. bench/scenario-size.ts measures the hostile shapes;
 * this file only writes the texts, so that tests can count the loader's work on them too.
 * bench/validate-cpu.ts times `netsim validate` on them, two builds side by side:
 *
 *   npm run build && node dist/bench/validate-cpu.js write /tmp/vshapes
 *   node dist/bench/validate-cpu.js compare OLD_CHECKOUT NEW_CHECKOUT /tmp/vshapes 3
 */

/** A text of about `bytes` characters in one shape. */
export type ShapeMaker = (bytes: number) => string;

/** Nodes in the generated clusters: pods spread over them, 110 a node at most as the kubelet allows. */
const NODES = 200;

/** A cluster of {@link NODES} nodes in three zones, /24 pod ranges. */
export function clusterDoc(nodes = NODES): string {
  const list = Array.from({ length: nodes }, (_, i) => `    - {name: n${i}, labels: {topology.kubernetes.io/zone: zone-${i % 3}}}\n`).join('');
  return `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  clusterCIDR: 10.0.0.0/8\n  nodeCIDRMaskSize: 24\n  serviceCIDR: 172.16.0.0/12\n  nodeNetwork: 192.168.0.0/16\n  nodes:\n${list}`;
}

/** Pieces appended until the text reaches `bytes`. */
export function fill(bytes: number, piece: (i: number) => string, head = ''): string {
  const parts: string[] = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const p = piece(i);
    parts.push(p);
    size += p.length;
  }
  return parts.join('');
}

const podDoc = (i: number): string =>
  `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-${i}\n  labels: {app: web-${i % 500}}\nspec:\n  nodeName: n${i % NODES}\n  containers:\n    - name: c\n      image: nginx\n      ports: [{containerPort: 80, name: http}]\n`;
const serviceDoc = (i: number): string =>
  `---\napiVersion: v1\nkind: Service\nmetadata: {name: web-${i}}\nspec:\n  selector: {app: web-${i % 500}}\n  ports: [{name: http, port: 80, targetPort: http}]\n`;

/** Nesting that Kubernetes accepts: a NetworkPolicy's rules, each peer a selector with expressions. */
const nestedPolicy = (i: number): string =>
  `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np-${i}}\nspec:\n  podSelector:\n    matchExpressions:\n      - key: app\n        operator: In\n        values: [web-${i}, api-${i}]\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: team\n                operator: In\n                values: [a, b]\n          podSelector:\n            matchLabels: {role: client}\n      ports:\n        - {protocol: TCP, port: 80}\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n            except: [10.1.0.0/16]\n`;

/** Pods whose annotation holds a 64 KiB string (kubectl's last-applied-configuration can). */
const longString = (i: number): string =>
  `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: big-${i}\n  annotations:\n    note: "${'x'.repeat(64 * 1024)}"\nspec:\n  nodeName: n${i % NODES}\n  containers: [{name: c}]\n`;

/** One `kind: List` of Pods and Services, as `kubectl get -o yaml` writes it. */
function listShape(bytes: number): string {
  const item = (i: number): string =>
    i % 4 === 3
      ? `  - apiVersion: v1\n    kind: Service\n    metadata: {name: web-${i}}\n    spec:\n      selector: {app: web-${i - 1}}\n      ports: [{port: 80}]\n`
      : `  - apiVersion: v1\n    kind: Pod\n    metadata: {name: web-${i}, labels: {app: web-${i}}}\n    spec: {nodeName: n${i % NODES}, containers: [{name: c}]}\n`;
  return fill(bytes, item, `${clusterDoc()}---\napiVersion: v1\nkind: List\nitems:\n`);
}

/** large.yaml's shape: a Deployment of 3 replicas behind each Service (the loader expands them into pods). */
const deployment = (i: number): string =>
  `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: app-${i}}}\n  template:\n    metadata: {labels: {app: app-${i}}}\n    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 8080}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: app-${i}}\nspec:\n  selector: {app: app-${i}}\n  ports: [{port: 80, targetPort: 8080}]\n`;

/** The shapes, by the name the bench prints. */
export const VALID_SHAPES: Readonly<Record<string, ShapeMaker>> = {
  'many small documents (Pods and Services)': (bytes) => fill(bytes, (i) => (i % 5 === 4 ? serviceDoc(i) : podDoc(i)), clusterDoc()),
  'one kind: List': listShape,
  'nested NetworkPolicies': (bytes) => fill(bytes, nestedPolicy, clusterDoc()),
  'long strings (64 KiB annotations)': (bytes) => fill(bytes, longString, clusterDoc()),
  'Deployments and Services (large.yaml\'s shape)': (bytes) => fill(bytes, deployment, clusterDoc()),
};
