/**
 * Upstream's TestInternalExternalMasquerade packet-flow table (kubernetes/kubernetes
 * pkg/proxy/iptables/proxier_test.go, code-index id 191206484) in its four variants: three
 * LoadBalancer services (eTP/iTP Cluster, eTP Local, iTP Local), each with one endpoint on this
 * node and one remote. Expected values are upstream's: the node's own traffic is masqueraded
 * whenever KUBE-MARK-MASQ ran, so the kernel's POSTROUTING agrees with upstream's "mark set"
 * column on every row.
 */
import { ep, fakeProxierConfig, svcPort, testNodeName } from '../../../src/proxy/iptables/__fixtures__/upstream.js';
import type { ServicePortInput } from '../../../src/proxy/index.js';
import type { FlowCase, FlowRow } from '../../helpers/proxy-flow.js';

const testNodeIP = '192.168.0.2';
const testExternalClient = '203.0.113.2';

const lb = (ns: string, name: string, clusterIP: string, nodePort: number, lbIP: string, extra: Partial<ServicePortInput>) =>
  svcPort(ns, name, { type: 'LoadBalancer', clusterIP, nodePort, healthCheckNodePort: 30000 + (nodePort % 10), loadBalancerIPs: [lbIP], ...extra });
const services = [
  lb('ns1', 'svc1', '172.30.0.41', 3001, '1.2.3.4', {}),
  lb('ns2', 'svc2', '172.30.0.42', 3002, '5.6.7.8', { externalTrafficPolicy: 'Local' }),
  lb('ns3', 'svc3', '172.30.0.43', 3003, '9.10.11.12', { internalTrafficPolicy: 'Local' }),
];
const pair = (n: number) => [ep(`10.180.0.${n}`, 80, { nodeName: testNodeName }), ep(`10.180.1.${n}`, 80, { nodeName: 'remote' })];
const endpoints = { 'ns1/svc1:p80': pair(1), 'ns2/svc2:p80': pair(2), 'ns3/svc3:p80': pair(3) };
const all = (n: number) => `10.180.0.${n}:80, 10.180.1.${n}:80`;
const row = (name: string, sourceIP: string, destIP: string, destPort: number, output: string, masq: boolean): FlowRow => ({ name, sourceIP, destIP, destPort, output, masq });

/** The base table (detector on, masqueradeAll off), as upstream writes it. */
const base: readonly FlowRow[] = [
  row('pod to ClusterIP', '10.0.0.2', '172.30.0.41', 80, all(1), false),
  row('pod to NodePort', '10.0.0.2', testNodeIP, 3001, all(1), true),
  row('pod to LB', '10.0.0.2', '1.2.3.4', 80, all(1), true),
  row('node to ClusterIP', testNodeIP, '172.30.0.41', 80, all(1), true),
  row('node to NodePort', testNodeIP, testNodeIP, 3001, all(1), true),
  row('localhost to NodePort', '127.0.0.1', '127.0.0.1', 3001, all(1), true),
  row('node to LB', testNodeIP, '1.2.3.4', 80, all(1), true),
  row('external to ClusterIP', testExternalClient, '172.30.0.41', 80, all(1), true),
  row('external to NodePort', testExternalClient, testNodeIP, 3001, all(1), true),
  row('external to LB', testExternalClient, '1.2.3.4', 80, all(1), true),
  row('pod to ClusterIP with eTP:Local', '10.0.0.2', '172.30.0.42', 80, all(2), false),
  row('pod to NodePort with eTP:Local', '10.0.0.2', testNodeIP, 3002, all(2), false),
  row('pod to LB with eTP:Local', '10.0.0.2', '5.6.7.8', 80, all(2), false),
  row('node to ClusterIP with eTP:Local', testNodeIP, '172.30.0.42', 80, all(2), true),
  // Upstream's row sends to 3001 (svc1's NodePort), so it checks svc1; kept as written.
  row('node to NodePort with eTP:Local', testNodeIP, testNodeIP, 3001, all(1), true),
  row('localhost to NodePort with eTP:Local', '127.0.0.1', '127.0.0.1', 3002, all(2), true),
  row('node to LB with eTP:Local', testNodeIP, '5.6.7.8', 80, all(2), true),
  row('external to ClusterIP with eTP:Local', testExternalClient, '172.30.0.42', 80, all(2), true),
  row('external to NodePort with eTP:Local', testExternalClient, testNodeIP, 3002, '10.180.0.2:80', false),
  row('external to LB with eTP:Local', testExternalClient, '5.6.7.8', 80, '10.180.0.2:80', false),
  row('pod to ClusterIP with iTP:Local', '10.0.0.2', '172.30.0.43', 80, '10.180.0.3:80', false),
  row('pod to NodePort with iTP:Local', '10.0.0.2', testNodeIP, 3003, all(3), true),
  row('pod to LB with iTP:Local', '10.0.0.2', '9.10.11.12', 80, all(3), true),
  row('node to ClusterIP with iTP:Local', testNodeIP, '172.30.0.43', 80, '10.180.0.3:80', true),
  row('node to NodePort with iTP:Local', testNodeIP, testNodeIP, 3003, all(3), true),
  row('localhost to NodePort with iTP:Local', '127.0.0.1', '127.0.0.1', 3003, all(3), true),
  row('node to LB with iTP:Local', testNodeIP, '9.10.11.12', 80, all(3), true),
  row('external to ClusterIP with iTP:Local', testExternalClient, '172.30.0.43', 80, '10.180.0.3:80', true),
  row('external to NodePort with iTP:Local', testExternalClient, testNodeIP, 3003, all(3), true),
  row('external to LB with iTP:Local', testExternalClient, '9.10.11.12', 80, all(3), true),
];

type Override = Partial<Pick<FlowRow, 'output' | 'masq'>>;

/** Upstream's overrides for each variant, keyed by row name. */
const noDetector: Readonly<Record<string, Override>> = {
  'node to ClusterIP': { masq: false },
  'node to ClusterIP with eTP:Local': { masq: false },
  'node to ClusterIP with iTP:Local': { masq: false },
  'external to ClusterIP': { masq: false },
  'external to ClusterIP with eTP:Local': { masq: false },
  'external to ClusterIP with iTP:Local': { masq: false },
  // Without a detector there is no pod short-circuit: pods get the local endpoint only.
  'pod to NodePort with eTP:Local': { output: '10.180.0.2:80' },
  'pod to LB with eTP:Local': { output: '10.180.0.2:80' },
};
const masqAll: Readonly<Record<string, Override>> = {
  'pod to ClusterIP': { masq: true },
  'pod to ClusterIP with eTP:Local': { masq: true },
  'pod to ClusterIP with iTP:Local': { masq: true },
};
const masqAllNoDetector: Readonly<Record<string, Override>> = {
  ...masqAll,
  'pod to NodePort with eTP:Local': { output: '10.180.0.2:80' },
  'pod to LB with eTP:Local': { output: '10.180.0.2:80' },
};

const variants = [
  ['base', false, true, {}],
  ['no LocalTrafficDetector', false, false, noDetector],
  ['masqueradeAll', true, true, masqAll],
  ['masqueradeAll, no LocalTrafficDetector', true, false, masqAllNoDetector],
] as const;

/** The four variants, each with upstream's overrides applied to the base table. */
export const MASQUERADE_CASES: readonly FlowCase[] = variants.map(([variant, masqueradeAll, detector, overrides]: readonly [string, boolean, boolean, Readonly<Record<string, Override>>]) => ({
  name: `TestInternalExternalMasquerade: ${variant}`,
  config: fakeProxierConfig({ masqueradeAll, ...(detector ? {} : { detectLocal: { mode: 'None' as const } }) }),
  services,
  endpoints,
  rows: base.map((r) => ({ ...r, ...overrides[r.name] })),
}));
