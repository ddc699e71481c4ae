/**
 * The built-in scenario, embedded so the CLI and a browser need no file system. It is
 * `scenarios/default.yaml` byte for byte (default.test.ts checks); edit that file, then paste
 * its text here with backticks and `${` escaped.
 */
import type { ScenarioFile } from './source.js';

/** The text of `scenarios/default.yaml`. */
export function defaultScenarioText(): string {
  return DEFAULT_SCENARIO;
}

/** The path the default scenario's diagnostics name. */
export const DEFAULT_SCENARIO_PATH = 'scenarios/default.yaml';

/** The default scenario as loader input: `loadScenario(defaultScenarioFiles())`. */
export function defaultScenarioFiles(): ScenarioFile[] {
  return [{ path: DEFAULT_SCENARIO_PATH, text: DEFAULT_SCENARIO }];
}

const DEFAULT_SCENARIO = `# netsim's built-in scenario: two nodes, four pods, one ClusterIP Service.
#
# A scenario is Kubernetes YAML: one document per object, separated by \`---\`.
# The first document describes the cluster itself (netsim's own kind); the
# others are ordinary Pods and Services, as \`kubectl get -o yaml\` prints them.
# Field reference: docs/scenario-format.md.
apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata:
  name: demo
spec:
  # The pod network. Each node gets a /24 slice of it (nodeCIDRMaskSize),
  # in node order: node-1 gets 10.244.0.0/24, node-2 gets 10.244.1.0/24.
  clusterCIDR: 10.244.0.0/16
  nodeCIDRMaskSize: 24
  # The Service network: virtual addresses that exist only in iptables rules.
  # 10.96.0.1 is kept for the \`kubernetes\` Service netsim adds by itself;
  # other Services get 10.96.0.2, 10.96.0.3, ... unless they set clusterIP.
  serviceCIDR: 10.96.0.0/12
  # The L2 segment the nodes' eth0 share. Nodes get .11, .12, ... in order:
  # node-1 is 192.168.56.11, node-2 is 192.168.56.12.
  nodeNetwork: 192.168.56.0/24
  # The CNI plugin: \`bridge\` puts every pod's veth on a Linux bridge (cni0)
  # that owns the subnet's .1 and is the pods' default gateway. Pods get .2,
  # .3, ... of their node's podCIDR, in document order (host-local IPAM).
  cni:
    type: bridge
    bridge: cni0
    isGateway: true         # cni0 gets 10.244.N.1
    isDefaultGateway: true  # pods route 0.0.0.0/0 via 10.244.N.1
    # ipMasq: true would SNAT everything a pod sends outside its own node's
    # subnet, pod-to-pod traffic to other nodes included (the plugin knows
    # nothing of the cluster CIDR). Kubernetes wants pods to see each other's
    # real addresses, so it is off, as flannel configures the bridge plugin.
    ipMasq: false
    hairpinMode: true       # a pod may reach itself through its Service
    mtu: 1500
  # kube-proxy in iptables mode writes KUBE-SERVICES -> KUBE-SVC-... ->
  # KUBE-SEP-... chains that DNAT a ClusterIP to one of the Service's pods.
  kubeProxy:
    mode: iptables
    masqueradeAll: false          # SNAT only what needs it (see detectLocalMode)
    detectLocalMode: ClusterCIDR  # "from a local pod" = source in clusterCIDR
  # Nodes by name. Addresses and podCIDRs are allocated as described above;
  # \`kind: Node\` objects may be used instead (see scenarios/kubectl-list.yaml).
  nodes:
    - name: node-1
    - name: node-2
---
# pod-a: the client in most traces. It names its node; pods that do not are
# placed round-robin over the nodes. It gets 10.244.0.2 (first pod on node-1).
apiVersion: v1
kind: Pod
metadata:
  name: pod-a
  namespace: default
  labels: {app: a}
spec:
  nodeName: node-1
  containers:
    - name: app
      ports:
        - {name: http, containerPort: 8080}
---
# b-1 and b-2 carry the label app=b that service-b selects: one backend on
# each node, so a trace from pod-a shows both a local and a cross-node path.
# b-1 gets 10.244.0.3 (second pod on node-1).
apiVersion: v1
kind: Pod
metadata:
  name: b-1
  labels: {app: b}
spec:
  nodeName: node-1
  containers:
    - name: web
      ports:
        # The Service targets this port by name; see targetPort below.
        - {name: http, containerPort: 8080, protocol: TCP}
---
# b-2 gets 10.244.1.2 (first pod on node-2).
apiVersion: v1
kind: Pod
metadata:
  name: b-2
  labels: {app: b}
spec:
  nodeName: node-2
  containers:
    - name: web
      ports:
        - {name: http, containerPort: 8080}
---
# pod-c: a second client, on node-2 (10.244.1.3). Not selected by service-b.
apiVersion: v1
kind: Pod
metadata:
  name: pod-c
  labels: {app: c}
spec:
  nodeName: node-2
  containers:
    - name: app
      # A pod answers only on the ports its containers declare: a packet to
      # any other port gets a TCP reset (or ICMP port unreachable for UDP).
      ports: [{containerPort: 80}]
---
# service-b: a ClusterIP Service (the default type). It gets 10.96.0.2, the
# first free address after the kubernetes Service's. Port 80 forwards to the
# container port named \`http\` of each selected pod (8080 here); netsim's
# EndpointSlice controller resolves the name per pod, as Kubernetes does.
apiVersion: v1
kind: Service
metadata:
  name: service-b
spec:
  selector: {app: b}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
