/**
 * Every entry of the field tables is applied by a reader: for each, a scenario with one bad
 * value, where `«` marks the token the diagnostic must point at, and the message it must carry.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../load.js';
import { INT_FIELDS, LIST_FIELDS, TEXT_FIELDS } from './uses.js';

const CLUSTER = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  nodes: [{name: n1}]\n';
const pod = (meta: string, spec = 'containers: [{name: c}]', status = ''): string =>
  `${CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {${meta}}\nspec: {${spec}}\n${status}`;
const svc = (meta: string, spec: string): string => `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {${meta}}\nspec: {${spec}}\n`;
const slice = (body: string): string =>
  `${CLUSTER}---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: s, labels: {kubernetes.io/service-name: x}}\naddressType: IPv4\n${body}`;
const apps = (kind: string, meta: string, spec: string): string => `${CLUSTER}---\napiVersion: apps/v1\nkind: ${kind}\nmetadata: {${meta}}\nspec: {${spec}}\n`;
const TEMPLATE = 'selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c}]}}';
const cluster = (spec: string): string => CLUSTER.replace('spec:\n', `spec:\n${spec}`);
const adminpol = (kind: string, meta: string, spec: string): string =>
  `${CLUSTER}---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: ${kind}\nmetadata: {${meta}}\nspec: {${spec}}\n`;
const netpol = (meta: string, spec: string): string =>
  `${cluster('  networkPolicy: {enforcer: kube-router}\n')}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {${meta}}\nspec: {${spec}}\n`;

/** The diagnostics of `text` (with `«` removed) as `CODE@line:col message`, and where `«` was. */
function locate(text: string): { want: string; got: string[] } {
  const at = text.indexOf('«');
  const clean = text.replace('«', '');
  const before = clean.slice(0, at).split('\n');
  const { diagnostics } = loadScenario([{ path: 's.yaml', text: clean }]);
  return {
    want: `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`,
    got: diagnostics.map((d) => `${d.code}@${d.pos?.line}:${d.pos?.col} ${d.message}`),
  };
}

type Case = readonly [field: string, code: string, message: string, text: string];

const TEXT_CASES: readonly Case[] = [
  ['Pod metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "Pod_A": a lowercase RFC 1123 subdomain must consist of', pod('name: «Pod_A')],
  ['Service metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "1web": a DNS-1035 label must consist of', svc('name: «1web', 'ports: [{port: 80}]')],
  ['Node metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "Node_2"', `${CLUSTER}---\napiVersion: v1\nkind: Node\nmetadata: {name: «Node_2}\n`],
  ['Namespace metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "team.a": must not contain dots', `${CLUSTER}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: «team.a}\n`],
  ['EndpointSlice metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "S"', slice('endpoints: []\n').replace('{name: s,', '{name: «S,')],
  ['metadata.namespace', 'SCN_INVALID_NAME', 'metadata.namespace: Invalid value: "Team"', pod('name: p, namespace: «Team')],
  ['metadata.labels key', 'SCN_INVALID_NAME', 'metadata.labels: Invalid value: "app/x/y": a valid label key', pod('name: p, labels: {«app/x/y: a}')],
  ['metadata.labels value', 'SCN_INVALID_NAME', 'metadata.labels: Invalid value: "-a": a valid label must be', pod('name: p, labels: {app: «-a}')],
  ['metadata.annotations key', 'SCN_INVALID_NAME', 'metadata.annotations: Invalid value: "Bad Key": name part must consist', pod('name: p, annotations: {«Bad Key: x}')],
  ['Pod spec.nodeName', 'SCN_INVALID_NAME', 'spec.nodeName: Invalid value: "N1"', pod('name: p', 'nodeName: «N1, containers: [{name: c}]')],
  ['Pod spec.hostname', 'SCN_INVALID_NAME', 'spec.hostname: Invalid value: "Web"', pod('name: p', 'hostname: «Web, containers: [{name: c}]')],
  ['Pod spec.subdomain', 'SCN_INVALID_NAME', 'spec.subdomain: Invalid value: "a.b": must not contain dots', pod('name: p', 'subdomain: «a.b, containers: [{name: c}]')],
  ['Pod spec.dnsConfig.searches[]', 'SCN_INVALID_NAME', 'spec.dnsConfig.searches[0]: Invalid value: "shop_svc.cluster.local"', pod('name: p', 'dnsConfig: {searches: [«shop_svc.cluster.local]}, containers: [{name: c}]')],
  ['Cluster spec.dns.clusterDomain', 'SCN_INVALID_NAME', 'spec.dns.clusterDomain: Invalid value: "Cluster.Local"', CLUSTER.replace('spec:\n', 'spec:\n  dns: {clusterDomain: «Cluster.Local}\n')],
  ['Pod spec.containers[].name', 'SCN_INVALID_NAME', 'spec.containers[0].name: Invalid value: "Web"', pod('name: p', 'containers: [{name: «Web}]')],
  ['Pod spec.containers[].ports[].name', 'SCN_INVALID_NAME', 'spec.containers[0].ports[0].name: Invalid value: "http-metrics-v22": must be no more than 15 characters', pod('name: p', 'containers: [{name: c, ports: [{name: «http-metrics-v22, containerPort: 80}]}]')],
  ['Service spec.selector key', 'SCN_INVALID_NAME', 'spec.selector: Invalid value: "-app"', svc('name: s', 'selector: {«-app: x}, ports: [{port: 80}]')],
  ['Service spec.selector value', 'SCN_INVALID_NAME', 'spec.selector: Invalid value: "x y"', svc('name: s', 'selector: {app: «x y}, ports: [{port: 80}]')],
  ['Service spec.ports[].name', 'SCN_INVALID_NAME', 'spec.ports[0].name: Invalid value: "HTTP"', svc('name: s', 'ports: [{name: «HTTP, port: 80}]')],
  ['Service spec.ports[].appProtocol', 'SCN_INVALID_NAME', 'spec.ports[0].appProtocol: Invalid value: "h2 c"', svc('name: s', 'ports: [{port: 80, appProtocol: «h2 c}]')],
  ['Service spec.externalName', 'SCN_INVALID_NAME', 'spec.externalName: Invalid value: "db_1.example.com."', svc('name: s', 'type: ExternalName, externalName: «db_1.example.com.')],
  ['Service spec.ports[].targetPort (a name)', 'SCN_INVALID_NAME', 'spec.ports[0].targetPort: Invalid value: "web--ui": must not contain consecutive hyphens', svc('name: s', 'ports: [{port: 80, targetPort: «web--ui}]')],
  ['Service spec.loadBalancerClass', 'SCN_INVALID_NAME', 'spec.loadBalancerClass: Invalid value: "example.com/lb/v2"', svc('name: s', 'type: LoadBalancer, loadBalancerClass: «example.com/lb/v2, ports: [{port: 80}]')],
  ['EndpointSlice endpoints[].nodeName', 'SCN_INVALID_NAME', 'endpoints[0].nodeName: Invalid value: "n_1"', slice('endpoints: [{addresses: [10.0.0.1], nodeName: «n_1}]\n')],
  ['EndpointSlice endpoints[].hostname', 'SCN_INVALID_NAME', 'endpoints[0].hostname: Invalid value: "web.1": must not contain dots', slice('endpoints: [{addresses: [10.0.0.1], hostname: «web.1}]\n')],
  ['EndpointSlice ports[].name', 'SCN_INVALID_NAME', 'ports[0].name: Invalid value: "Http"', slice('ports: [{name: «Http, port: 80}]\n')],
  ['EndpointSlice ports[].appProtocol', 'SCN_INVALID_NAME', 'ports[0].appProtocol: Invalid value: "-http"', slice('ports: [{port: 80, appProtocol: «-http}]\n')],
  ['NetworkPolicy metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "Deny_All"', netpol('name: «Deny_All', 'podSelector: {}')],
  ['AdminNetworkPolicy metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "Deny_Y"', adminpol('AdminNetworkPolicy', 'name: «Deny_Y', 'priority: 1, subject: {namespaces: {}}')],
  ['BaselineAdminNetworkPolicy metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "Default_"', adminpol('BaselineAdminNetworkPolicy', 'name: «Default_', 'subject: {namespaces: {}}')],
  ['AdminNetworkPolicy ports[].namedPort', 'SCN_INVALID_NAME', 'spec.ingress[0].ports[0].namedPort: Invalid value: "web--ui"', adminpol('AdminNetworkPolicy', 'name: a', 'priority: 1, subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}], ports: [{namedPort: «web--ui}]}]')],
  ['LabelSelector matchLabels key', 'SCN_INVALID_NAME', 'spec.podSelector.matchLabels: Invalid value: "-app"', netpol('name: p', 'podSelector: {matchLabels: {«-app: web}}')],
  ['LabelSelector matchLabels value', 'SCN_INVALID_NAME', 'spec.ingress[0].from[0].namespaceSelector.matchLabels: Invalid value: "a b"', netpol('name: p', 'ingress: [{from: [{namespaceSelector: {matchLabels: {team: «a b}}}]}]')],
  ['LabelSelector matchExpressions[].key', 'SCN_INVALID_NAME', 'spec.podSelector.matchExpressions[0].key: Invalid value: "a/b/c"', netpol('name: p', 'podSelector: {matchExpressions: [{key: «a/b/c, operator: Exists}]}')],
  ['LabelSelector matchExpressions[].values[]', 'SCN_INVALID_NAME', 'spec.podSelector.matchExpressions[0].values[1]: Invalid value: "-x"', netpol('name: p', 'podSelector: {matchExpressions: [{key: a, operator: In, values: [ok, «-x]}]}')],
  ['NetworkPolicy ports[].port (a name)', 'SCN_INVALID_NAME', 'spec.ingress[0].ports[0].port: Invalid value: "8080": must contain at least one letter', netpol('name: p', 'ingress: [{ports: [{port: «"8080"}]}]')],
  ['Calico metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "Pool_A"', `${cluster('  cni: {type: calico}\n')}---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: «Pool_A}\nspec: {cidr: 10.244.0.0/16}\n`],
  ['Deployment metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "Web_1"', apps('Deployment', 'name: «Web_1', TEMPLATE)],
  ['ReplicaSet metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "rs."', apps('ReplicaSet', 'name: «rs.', TEMPLATE)],
  ['StatefulSet metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "db.v1": must not contain dots', apps('StatefulSet', 'name: «db.v1', TEMPLATE)],
  ['DaemonSet metadata.name', 'SCN_INVALID_NAME', 'metadata.name: Invalid value: "Agent"', apps('DaemonSet', 'name: «Agent', TEMPLATE)],
  ['StatefulSet spec.serviceName', 'SCN_INVALID_NAME', 'spec.serviceName: Invalid value: "db.svc"', apps('StatefulSet', 'name: db', `serviceName: «db.svc, ${TEMPLATE}`)],
  ['Node spec.taints[].key', 'SCN_INVALID_NAME', 'spec.nodes[0].taints[0].key: Invalid value: "-gpu"', CLUSTER.replace('{name: n1}', '{name: n1, taints: [{key: «-gpu, effect: NoSchedule}]}')],
  ['Pod spec.tolerations[].key', 'SCN_INVALID_NAME', 'spec.template.spec.tolerations[0].key: Invalid value: "a b"', apps('DaemonSet', 'name: d', TEMPLATE.replace('spec: {containers', 'spec: {tolerations: [{key: «a b, operator: Exists}], containers'))],
  ['Pod spec.nodeSelector key', 'SCN_INVALID_NAME', 'spec.template.spec.nodeSelector: Invalid value: "-disk"', apps('Deployment', 'name: d', TEMPLATE.replace('spec: {containers', 'spec: {nodeSelector: {«-disk: ssd}, containers'))],
  ['Pod spec.nodeSelector value', 'SCN_INVALID_NAME', 'spec.template.spec.nodeSelector: Invalid value: "s s d"', apps('Deployment', 'name: d', TEMPLATE.replace('spec: {containers', 'spec: {nodeSelector: {disk: «s s d}, containers'))],
  ['Cluster spec.nodes[].name', 'SCN_INVALID_NAME', 'spec.nodes[0].name: Invalid value: "n_1"', CLUSTER.replace('{name: n1}', '{name: «n_1}')],
  ['Cluster spec.externalHosts[].name', 'SCN_INVALID_NAME', 'spec.externalHosts[0].name: Invalid value: "my.laptop"', cluster('  externalHosts: [{name: «my.laptop, addresses: [203.0.113.7]}]\n')],
  ['Cluster spec.cni.bridge', 'SCN_BAD_INTERFACE_NAME', 'spec.cni.bridge: Invalid value: "a-very-long-bridge": must be no more than 15 bytes', cluster('  cni: {bridge: «a-very-long-bridge}\n')],
  ['Cluster spec.nodes[].interfaces[].name', 'SCN_BAD_INTERFACE_NAME', 'spec.nodes[0].interfaces[0].name: Invalid value: "eth1/x"', CLUSTER.replace('{name: n1}', '{name: n1, interfaces: [{name: «eth1/x}]}')],
  ['Cluster spec.kubeProxy.detectLocal.bridgeInterface', 'SCN_BAD_INTERFACE_NAME', "spec.kubeProxy.detectLocal.bridgeInterface: Invalid value: \"br:0\": must not contain '/' or ':'", cluster('  kubeProxy: {detectLocalMode: BridgeInterface, detectLocal: {bridgeInterface: «br:0}}\n')],
  ['Cluster spec.kubeProxy.detectLocal.interfaceNamePrefix', 'SCN_BAD_INTERFACE_NAME', 'Invalid value: "veth ": must not contain whitespace', cluster('  kubeProxy: {detectLocalMode: InterfaceNamePrefix, detectLocal: {interfaceNamePrefix: «"veth "}}\n')],
];

const INT_CASES: readonly Case[] = [
  ['Pod spec.containers[].ports[].containerPort', 'SCN_BAD_VALUE', 'spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive', pod('name: p', 'containers: [{name: c, ports: [{containerPort: «0}]}]')],
  ['Pod spec.containers[].ports[].hostPort', 'SCN_BAD_VALUE', 'spec.containers[0].ports[0].hostPort: Invalid value: -8080:', pod('name: p', 'containers: [{name: c, ports: [{containerPort: 80, hostPort: «-8080}]}]')],
  ['Service spec.ports[].port', 'SCN_BAD_VALUE', 'spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive', svc('name: s', 'ports: [{port: «65536}]')],
  ['Service spec.ports[].targetPort', 'SCN_BAD_VALUE', 'spec.ports[0].targetPort: Invalid value: -1:', svc('name: s', 'ports: [{port: 80, targetPort: «-1}]')],
  ['Service spec.ports[].nodePort', 'SCN_BAD_VALUE', 'spec.ports[0].nodePort: Invalid value: 9007199254740992 (too large to be exact):', svc('name: s', 'type: NodePort, ports: [{port: 80, nodePort: «9007199254740993}]')],
  ['Service spec.healthCheckNodePort', 'SCN_BAD_VALUE', 'spec.healthCheckNodePort: Invalid value: 70000:', svc('name: s', 'type: LoadBalancer, healthCheckNodePort: «70000, ports: [{port: 80}]')],
  ['Service spec.sessionAffinityConfig.clientIP.timeoutSeconds', 'SCN_BAD_VALUE', 'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400', svc('name: s', 'sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: «86401}}, ports: [{port: 80}]')],
  ['Workload spec.replicas', 'SCN_BAD_VALUE', 'spec.replicas: Invalid value: -1: must be greater than or equal to 0', apps('Deployment', 'name: d', `replicas: «-1, ${TEMPLATE}`)],
  ['StatefulSet spec.ordinals.start', 'SCN_BAD_VALUE', 'spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0', apps('StatefulSet', 'name: d', `ordinals: {start: «-2}, ${TEMPLATE}`)],
  ['EndpointSlice ports[].port', 'SCN_BAD_VALUE', 'ports[0].port: Invalid value: 0:', slice('ports: [{name: a, port: «0}]\n')],
  ['NetworkPolicy ports[].port', 'SCN_BAD_VALUE', 'spec.egress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive', netpol('name: p', 'egress: [{ports: [{port: «0}]}]')],
  ['NetworkPolicy ports[].endPort', 'SCN_BAD_VALUE', 'spec.ingress[0].ports[0].endPort: Invalid value: 70000:', netpol('name: p', 'ingress: [{ports: [{port: 80, endPort: «70000}]}]')],
];

const many = (n: number, item: string): string => `[${Array.from({ length: n }, () => item).join(', ')}]`;

const LIST_CASES: readonly Case[] = [
  ['EndpointSlice endpoints', 'SCN_BAD_VALUE', 'endpoints: Too many: 1001: must have at most 1000 items', slice(`endpoints: «${many(1001, '{addresses: [10.0.0.1]}')}\n`)],
  ['EndpointSlice endpoints[].addresses', 'SCN_BAD_VALUE', 'endpoints[0].addresses: Too many: 101: must have at most 100 items', slice(`endpoints: [{addresses: «${many(101, '10.0.0.1')}}]\n`)],
  ['EndpointSlice ports', 'SCN_BAD_VALUE', 'ports: Too many: 101: must have at most 100 items', slice(`ports: «${many(101, '{port: 80}')}\n`)],
];

const OTHER_CASES: readonly Case[] = [
  ['loopback endpoint', 'SCN_BAD_ADDRESS', 'endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)', slice('endpoints: [{addresses: [«127.0.0.1]}]\n')],
  ['link-local externalIP', 'SCN_BAD_ADDRESS', 'spec.externalIPs[0]: Invalid value: "169.254.169.254": may not be in the link-local range', svc('name: s', 'externalIPs: [«169.254.169.254], ports: [{port: 80}]')],
  ['unspecified IPv6 endpoint', 'SCN_BAD_ADDRESS', 'may not be unspecified (::)', slice('endpoints: [{addresses: [«"::"]}]\n').replace('IPv4', 'IPv6')],
  ['duplicate slice port name', 'SCN_DUPLICATE_NAME', 'ports[1].name: Duplicate value: "a"', slice('ports: [{name: a, port: 80}, {name: «a, port: 81}]\n')],
  ['containers: []', 'SCN_MISSING_FIELD', 'spec.containers: Required value', pod('name: p', 'containers: «[]')],
  ['empty name', 'SCN_MISSING_FIELD', 'metadata.name: Required value', pod('name: «""')],
  ['duplicate container', 'SCN_DUPLICATE_NAME', 'spec.containers[1].name: Duplicate value: "c"', pod('name: p', 'containers: [{name: c}, {name: «c}]')],
  ['podIPs[0] differs', 'SCN_BAD_VALUE', 'status.podIPs[0].ip: Invalid value: "10.244.0.6": must equal status.podIP ("10.244.0.5")', pod('name: p', undefined, 'status: {podIP: 10.244.0.5, podIPs: [{ip: «10.244.0.6}]}\n')],
  ['affinity config without ClientIP', 'SCN_BAD_VALUE', 'spec.sessionAffinityConfig: Forbidden', svc('name: s', '«sessionAffinityConfig: {clientIP: {timeoutSeconds: 5}}, ports: [{port: 80}]')],
  ['annotations too large', 'SCN_BAD_VALUE', 'metadata.annotations: Too long: may not be more than 262144 bytes', pod(`name: p, «annotations: {a: ${'x'.repeat(262144)}}`)],
  ['annotation value not a string', 'SCN_WRONG_TYPE', 'metadata.annotations.a must be a string', pod('name: p, annotations: {a: «1}')],
  ['quoted number as targetPort', 'SCN_INVALID_NAME', 'must contain at least one letter (a-z) (a port number is written without quotes)', svc('name: s', 'ports: [{port: 80, targetPort: «"8080"}]')],
  ['1e400 as a port', 'SCN_WRONG_TYPE', 'spec.ports[0].port must be an integer, not the number Infinity', svc('name: s', 'ports: [{port: «1e400}]')],
  ['1.5 as a port', 'SCN_WRONG_TYPE', 'must be an integer', svc('name: s', 'ports: [{port: «1.5}]')],
  ['a second podIP that is no address', 'SCN_BAD_ADDRESS', 'status.podIPs[1].ip: "fd00::x" is not', pod('name: p', undefined, 'status: {podIPs: [{ip: 10.244.0.5}, {ip: «"fd00::x"}]}\n')],
  ['a netsim integer out of range', 'SCN_BAD_VALUE', 'spec.kubeProxy.masqueradeBit: Invalid value: -1: must be between 0 and 31, inclusive', cluster('  kubeProxy: {masqueradeBit: «-1}\n')],
  ['a netsim integer past 2^53', 'SCN_BAD_VALUE', 'spec.cni.mtu: Invalid value: 9007199254740992 (too large to be exact)', cluster('  cni: {mtu: «9007199254740993}\n')],
  ['nodePort outside the range', 'SCN_BAD_VALUE', 'spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767', svc('name: s', 'type: NodePort, ports: [{port: 80, nodePort: «29999}]')],
  // A control character is refused by the YAML layer before the name rules run (SCN_BAD_CHARACTER).
  ['a NUL byte in a name', 'SCN_BAD_CHARACTER', 'name "pod\\u0000a" holds the control character U+0000', pod('name: «"pod\\0a"')],
  ['a long name, cut in the message', 'SCN_INVALID_NAME', `metadata.name: Invalid value: "${'a'.repeat(80)}…": must be no more than 253 characters`, pod(`name: «${'a'.repeat(300)}`)],
  ['no nodes and no nodes list: at the spec key', 'SCN_NO_NODES', 'the cluster has no nodes', CLUSTER.replace('spec:\n  nodes: [{name: n1}]', '«spec:\n  clusterCIDR: 10.244.0.0/16')],
  ['healthCheckNodePort without LoadBalancer and Local', 'SCN_BAD_VALUE', "spec.healthCheckNodePort: Invalid value: 30100: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'", svc('name: s', 'type: NodePort, healthCheckNodePort: «30100, ports: [{port: 80}]')],
  ['loadBalancerSourceRanges without LoadBalancer', 'SCN_BAD_VALUE', "spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'", svc('name: s', 'type: NodePort, «loadBalancerSourceRanges: [10.0.0.0/8], ports: [{port: 80}]')],
  ['nodePort on a ClusterIP Service', 'SCN_BAD_VALUE', "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'", svc('name: s', 'ports: [{port: 80, nodePort: «30080}]')],
  ['bridge named lo', 'SCN_BAD_INTERFACE_NAME', 'is the name of another device on every node', cluster('  cni: {bridge: «lo}\n')],
];

describe('validation diagnostics, located and worded as the API server words them', () => {
  it.each([...TEXT_CASES, ...INT_CASES, ...LIST_CASES, ...OTHER_CASES])('%s', (_field, code, message, text) => {
    const { want, got } = locate(text);
    const hit = got.find((g) => g.startsWith(`${code}@${want} `) && g.includes(message));
    expect(hit, `want ${code}@${want} …${message}…, got:\n${got.join('\n')}`).toBeDefined();
  });

  it('has a case for every field of the tables', () => {
    expect(TEXT_CASES.map(([f]) => f)).toEqual(Object.keys(TEXT_FIELDS));
    expect(INT_CASES.map(([f]) => f)).toEqual(Object.keys(INT_FIELDS));
    expect(LIST_CASES.map(([f]) => f)).toEqual(Object.keys(LIST_FIELDS));
  });

  it.each([
    ['a container port', pod('name: p', 'containers: [{name: c, ports: [{name: Http, containerPort: 0}]}]')],
    ['a Service port', svc('name: s', 'ports: [{name: Http, port: 0}]')],
    ['an EndpointSlice port', slice('ports: [{name: Http, port: 0}]\n')],
  ])('reports both a bad name and a bad number of %s, as the API server reports every field', (_, text) => {
    const codes = locate(text).got.map((g) => g.split('@')[0]);
    expect(codes).toEqual(expect.arrayContaining(['SCN_INVALID_NAME', 'SCN_BAD_VALUE']));
  });

  it('accepts 0 and "" as an unset targetPort and nodePort, as Kubernetes defaults them', () => {
    const { got } = locate(svc('name: s', 'type: NodePort, ports: [{name: a, port: 80, targetPort: 0, nodePort: 0}, {name: b, port: 81, targetPort: ""}]'));
    expect(got).toEqual([]);
  });
});
