/**
 * One example per scenario diagnostic code: a scenario text in which `«` marks the token the
 * diagnostic must point at. src/scenario/codes.test.ts checks each position; test/errors/ turns
 * them into the table of docs/errors.md. SCN_PORT_EXHAUSTED, which needs a large input, is built
 * by {@link portExhaustedCase}.
 */
export const CLUSTER = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  nodes: [{name: n1}, {name: n2}]\n';
export const POD = (name: string, extra = ''): string =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: x}}\nspec:\n  nodeName: n1\n  containers: [{name: c, ports: [{name: http, containerPort: 80}]}]\n${extra}`;

/** A calico Cluster, and a Calico object of `kind` with `body` after its metadata. */
export const CALICO_CLUSTER = CLUSTER.replace('spec:\n', 'spec:\n  cni: {type: calico}\n');
export const CALICO = (kind: string, name: string, body: string): string =>
  `---\napiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata: {name: ${name}}\n${body}`;

/** A calico cluster on one rack network whose router runs BGP (AS 65001). */
export const BGP_RACK = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  cni: {type: calico}\n  underlay:\n    networks: [{name: rack, cidr: 192.168.1.0/24}]\n    routers: [{name: tor, networks: [rack], bgp: {asNumber: 65001}}]\n  nodes: [{name: n1, network: rack}, {name: n2, network: rack}]\n';
/** A NetworkPolicy `name` in namespace x with `spec` (YAML flow or block text after `spec:`). */
export const NETPOL = (name: string, spec: string): string =>
  `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: x}\nspec: ${spec}\n`;
/** An AdminNetworkPolicy `name` at `priority` with `spec` lines after its priority (YAML block text, two-space indent). */
export const ANP = (name: string, priority: string, spec: string): string =>
  `---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  priority: ${priority}\n${spec}`;
/** The BaselineAdminNetworkPolicy `name` with `spec` lines. */
export const BANP = (name: string, spec: string): string =>
  `---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}`;
const SUBJECT_X = '  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: x}}}\n';
const FROM_Y = '{namespaces: {matchLabels: {kubernetes.io/metadata.name: y}}}';
const KUBE_ROUTER = CLUSTER.replace('spec:\n', 'spec:\n  networkPolicy: {enforcer: kube-router}\n');
/** Felix beside flannel: netsim does not simulate canal yet (Felix's own plumbing is Calico's). */

export const SCENARIO_CASES: readonly (readonly [string, string])[] = [
  ['SCN_YAML_SYNTAX', `${CLUSTER}---\nkind: Pod\nmetadata: {name: p, «name: q}\n`],
  ['SCN_TOO_DEEP', `${CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata:\n  annotations: ${'['.repeat(98)}«${'['.repeat(201)}${']'.repeat(299)}\n`],
  ['SCN_YAML_TAG', `${CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: «!!python/object:os.system {containers: []}\n`],
  ['SCN_YAML_VERSION', `%YAML «1.3\n---\n${CLUSTER}`],
  ['SCN_COMPLEX_KEY', `${CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    ? «[a, b]\n    : c\n`],
  ['SCN_BAD_CHARACTER', `${CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p«\u0000q}\n`],
  ['SCN_UNKNOWN_FIELD', `${CLUSTER}${POD('p')}`.replace('  nodeName: n1', '  «nodename: n1')],
  ['SCN_WRONG_TYPE', `${CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {version: «1}}\nspec: {containers: []}\n`],
  ['SCN_MISSING_FIELD', `${CLUSTER}---\napiVersion: v1\nkind: Service\n«metadata:\n  namespace: default\nspec: {ports: [{port: 80}]}\n`],
  ['SCN_BAD_VALUE', `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: «Nodeport, ports: [{port: 80}]}\n`],
  ['SCN_DNS_CONFIG', `${CLUSTER}${POD('p')}`.replace('  nodeName: n1', '  nodeName: n1\n  dnsConfig:\n    nameservers: «[1.1.1.1, 8.8.8.8, 9.9.9.9, 10.96.0.10]')],
  ['SCN_INVALID_NAME', `${CLUSTER}${POD('p')}`.replace('{name: p,', '{name: «Pod_A,')],
  ['SCN_BAD_INTERFACE_NAME', CLUSTER.replace('spec:\n', 'spec:\n  cni: {bridge: «eth0}\n')],
  ['SCN_BAD_ADDRESS', `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {clusterIP: «10.96.0.300, ports: [{port: 80}]}\n`],
  ['SCN_BAD_CIDR', CLUSTER.replace('spec:\n', 'spec:\n  clusterCIDR: «10.244.0.0/33\n')],
  ['SCN_IP_FAMILY', `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ipFamilyPolicy: «RequireDualStack, selector: {app: x}, ports: [{port: 80}]}\n`],
  ['SCN_CIDR_OVERLAP', CLUSTER.replace('spec:\n', 'spec:\n  clusterCIDR: 10.0.0.0/8\n  serviceCIDR: «10.96.0.0/12\n')],
  ['SCN_EXTERNAL_HOST_ADDRESS', CLUSTER.replace('spec:\n', 'spec:\n  externalHosts: [{name: laptop, addresses: [«192.168.56.7]}]\n')],
  ['SCN_ADDRESS_OUT_OF_RANGE', `${CLUSTER}${POD('p', 'status: {podIP: «10.244.1.9}\n')}`],
  ['SCN_DUPLICATE_ADDRESS', `${CLUSTER}${POD('p', 'status: {podIP: 10.244.0.9}\n')}${POD('q', 'status: {podIP: «10.244.0.9}\n')}`],
  ['SCN_DUPLICATE_NAME', `${CLUSTER}${POD('p')}`.concat(POD('p').replace('{name: p,', '{name: «p,'))],
  ['SCN_DUPLICATE_PORT', `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{name: a, port: 80}, {name: b, port: «80}]}\n`],
  ['SCN_MISSING_REFERENCE', `${CLUSTER}${POD('p')}`.replace('nodeName: n1', 'nodeName: «n9')],
  ['SCN_IP_EXHAUSTED', CLUSTER.replace('spec:\n', 'spec:\n  clusterCIDR: 10.244.0.0/24\n  nodeCIDRMaskSize: 24\n').replace('{name: n2}', '{name: «n2}')],
  ['SCN_PORT_EXHAUSTED', ''],
  ['SCN_UNKNOWN_KIND', `${CLUSTER}---\napiVersion: v1\nkind: «Pdo\nmetadata: {name: p}\n`],
  ['SCN_IGNORED_KIND', `${CLUSTER}---\napiVersion: v1\nkind: «ConfigMap\nmetadata: {name: d}\n`],
  ['SCN_SELECTOR_MISMATCH', `${CLUSTER}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata:\n      labels: «{app: api}\n    spec: {containers: [{name: c}]}\n`],
  ['SCN_WORKLOAD_UNSCHEDULABLE', `${CLUSTER}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: «gpu}\nspec:\n  selector: {matchLabels: {app: gpu}}\n  template:\n    metadata: {labels: {app: gpu}}\n    spec: {nodeSelector: {gpu: "true"}, containers: [{name: c}]}\n`],
  ['SCN_NO_CLUSTER', `«${POD('p')}`],
  ['SCN_MULTIPLE_CLUSTERS', `${CLUSTER}---\n${CLUSTER.replace('kind: Cluster', 'kind: «Cluster')}`],
  ['SCN_NO_NODES', CLUSTER.replace('spec:\n  nodes: [{name: n1}, {name: n2}]', 'spec:\n  clusterCIDR: 10.244.0.0/16\n  nodes: «[]')],
  ['SCN_SELECTOR_MATCHES_NOTHING', `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: «{app: none}, ports: [{port: 80}]}\n`],
  ['SCN_CALICO_KIND_IGNORED', `${CALICO_CLUSTER}---\napiVersion: projectcalico.org/v3\nkind: «GlobalNetworkPolicy\nmetadata: {name: deny}\nspec: {selector: all()}\n`],
  ['SCN_CALICO_FIELD_IGNORED', `${CALICO_CLUSTER}${CALICO('IPPool', 'p', 'spec:\n  cidr: 10.244.0.0/16\n  «disableBGPExport: true\n')}`],
  ['SCN_CALICO_NOT_IN_USE', `${CLUSTER}---\napiVersion: crd.projectcalico.org/v1\nkind: «IPPool\nmetadata: {name: p}\nspec: {cidr: 10.244.0.0/16}\n`],
  ['SCN_CALICO_POOL_OVERLAP', `${CALICO_CLUSTER}${CALICO('IPPool', 'a', 'spec: {cidr: 10.244.0.0/18}\n')}${CALICO('IPPool', 'b', 'spec: {cidr: «10.244.32.0/19}\n')}`],
  ['SCN_CALICO_POOL_OUTSIDE_CLUSTER', `${CALICO_CLUSTER}${CALICO('IPPool', 'p', 'spec: {cidr: «192.168.0.0/16}\n')}`],
  ['SCN_CALICO_BLOCK_SIZE', `${CALICO_CLUSTER}${CALICO('IPPool', 'p', 'spec: {cidr: 10.244.0.0/28, blockSize: «26}\n')}`],
  ['SCN_CALICO_ENCAP_CONFLICT', `${CALICO_CLUSTER}${CALICO('IPPool', 'p', 'spec: {cidr: 10.244.0.0/16, ipipMode: «Always, vxlanMode: CrossSubnet}\n')}`],
  ['SCN_FLANNEL_FAMILY', CLUSTER.replace('spec:\n', 'spec:\n  clusterCIDR: 10.244.0.0/16\n  cni: {type: flannel, enableIPv6: «true}\n')],
  ['SCN_CALICO_IPIP_IPV6', `${CALICO_CLUSTER.replace('spec:\n', 'spec:\n  clusterCIDR: fd00:10:244::/56\n')}${CALICO('IPPool', 'p', 'spec: {cidr: "fd00:10:244::/64", ipipMode: «Always}\n')}`],
  ['SCN_CALICO_BAD_SELECTOR', `${CALICO_CLUSTER}${CALICO('IPPool', 'p', 'spec: {cidr: 10.244.0.0/16, nodeSelector: «"rack == \'a\') && all()"}\n')}`],
  ['SCN_CALICO_STRICT_AFFINITY', `${CALICO_CLUSTER}${CALICO('IPAMConfiguration', 'default', 'spec: {maxBlocksPerHost: «4}\n')}`],
  ['SCN_CALICO_SINGLETON_NAME', `${CALICO_CLUSTER}${CALICO('IPAMConfiguration', '«ipam', 'spec: {strictAffinity: true}\n')}`],
  ['SCN_CALICO_BACKEND', `${CALICO_CLUSTER.replace('{type: calico}', '{type: calico, backend: vxlan}')}${CALICO('IPPool', 'p', 'spec: {cidr: «10.244.0.0/16, ipipMode: Always}\n')}`],
  ['SCN_BGP_BAD_AS_NUMBER', `${CALICO_CLUSTER}${CALICO('BGPConfiguration', 'default', 'spec: {asNumber: «4294967296}\n')}`],
  ['SCN_BGP_UNKNOWN_NODE', `${CALICO_CLUSTER}${CALICO('BGPPeer', 'tor', 'spec: {node: «n9, peerIP: 192.168.56.254, asNumber: 65001}\n')}`],
  ['SCN_BGP_PEER_UNREACHABLE', `${CALICO_CLUSTER}${CALICO('BGPPeer', 'tor', 'spec: {peerIP: «10.99.0.1, asNumber: 65001}\n')}`],
  ['SCN_BGP_AS_MISMATCH', `${CALICO_CLUSTER}${CALICO('BGPPeer', 'n2', 'spec: {node: n1, peerIP: «192.168.56.12, asNumber: 65001}\n')}`],
  ['SCN_BGP_DUPLICATE_ROUTER_ID', `${BGP_RACK.replace('bgp: {asNumber: 65001}', 'bgp: {asNumber: 65001, routerID: «192.168.1.11}')}${CALICO('BGPConfiguration', 'default', 'spec: {nodeToNodeMeshEnabled: false}\n')}${CALICO('BGPPeer', 'tor', 'spec: {peerIP: 192.168.1.1, asNumber: 65001}\n')}`],
  ['SCN_BGP_RR_NO_CLIENTS', `${CALICO_CLUSTER}${CALICO('Node', 'n1', 'spec:\n  bgp: {routeReflectorClusterID: «244.0.0.1}\n')}`],
  ['SCN_BGP_NO_PEERS', `${CALICO_CLUSTER.replace('{name: n1}', '{name: «n1}')}${CALICO('BGPConfiguration', 'default', 'spec: {nodeToNodeMeshEnabled: false}\n')}`],
  ['SCN_NETPOL_BAD_SELECTOR', `${KUBE_ROUTER}${NETPOL('p', '{podSelector: {matchExpressions: [{key: tier, operator: «Equals, values: [web]}]}}')}`],
  ['SCN_NETPOL_BAD_PEER', `${KUBE_ROUTER}${NETPOL('p', '{ingress: [{from: [{podSelector: {}, «ipBlock: {cidr: 10.0.0.0/8}}]}]}')}`],
  ['SCN_NETPOL_EXCEPT_OUTSIDE_CIDR', `${KUBE_ROUTER}${NETPOL('p', '{egress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [«10.1.0.0/24]}}]}]}')}`],
  ['SCN_NETPOL_BAD_PORT', `${KUBE_ROUTER}${NETPOL('p', '{ingress: [{ports: [{port: http, endPort: «8080}]}]}')}`],
  ['SCN_NETPOL_POLICY_TYPE', `${KUBE_ROUTER}${NETPOL('p', '{policyTypes: [«ingress]}')}`],
  ['SCN_NETPOL_ENFORCER', CLUSTER.replace('spec:\n', 'spec:\n  networkPolicy: {enforcer: «canal}\n')],
  ['SCN_NETPOL_NOT_ENFORCED', `${CLUSTER}---\napiVersion: networking.k8s.io/v1\nkind: «NetworkPolicy\nmetadata: {name: deny-all, namespace: x}\nspec: {podSelector: {}}\n`],
  ['SCN_ANP_PRIORITY', `${CALICO_CLUSTER}${ANP('deny-y', '«1001', `${SUBJECT_X}  ingress: [{action: Deny, from: [${FROM_Y}]}]\n`)}`],
  ['SCN_ANP_SUBJECT', `${CALICO_CLUSTER}${ANP('deny-y', '10', `  subject: «{namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}\n`)}`],
  ['SCN_ANP_ACTION', `${CALICO_CLUSTER}${BANP('default', `${SUBJECT_X}  ingress: [{action: «Pass, from: [${FROM_Y}]}]\n`)}`],
  ['SCN_ANP_BAD_PEER', `${CALICO_CLUSTER}${ANP('deny-y', '10', `${SUBJECT_X}  egress: [{action: Deny, to: «[]}]\n`)}`],
  ['SCN_ANP_BAD_PORT', `${CALICO_CLUSTER}${ANP('deny-y', '10', `${SUBJECT_X}  ingress: [{action: Deny, from: [${FROM_Y}], ports: [{portRange: {start: 90, end: «80}}]}]\n`)}`],
  ['SCN_ANP_TOO_MANY', `${CALICO_CLUSTER}${ANP('deny-y', '10', `${SUBJECT_X}  egress: [{action: Allow, to: [{networks: «[${Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`).join(', ')}]}]}]\n`)}`],
  ['SCN_BANP_NAME', `${CALICO_CLUSTER}${BANP('«baseline', `${SUBJECT_X}  ingress: [{action: Deny, from: [${FROM_Y}]}]\n`)}`],
  ['SCN_ANP_DOMAIN_NAMES', `${CALICO_CLUSTER}${ANP('allow-dns', '10', `${SUBJECT_X}  egress: [{action: Allow, to: [{domainNames: «[example.com]}]}]\n`)}`],
  ['SCN_ANP_SAME_PRIORITY', `${CALICO_CLUSTER}${ANP('a', '10', `${SUBJECT_X}`)}${ANP('b', '«10', `${SUBJECT_X}`)}`],
  ['SCN_ANP_NOT_ENFORCED', `${CLUSTER}---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: «AdminNetworkPolicy\nmetadata: {name: deny-y}\nspec:\n  priority: 10\n${SUBJECT_X}  ingress: [{action: Deny, from: [${FROM_Y}]}]\n`],
  ['SCN_ANP_CALICO_GAP', `${CALICO_CLUSTER}---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: «AdminNetworkPolicy\nmetadata: {name: deny-y}\nspec:\n  priority: 10\n${SUBJECT_X}  ingress: [{action: Deny, from: [${FROM_Y}], ports: [{namedPort: http}]}]\n`],
  ['SCN_TARGET_PORT_UNRESOLVED', `${CLUSTER}${POD('p')}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: x}, ports: [{port: 80, targetPort: «grpc}]}\n`],
];

/** SCN_PORT_EXHAUSTED: a NodePort Service with every node port, then one more. */
export function portExhaustedCase(): string {
  const ports = Array.from({ length: 2768 }, (_, i) => `{name: p${i}, port: ${i + 1}}`).join(', ');
  return `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort, ports: [${ports}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: «t}\nspec: {type: NodePort, ports: [{port: 80}]}\n`;
}
