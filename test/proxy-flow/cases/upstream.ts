/**
 * Upstream kube-proxy packet-flow tables (the `runPacketFlowTests` cases of
 * kubernetes/kubernetes pkg/proxy/iptables/proxier_test.go, the version the code index stores as
 * id 191206484, v1.32/v1.33 era): TestTracePacket (run on TestOverallIPTablesRules' payload,
 * which is the dump TestTracePacket restores), TestClusterIPGeneral, TestLoadBalancer,
 * TestNoEndpointsReject, TestExternalTrafficPolicyLocal/Cluster, TestHealthCheckNodePort and
 * TestTerminatingEndpointsTrafficPolicyCluster. Inputs as in src/proxy/iptables/upstream*.test.ts.
 * Expected values are upstream's unless a row says otherwise.
 */
import type { EndpointInput } from '../../../src/proxy/index.js';
import { OVERALL_ENDPOINTS, OVERALL_SERVICES, ep, fakeProxierConfig, svcPort, testNodeName } from '../../../src/proxy/iptables/__fixtures__/upstream.js';
import type { FlowCase, FlowRow } from '../../helpers/proxy-flow.js';

const testNodeIP = '192.168.0.2';
const testExternalClient = '203.0.113.2';
const testExternalClientBlocked = '203.0.113.130';


const tracePacket: FlowCase = {
  name: 'TestTracePacket (on TestOverallIPTablesRules)',
  config: fakeProxierConfig(),
  services: OVERALL_SERVICES,
  endpoints: OVERALL_ENDPOINTS,
  rows: [
    { name: 'no match', sourceIP: '10.0.0.2', destIP: '10.0.0.3', destPort: 80, output: '', masq: false },
    { name: 'single endpoint', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80', masq: false },
    { name: 'multiple endpoints', sourceIP: '10.0.0.2', destIP: '172.30.0.44', destPort: 80, output: '10.180.0.4:80, 10.180.0.5:80', masq: false },
    { name: 'LOCAL, KUBE-MARK-MASQ', sourceIP: testNodeIP, destIP: '192.168.99.22', destPort: 80, output: '10.180.0.2:80', masq: true },
    { name: 'DROP', sourceIP: testExternalClient, destIP: '192.168.99.22', destPort: 80, output: 'DROP', masq: false },
    {
      // The node talks to its own address: OUTPUT, POSTROUTING, then through lo into INPUT, where
      // filter INPUT's KUBE-NODEPORTS accepts it (the kernel agrees with upstream). netsim's
      // one-host tracer stops a locally generated packet after POSTROUTING.
      name: 'ACCEPT (NodePortHealthCheck)',
      sourceIP: testNodeIP,
      destIP: testNodeIP,
      destPort: 30000,
      output: 'ACCEPT',
      masq: false,
    },
    { name: 'REJECT', sourceIP: '10.0.0.2', destIP: '172.30.0.46', destPort: 80, output: 'REJECT', masq: false },
  ],
};

const both = (port: number) => [ep('10.180.0.1', port, { nodeName: testNodeName }), ep('10.180.2.1', port, { nodeName: 'node2' })];
const clusterIPGeneral: FlowCase = {
  name: 'TestClusterIPGeneral',
  config: fakeProxierConfig(),
  services: [
    svcPort('ns1', 'svc1', { clusterIP: '172.30.0.41', portName: 'http' }),
    ...(
      [
        ['http', 80, 'TCP'],
        ['https', 443, 'TCP'],
        ['dns-udp', 53, 'UDP'],
        ['dns-tcp', 53, 'TCP'],
        ['dns-sctp', 53, 'SCTP'],
      ] as const
    ).map(([portName, port, protocol]) => svcPort('ns2', 'svc2', { clusterIP: '172.30.0.42', portName, port, protocol })),
  ],
  endpoints: {
    'ns1/svc1:http': [ep('10.180.0.1', 80, { nodeName: testNodeName })],
    'ns2/svc2:http': both(80),
    'ns2/svc2:https': both(8443),
    'ns2/svc2:dns-udp': both(53),
    'ns2/svc2:dns-tcp': both(5353),
    'ns2/svc2:dns-sctp': both(53),
  },
  rows: [
    { name: 'simple clusterIP', sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80', masq: false },
    { name: 'hairpin to cluster IP', sourceIP: '10.180.0.1', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80', masq: true },
    { name: 'clusterIP with multiple endpoints', sourceIP: '10.180.0.2', destIP: '172.30.0.42', destPort: 80, output: '10.180.0.1:80, 10.180.2.1:80', masq: false },
    { name: 'clusterIP with TargetPort', sourceIP: '10.180.0.2', destIP: '172.30.0.42', destPort: 443, output: '10.180.0.1:8443, 10.180.2.1:8443', masq: false },
    { name: 'clusterIP with TCP, UDP, and SCTP on same port (TCP)', sourceIP: '10.180.0.2', protocol: 'TCP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:5353, 10.180.2.1:5353', masq: false },
    { name: 'clusterIP with TCP, UDP, and SCTP on same port (UDP)', sourceIP: '10.180.0.2', protocol: 'UDP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:53, 10.180.2.1:53', masq: false },
    { name: 'clusterIP with TCP, UDP, and SCTP on same port (SCTP)', sourceIP: '10.180.0.2', protocol: 'SCTP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:53, 10.180.2.1:53', masq: false },
    { name: 'TCP-only port does not match UDP traffic', sourceIP: '10.180.0.2', protocol: 'UDP', destIP: '172.30.0.42', destPort: 80, output: '', masq: false },
    { name: "svc1 does not accept svc2's ports", sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 443, output: '', masq: false },
  ],
};

const ok = '10.180.0.1:80';
const loadBalancer: FlowCase = {
  name: 'TestLoadBalancer',
  config: fakeProxierConfig(),
  services: [
    svcPort('ns1', 'svc1', {
      type: 'LoadBalancer',
      clusterIP: '172.30.0.41',
      nodePort: 3001,
      loadBalancerIPs: ['1.2.3.4', '5.6.7.8'],
      loadBalancerSourceRanges: ['192.168.0.0/24', ' 203.0.113.0/25'],
    }),
  ],
  endpoints: { 'ns1/svc1:p80': [ep('10.180.0.1', 80)] },
  rows: [
    { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: ok, masq: false },
    { name: 'external to nodePort', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: ok, masq: true },
    { name: 'nodePort bypasses LoadBalancerSourceRanges', sourceIP: testExternalClientBlocked, destIP: testNodeIP, destPort: 3001, output: ok, masq: true },
    { name: 'accepted external to LB1', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: ok, masq: true },
    { name: 'accepted external to LB2', sourceIP: testExternalClient, destIP: '5.6.7.8', destPort: 80, output: ok, masq: true },
    { name: 'blocked external to LB1', sourceIP: testExternalClientBlocked, destIP: '1.2.3.4', destPort: 80, output: 'DROP', masq: false },
    { name: 'blocked external to LB2', sourceIP: testExternalClientBlocked, destIP: '5.6.7.8', destPort: 80, output: 'DROP', masq: false },
    { name: 'pod to LB1 (blocked by LoadBalancerSourceRanges)', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: 'DROP', masq: false },
    { name: 'pod to LB2 (blocked by LoadBalancerSourceRanges)', sourceIP: '10.0.0.2', destIP: '5.6.7.8', destPort: 80, output: 'DROP', masq: false },
    { name: 'node to LB1 (allowed by LoadBalancerSourceRanges)', sourceIP: testNodeIP, destIP: '1.2.3.4', destPort: 80, output: ok, masq: true },
    { name: 'node to LB2 (allowed by LoadBalancerSourceRanges)', sourceIP: testNodeIP, destIP: '5.6.7.8', destPort: 80, output: ok, masq: true },
    // The node sends from the VIP itself (upstream's reason for the KUBE-FW `-s <LB IP>` rule):
    // locally generated, although 1.2.3.4 is not one of the node's addresses.
    { name: 'same node to LB1, SNATted to LB1 (implicitly allowed)', sourceIP: '1.2.3.4', destIP: '1.2.3.4', destPort: 80, output: ok, masq: true, origin: 'node' },
    { name: 'same node to LB2, SNATted to LB2 (implicitly allowed)', sourceIP: '5.6.7.8', destIP: '5.6.7.8', destPort: 80, output: ok, masq: true, origin: 'node' },
  ],
};

const reject = (name: string, sourceIP: string, destIP: string, destPort: number): FlowRow => ({ name, sourceIP, destIP, destPort, output: 'REJECT', masq: false });
const noEndpointsReject: FlowCase = {
  name: 'TestNoEndpointsReject',
  config: fakeProxierConfig(),
  services: [
    svcPort('ns1', 'svc1', { type: 'LoadBalancer', clusterIP: '172.30.0.41', externalIPs: ['192.168.99.11'], nodePort: 3001, loadBalancerIPs: ['1.2.3.4'] }),
  ],
  endpoints: {},
  rows: [
    reject('pod to cluster IP with no endpoints', '10.0.0.2', '172.30.0.41', 80),
    reject('external to external IP with no endpoints', testExternalClient, '192.168.99.11', 80),
    reject('pod to NodePort with no endpoints', '10.0.0.2', testNodeIP, 3001),
    reject('external to NodePort with no endpoints', testExternalClient, testNodeIP, 3001),
    reject('pod to LoadBalancer IP with no endpoints', '10.0.0.2', '1.2.3.4', 80),
    reject('external to LoadBalancer IP with no endpoints', testExternalClient, '1.2.3.4', 80),
  ],
};

const etpService = (policy: 'Local' | 'Cluster') =>
  svcPort('ns1', 'svc1', {
    type: 'LoadBalancer',
    externalTrafficPolicy: policy,
    clusterIP: '172.30.0.41',
    externalIPs: ['192.168.99.11'],
    nodePort: 3001,
    healthCheckNodePort: 30000,
    loadBalancerIPs: ['1.2.3.4'],
  });
const etpEndpoints = { 'ns1/svc1:p80': [ep('10.180.0.1', 80), ep('10.180.2.1', 80, { nodeName: testNodeName })] };
const etpBoth = '10.180.0.1:80, 10.180.2.1:80';
const etpRows = (external: string, masq: boolean): FlowRow[] => [
  { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: etpBoth, masq: false },
  { name: 'pod to external IP', sourceIP: '10.0.0.2', destIP: '192.168.99.11', destPort: 80, output: etpBoth, masq },
  { name: 'external to external IP', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: external, masq },
  { name: 'pod to LB IP', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: etpBoth, masq },
  { name: 'external to LB IP', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: external, masq },
  { name: 'pod to NodePort', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: etpBoth, masq },
  { name: 'external to NodePort', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: external, masq },
];
const etpLocal: FlowCase = { name: 'TestExternalTrafficPolicyLocal', config: fakeProxierConfig(), services: [etpService('Local')], endpoints: etpEndpoints, rows: etpRows('10.180.2.1:80', false) };
const etpCluster: FlowCase = { name: 'TestExternalTrafficPolicyCluster', config: fakeProxierConfig(), services: [etpService('Cluster')], endpoints: etpEndpoints, rows: etpRows(etpBoth, true) };
const healthCheckNodePort: FlowCase = {
  name: 'TestHealthCheckNodePort',
  config: fakeProxierConfig({ nodePortAddresses: ['127.0.0.0/8'] }),
  services: [etpService('Local')],
  endpoints: {},
  rows: [{ name: 'firewall accepts HealthCheckNodePort', sourceIP: '1.2.3.4', destIP: testNodeIP, destPort: 30000, output: 'ACCEPT', masq: false }],
};

const ready = { ready: true, serving: true, terminating: false };
const servingTerminating = { ready: false, serving: true, terminating: true };
const gone = { ready: false, serving: false, terminating: true };
const terminatingRows = (out: string, masq: boolean): FlowRow[] => [
  { name: 'pod to clusterIP', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: out, masq: false },
  { name: 'external to LB', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: out, masq },
];
const terminating = (name: string, list: readonly EndpointInput[], rows: readonly FlowRow[]): FlowCase => ({
  name: `TestTerminatingEndpointsTrafficPolicyCluster: ${name}`,
  config: fakeProxierConfig(),
  services: [
    svcPort('ns1', 'svc1', { portName: '', type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', clusterIP: '172.30.1.1', healthCheckNodePort: 30000, loadBalancerIPs: ['1.2.3.4'] }),
  ],
  endpoints: { 'ns1/svc1': list },
  rows,
});

/** Every upstream case above, in upstream's file order. */
export const UPSTREAM_CASES: readonly FlowCase[] = [
  tracePacket,
  noEndpointsReject,
  clusterIPGeneral,
  loadBalancer,
  etpLocal,
  etpCluster,
  healthCheckNodePort,
  terminating(
    'ready endpoints exist',
    [
      ep('10.0.1.1', 80, { ...ready, nodeName: testNodeName }),
      ep('10.0.1.2', 80, { ...ready, nodeName: testNodeName }),
      ep('10.0.1.3', 80, { ...servingTerminating, nodeName: 'another-node' }),
      ep('10.0.1.4', 80, { ...gone, nodeName: 'another-node' }),
      ep('10.0.1.5', 80, { ...ready, nodeName: 'another-node' }),
    ],
    terminatingRows('10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80', true),
  ),
  terminating(
    'only terminating endpoints exist',
    [
      ep('10.0.1.2', 80, { ...servingTerminating, nodeName: testNodeName }),
      ep('10.0.1.3', 80, { ...servingTerminating, nodeName: testNodeName }),
      ep('10.0.1.4', 80, { ...gone, nodeName: 'another-node' }),
      ep('10.0.1.5', 80, { ...servingTerminating, nodeName: 'another-node' }),
    ],
    terminatingRows('10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80', true),
  ),
  terminating('terminating endpoints on remote node', [ep('10.0.1.5', 80, { ...servingTerminating, nodeName: 'node-1' })], terminatingRows('10.0.1.5:80', true)),
  terminating(
    'no usable endpoints on any node',
    [ep('10.0.1.5', 80, { ...gone, nodeName: testNodeName }), ep('10.0.1.5', 80, { ...gone, nodeName: 'node-1' })],
    terminatingRows('REJECT', false),
  ),
];
