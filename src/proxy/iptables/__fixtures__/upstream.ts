/**
 * Test builders mirroring upstream's NewFakeProxier, makeTestService and makeTestEndpointSlice
 * (pkg/proxy/iptables/proxier_test.go), so that upstream cases read the same here. Used only by
 * tests.
 *
 * Conventions (as upstream): pod IPs 10.0.0.0/8, ClusterIPs 172.30.0.0/16, node IP 192.168.0.2,
 * external IPs 192.168.99.0/24, LB IPs 1.2.3.4 / 5.6.7.8 / 9.10.11.12, clients 203.0.113.0/24.
 */
import type { EndpointInput, ProxierConfig, ServicePortInput } from '../../types.js';

/** upstream testNodeName. */
export const testNodeName = 'test-node';
/** upstream testNodeIPs: the node's addresses, which the tracer treats as LOCAL. */
export const testNodeIPs = ['192.168.0.2', '192.168.1.2', '192.168.99.11', '2001:db8::1', '2001:db8:1::2'] as const;

/**
 * NewFakeProxier: IPv4, pod CIDR 10.0.0.0/8, localhost NodePorts on, both nfacct counters
 * present, and a fake iptables without `--random-fully`.
 */
export function fakeProxierConfig(overrides: Partial<ProxierConfig> = {}): ProxierConfig {
  const family = overrides.family ?? 4;
  return {
    nodeName: testNodeName,
    nodeIPs: testNodeIPs,
    family,
    clusterCIDR: family === 4 ? '10.0.0.0/8' : 'fd00:10::/64',
    localhostNodePorts: true,
    randomFully: false,
    nfacct: true,
    ...overrides,
  };
}

/** A service port with upstream's defaults: ClusterIP type, TCP, port name p80, port 80. */
export function svcPort(namespace: string, name: string, fields: Partial<ServicePortInput> = {}): ServicePortInput {
  return { namespace, name, portName: 'p80', protocol: 'TCP', clusterIP: '', port: 80, type: 'ClusterIP', ...fields };
}

/** An endpoint with the EndpointSlice defaults: ready, serving, not terminating. */
export function ep(ip: string, port: number, fields: Partial<EndpointInput> = {}): EndpointInput {
  return { ip, port, ready: true, serving: true, terminating: false, ...fields };
}

/** TestOverallIPTablesRules' Services (also the dump TestTracePacket restores). */
export const OVERALL_SERVICES: readonly ServicePortInput[] = [
  svcPort('ns1', 'svc1', { clusterIP: '172.30.0.41' }),
  svcPort('ns2', 'svc2', {
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    clusterIP: '172.30.0.42',
    nodePort: 3001,
    loadBalancerIPs: ['1.2.3.4'],
    externalIPs: ['192.168.99.22'],
    healthCheckNodePort: 30000,
  }),
  svcPort('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43', nodePort: 3003 }),
  svcPort('ns4', 'svc4', { type: 'NodePort', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'] }),
  svcPort('ns5', 'svc5', {
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Cluster',
    clusterIP: '172.30.0.45',
    nodePort: 3002,
    loadBalancerIPs: ['5.6.7.8'],
    healthCheckNodePort: 30000,
    loadBalancerSourceRanges: [' 203.0.113.0/25'],
    sessionAffinity: 'ClientIP',
    sessionAffinityTimeoutSeconds: 10800,
  }),
  svcPort('ns6', 'svc6', { clusterIP: '172.30.0.46' }),
];
/** TestOverallIPTablesRules' endpoints; ns2's has no nodeName, so eTP Local has no local endpoint. */
export const OVERALL_ENDPOINTS: Readonly<Record<string, EndpointInput[]>> = {
  'ns1/svc1:p80': [ep('10.180.0.1', 80)],
  'ns2/svc2:p80': [ep('10.180.0.2', 80)],
  'ns3/svc3:p80': [ep('10.180.0.3', 80)],
  'ns4/svc4:p80': [ep('10.180.0.4', 80), ep('10.180.0.5', 80, { nodeName: testNodeName })],
  'ns5/svc5:p80': [ep('10.180.0.3', 80)],
};
