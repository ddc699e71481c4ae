/**
 * Upstream's TestInternalTrafficPolicy and TestTerminatingEndpointsTrafficPolicyLocal
 * (pkg/proxy/iptables/proxier_test.go; the nftables proxier's tests share the tables), with
 * upstream's packet-flow answers. Only the first sync of each subtest is transcribed; the
 * "endpoints deleted" re-sync is TestNoEndpointsReject's REJECT.
 */
import type { EndpointInput } from '../../../src/proxy/index.js';
import { ep, fakeProxierConfig, svcPort, testNodeName } from '../../../src/proxy/iptables/__fixtures__/upstream.js';
import type { FlowCase, FlowRow } from '../../helpers/proxy-flow.js';

const testExternalClient = '203.0.113.2';
const toClusterIP = (output: string, name: string): FlowRow => ({ name, sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output, masq: false });

const itp = (name: string, policy: 'Cluster' | 'Local', nodes: readonly string[], row: FlowRow): FlowCase => ({
  name: `TestInternalTrafficPolicy: ${name}`,
  config: fakeProxierConfig(),
  services: [svcPort('ns1', 'svc1', { portName: '', clusterIP: '172.30.1.1', internalTrafficPolicy: policy })],
  endpoints: { 'ns1/svc1': nodes.map((nodeName, i) => ep(`10.0.1.${i + 1}`, 80, { nodeName })) },
  rows: [row],
});

const ready = { ready: true, serving: true, terminating: false };
const servingTerminating = { ready: false, serving: true, terminating: true };
const gone = { ready: false, serving: false, terminating: true };
const local = (name: string, list: readonly EndpointInput[], pod: string, external: string, externalName = 'external to LB'): FlowCase => ({
  name: `TestTerminatingEndpointsTrafficPolicyLocal: ${name}`,
  config: fakeProxierConfig(),
  services: [
    svcPort('ns1', 'svc1', { portName: '', type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '172.30.1.1', healthCheckNodePort: 30000, loadBalancerIPs: ['1.2.3.4'] }),
  ],
  endpoints: { 'ns1/svc1': list },
  rows: [
    toClusterIP(pod, 'pod to clusterIP'),
    { name: externalName, sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: external, masq: false },
  ],
});

/** The cases, in upstream's order. */
export const TRAFFIC_POLICY_CASES: readonly FlowCase[] = [
  itp('internalTrafficPolicy is cluster', 'Cluster', [testNodeName, 'node1', 'node2'], toClusterIP('10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80', 'pod to ClusterIP hits all endpoints')),
  itp('internalTrafficPolicy is local and there is one local endpoint', 'Local', [testNodeName, 'node1', 'node2'], toClusterIP('10.0.1.1:80', 'pod to ClusterIP hits only local endpoint')),
  itp('internalTrafficPolicy is local and there are multiple local endpoints', 'Local', [testNodeName, testNodeName, 'node2'], toClusterIP('10.0.1.1:80, 10.0.1.2:80', 'pod to ClusterIP hits all local endpoints')),
  itp('internalTrafficPolicy is local and there are no local endpoints', 'Local', ['node0', 'node1', 'node2'], toClusterIP('DROP', 'no endpoints')),
  local(
    'ready endpoints exist',
    [
      ep('10.0.1.1', 80, { ...ready, nodeName: testNodeName }),
      ep('10.0.1.2', 80, { ...ready, nodeName: testNodeName }),
      ep('10.0.1.3', 80, { ...servingTerminating, nodeName: testNodeName }),
      ep('10.0.1.4', 80, { ...gone, nodeName: testNodeName }),
      ep('10.0.1.5', 80, { ...ready, nodeName: 'node-1' }),
    ],
    '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80',
    '10.0.1.1:80, 10.0.1.2:80',
  ),
  local(
    'only terminating endpoints exist',
    [
      ep('10.0.1.2', 80, { ...servingTerminating, nodeName: testNodeName }),
      ep('10.0.1.3', 80, { ...servingTerminating, nodeName: testNodeName }),
      ep('10.0.1.4', 80, { ...gone, nodeName: testNodeName }),
      ep('10.0.1.5', 80, { ...ready, nodeName: 'node-1' }),
    ],
    '10.0.1.5:80',
    '10.0.1.2:80, 10.0.1.3:80',
  ),
  local('terminating endpoints on remote node', [ep('10.0.1.5', 80, { ...servingTerminating, nodeName: 'node-1' })], '10.0.1.5:80', 'DROP', 'external to LB, no locally-usable endpoints'),
  local(
    'no usable endpoints on any node',
    [ep('10.0.1.5', 80, { ...gone, nodeName: testNodeName }), ep('10.0.1.5', 80, { ...gone, nodeName: 'node-1' })],
    'REJECT',
    'REJECT',
    'external to LB, no usable endpoints',
  ),
];
