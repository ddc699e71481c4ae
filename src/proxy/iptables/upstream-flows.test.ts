/**
 * Upstream packet-flow test vectors (runPacketFlowTests cases in
 * kubernetes/kubernetes pkg/proxy/iptables/proxier_test.go, same version as upstream.test.ts:
 * index id 191206484), traced through our payloads with upstream's tracer semantics.
 */
import { describe, expect, it } from 'vitest';
import type { EndpointsBySPN, ProxierConfig, ServicePortInput } from '../types.js';
import { ep, fakeProxierConfig, svcPort, testNodeIPs, testNodeName } from './__fixtures__/upstream.js';
import { type PacketFlowTest, tracePacket } from './__fixtures__/tracer.js';
import { checkRuleJumps } from './consistency.js';
import { buildIptablesPayload } from './payload.js';

const testNodeIP = '192.168.0.2';
const testExternalClient = '203.0.113.2';
const testExternalClientBlocked = '203.0.113.130';

function runFlows(config: ProxierConfig, services: ServicePortInput[], endpoints: EndpointsBySPN, flows: readonly PacketFlowTest[]) {
  const { text } = buildIptablesPayload(config, services, endpoints);
  expect(checkRuleJumps(text)).toEqual([]);
  const got = flows.map((f) => ({ name: f.name, ...tracePacket(text, f, testNodeIPs) }));
  const want = flows.map((f) => ({ name: f.name, output: f.output, masq: f.masq ?? false }));
  expect(got).toEqual(want);
}

describe('TestClusterIPGeneral', () => {
  it('passes the upstream flows', () => {
    const services = [
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
    ];
    const both = (port: number) => [ep('10.180.0.1', port, { nodeName: testNodeName }), ep('10.180.2.1', port, { nodeName: 'node2' })];
    const endpoints = {
      'ns1/svc1:http': [ep('10.180.0.1', 80, { nodeName: testNodeName })],
      'ns2/svc2:http': both(80),
      'ns2/svc2:https': both(8443),
      'ns2/svc2:dns-udp': both(53),
      'ns2/svc2:dns-tcp': both(5353),
      'ns2/svc2:dns-sctp': both(53),
    };
    runFlows(fakeProxierConfig(), services, endpoints, [
      { name: 'simple clusterIP', sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80' },
      { name: 'hairpin to cluster IP', sourceIP: '10.180.0.1', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80', masq: true },
      { name: 'clusterIP with multiple endpoints', sourceIP: '10.180.0.2', destIP: '172.30.0.42', destPort: 80, output: '10.180.0.1:80, 10.180.2.1:80' },
      { name: 'clusterIP with TargetPort', sourceIP: '10.180.0.2', destIP: '172.30.0.42', destPort: 443, output: '10.180.0.1:8443, 10.180.2.1:8443' },
      { name: 'TCP', sourceIP: '10.180.0.2', protocol: 'TCP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:5353, 10.180.2.1:5353' },
      { name: 'UDP', sourceIP: '10.180.0.2', protocol: 'UDP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:53, 10.180.2.1:53' },
      { name: 'SCTP', sourceIP: '10.180.0.2', protocol: 'SCTP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:53, 10.180.2.1:53' },
      { name: 'TCP-only port does not match UDP traffic', sourceIP: '10.180.0.2', protocol: 'UDP', destIP: '172.30.0.42', destPort: 80, output: '' },
      { name: "svc1 does not accept svc2's ports", sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 443, output: '' },
    ]);
  });
});

describe('TestLoadBalancer', () => {
  it('passes the upstream flows', () => {
    const services = [
      svcPort('ns1', 'svc1', {
        type: 'LoadBalancer',
        clusterIP: '172.30.0.41',
        nodePort: 3001,
        loadBalancerIPs: ['1.2.3.4', '5.6.7.8'],
        loadBalancerSourceRanges: ['192.168.0.0/24', ' 203.0.113.0/25'],
      }),
    ];
    const ok = '10.180.0.1:80';
    runFlows(fakeProxierConfig(), services, { 'ns1/svc1:p80': [ep('10.180.0.1', 80)] }, [
      { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: ok },
      { name: 'external to nodePort', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: ok, masq: true },
      { name: 'nodePort bypasses LoadBalancerSourceRanges', sourceIP: testExternalClientBlocked, destIP: testNodeIP, destPort: 3001, output: ok, masq: true },
      { name: 'accepted external to LB1', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: ok, masq: true },
      { name: 'accepted external to LB2', sourceIP: testExternalClient, destIP: '5.6.7.8', destPort: 80, output: ok, masq: true },
      { name: 'blocked external to LB1', sourceIP: testExternalClientBlocked, destIP: '1.2.3.4', destPort: 80, output: 'DROP' },
      { name: 'blocked external to LB2', sourceIP: testExternalClientBlocked, destIP: '5.6.7.8', destPort: 80, output: 'DROP' },
      { name: 'pod to LB1 (blocked)', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: 'DROP' },
      { name: 'pod to LB2 (blocked)', sourceIP: '10.0.0.2', destIP: '5.6.7.8', destPort: 80, output: 'DROP' },
      { name: 'node to LB1 (allowed)', sourceIP: testNodeIP, destIP: '1.2.3.4', destPort: 80, output: ok, masq: true },
      { name: 'node to LB2 (allowed)', sourceIP: testNodeIP, destIP: '5.6.7.8', destPort: 80, output: ok, masq: true },
      { name: 'same node to LB1, SNATted to LB1', sourceIP: '1.2.3.4', destIP: '1.2.3.4', destPort: 80, output: ok, masq: true },
      { name: 'same node to LB2, SNATted to LB2', sourceIP: '5.6.7.8', destIP: '5.6.7.8', destPort: 80, output: ok, masq: true },
    ]);
  });
});

describe('TestNoEndpointsReject', () => {
  it('passes the upstream flows', () => {
    const services = [
      svcPort('ns1', 'svc1', { type: 'LoadBalancer', clusterIP: '172.30.0.41', externalIPs: ['192.168.99.11'], nodePort: 3001, loadBalancerIPs: ['1.2.3.4'] }),
    ];
    const reject = (name: string, sourceIP: string, destIP: string, destPort: number): PacketFlowTest => ({ name, sourceIP, destIP, destPort, output: 'REJECT' });
    runFlows(fakeProxierConfig(), services, {}, [
      reject('pod to cluster IP', '10.0.0.2', '172.30.0.41', 80),
      reject('external to external IP', testExternalClient, '192.168.99.11', 80),
      reject('pod to NodePort', '10.0.0.2', testNodeIP, 3001),
      reject('external to NodePort', testExternalClient, testNodeIP, 3001),
      reject('pod to LoadBalancer IP', '10.0.0.2', '1.2.3.4', 80),
      reject('external to LoadBalancer IP', testExternalClient, '1.2.3.4', 80),
    ]);
  });
});

describe('TestExternalTrafficPolicyLocal / Cluster', () => {
  const svc = (policy: 'Local' | 'Cluster') =>
    svcPort('ns1', 'svc1', {
      type: 'LoadBalancer',
      externalTrafficPolicy: policy,
      clusterIP: '172.30.0.41',
      externalIPs: ['192.168.99.11'],
      nodePort: 3001,
      healthCheckNodePort: 30000,
      loadBalancerIPs: ['1.2.3.4'],
    });
  const endpoints = { 'ns1/svc1:p80': [ep('10.180.0.1', 80), ep('10.180.2.1', 80, { nodeName: testNodeName })] };
  const both = '10.180.0.1:80, 10.180.2.1:80';

  it('Local: pods reach both endpoints unmasqueraded, external clients only the local one', () => {
    runFlows(fakeProxierConfig(), [svc('Local')], endpoints, [
      { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both },
      { name: 'pod to external IP', sourceIP: '10.0.0.2', destIP: '192.168.99.11', destPort: 80, output: both },
      { name: 'external to external IP', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: '10.180.2.1:80' },
      { name: 'pod to LB IP', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: both },
      { name: 'external to LB IP', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: '10.180.2.1:80' },
      { name: 'pod to NodePort', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: both },
      { name: 'external to NodePort', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: '10.180.2.1:80' },
    ]);
  });

  it('Cluster: everything external is masqueraded to both endpoints', () => {
    runFlows(fakeProxierConfig(), [svc('Cluster')], endpoints, [
      { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both },
      { name: 'pod to external IP', sourceIP: '10.0.0.2', destIP: '192.168.99.11', destPort: 80, output: both, masq: true },
      { name: 'external to external IP', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: both, masq: true },
      { name: 'pod to LB IP', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: both, masq: true },
      { name: 'external to LB IP', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: both, masq: true },
      { name: 'pod to NodePort', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: both, masq: true },
      { name: 'external to NodePort', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: both, masq: true },
    ]);
  });

  it('TestHealthCheckNodePort: the health-check port is accepted', () => {
    runFlows(fakeProxierConfig({ nodePortAddresses: ['127.0.0.0/8'] }), [svc('Local')], {}, [
      { name: 'firewall accepts HealthCheckNodePort', sourceIP: '1.2.3.4', destIP: testNodeIP, destPort: 30000, output: 'ACCEPT' },
    ]);
  });
});

describe('TestInternalExternalMasquerade', () => {
  const lb = (ns: string, name: string, ip: string, nodePort: number, lbIP: string, extra: Partial<ServicePortInput>) =>
    svcPort(ns, name, { type: 'LoadBalancer', clusterIP: ip, nodePort, healthCheckNodePort: 30000 + (nodePort % 10), loadBalancerIPs: [lbIP], ...extra });
  const services = [
    lb('ns1', 'svc1', '172.30.0.41', 3001, '1.2.3.4', {}),
    lb('ns2', 'svc2', '172.30.0.42', 3002, '5.6.7.8', { externalTrafficPolicy: 'Local' }),
    lb('ns3', 'svc3', '172.30.0.43', 3003, '9.10.11.12', { internalTrafficPolicy: 'Local' }),
  ];
  const pair = (n: number) => [ep(`10.180.0.${n}`, 80, { nodeName: testNodeName }), ep(`10.180.1.${n}`, 80, { nodeName: 'remote' })];
  const endpoints = { 'ns1/svc1:p80': pair(1), 'ns2/svc2:p80': pair(2), 'ns3/svc3:p80': pair(3) };
  const all = (n: number) => `10.180.0.${n}:80, 10.180.1.${n}:80`;
  const f = (name: string, sourceIP: string, destIP: string, destPort: number, output: string, masq: boolean): PacketFlowTest => ({
    name,
    sourceIP,
    destIP,
    destPort,
    output,
    masq,
  });
  const base: PacketFlowTest[] = [
    f('pod to ClusterIP', '10.0.0.2', '172.30.0.41', 80, all(1), false),
    f('pod to NodePort', '10.0.0.2', testNodeIP, 3001, all(1), true),
    f('pod to LB', '10.0.0.2', '1.2.3.4', 80, all(1), true),
    f('node to ClusterIP', testNodeIP, '172.30.0.41', 80, all(1), true),
    f('node to NodePort', testNodeIP, testNodeIP, 3001, all(1), true),
    f('localhost to NodePort', '127.0.0.1', '127.0.0.1', 3001, all(1), true),
    f('node to LB', testNodeIP, '1.2.3.4', 80, all(1), true),
    f('external to ClusterIP', testExternalClient, '172.30.0.41', 80, all(1), true),
    f('external to NodePort', testExternalClient, testNodeIP, 3001, all(1), true),
    f('external to LB', testExternalClient, '1.2.3.4', 80, all(1), true),
    f('pod to ClusterIP with eTP:Local', '10.0.0.2', '172.30.0.42', 80, all(2), false),
    f('pod to NodePort with eTP:Local', '10.0.0.2', testNodeIP, 3002, all(2), false),
    f('pod to LB with eTP:Local', '10.0.0.2', '5.6.7.8', 80, all(2), false),
    f('node to ClusterIP with eTP:Local', testNodeIP, '172.30.0.42', 80, all(2), true),
    f('node to NodePort with eTP:Local', testNodeIP, testNodeIP, 3001, all(1), true),
    f('localhost to NodePort with eTP:Local', '127.0.0.1', '127.0.0.1', 3002, all(2), true),
    f('node to LB with eTP:Local', testNodeIP, '5.6.7.8', 80, all(2), true),
    f('external to ClusterIP with eTP:Local', testExternalClient, '172.30.0.42', 80, all(2), true),
    f('external to NodePort with eTP:Local', testExternalClient, testNodeIP, 3002, '10.180.0.2:80', false),
    f('external to LB with eTP:Local', testExternalClient, '5.6.7.8', 80, '10.180.0.2:80', false),
    f('pod to ClusterIP with iTP:Local', '10.0.0.2', '172.30.0.43', 80, '10.180.0.3:80', false),
    f('pod to NodePort with iTP:Local', '10.0.0.2', testNodeIP, 3003, all(3), true),
    f('pod to LB with iTP:Local', '10.0.0.2', '9.10.11.12', 80, all(3), true),
    f('node to ClusterIP with iTP:Local', testNodeIP, '172.30.0.43', 80, '10.180.0.3:80', true),
    f('node to NodePort with iTP:Local', testNodeIP, testNodeIP, 3003, all(3), true),
    f('localhost to NodePort with iTP:Local', '127.0.0.1', '127.0.0.1', 3003, all(3), true),
    f('node to LB with iTP:Local', testNodeIP, '9.10.11.12', 80, all(3), true),
    f('external to ClusterIP with iTP:Local', testExternalClient, '172.30.0.43', 80, '10.180.0.3:80', true),
    f('external to NodePort with iTP:Local', testExternalClient, testNodeIP, 3003, all(3), true),
    f('external to LB with iTP:Local', testExternalClient, '9.10.11.12', 80, all(3), true),
  ];
  type Override = { output?: string; masq?: boolean };
  const noDetector: Record<string, Override> = {
    'node to ClusterIP': { masq: false },
    'node to ClusterIP with eTP:Local': { masq: false },
    'node to ClusterIP with iTP:Local': { masq: false },
    'external to ClusterIP': { masq: false },
    'external to ClusterIP with eTP:Local': { masq: false },
    'external to ClusterIP with iTP:Local': { masq: false },
    'pod to NodePort with eTP:Local': { output: '10.180.0.2:80' },
    'pod to LB with eTP:Local': { output: '10.180.0.2:80' },
  };
  const masqAll: Record<string, Override> = {
    'pod to ClusterIP': { masq: true },
    'pod to ClusterIP with eTP:Local': { masq: true },
    'pod to ClusterIP with iTP:Local': { masq: true },
  };
  const masqAllNoDetector: Record<string, Override> = {
    ...masqAll,
    'pod to NodePort with eTP:Local': { output: '10.180.0.2:80' },
    'pod to LB with eTP:Local': { output: '10.180.0.2:80' },
  };
  it.each([
    ['base', false, true, {}],
    ['no LocalTrafficDetector', false, false, noDetector],
    ['masqueradeAll', true, true, masqAll],
    ['masqueradeAll, no LocalTrafficDetector', true, false, masqAllNoDetector],
  ] as const)('%s', (_name, masqueradeAll, detector, overrides: Record<string, Override>) => {
    const config = fakeProxierConfig({ masqueradeAll, ...(detector ? {} : { detectLocal: { mode: 'None' } }) });
    const flows = base.map((t) => ({ ...t, ...overrides[t.name] }));
    runFlows(config, services, endpoints, flows);
  });
});

describe('TestTerminatingEndpointsTrafficPolicyCluster', () => {
  const service = svcPort('ns1', 'svc1', {
    portName: '',
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Cluster',
    clusterIP: '172.30.1.1',
    healthCheckNodePort: 30000,
    loadBalancerIPs: ['1.2.3.4'],
  });
  const ready = { ready: true, serving: true, terminating: false };
  const servingTerminating = { ready: false, serving: true, terminating: true };
  const gone = { ready: false, serving: false, terminating: true };
  const flows = (clusterIP: string, lb: string, masq: boolean): PacketFlowTest[] => [
    { name: 'pod to clusterIP', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: clusterIP },
    { name: 'external to LB', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: lb, masq },
  ];
  it.each([
    [
      'ready endpoints exist',
      [
        ep('10.0.1.1', 80, { ...ready, nodeName: testNodeName }),
        ep('10.0.1.2', 80, { ...ready, nodeName: testNodeName }),
        ep('10.0.1.3', 80, { ...servingTerminating, nodeName: 'another-node' }),
        ep('10.0.1.4', 80, { ...gone, nodeName: 'another-node' }),
        ep('10.0.1.5', 80, { ...ready, nodeName: 'another-node' }),
      ],
      flows('10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80', '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80', true),
    ],
    [
      'only terminating endpoints exist',
      [
        ep('10.0.1.2', 80, { ...servingTerminating, nodeName: testNodeName }),
        ep('10.0.1.3', 80, { ...servingTerminating, nodeName: testNodeName }),
        ep('10.0.1.4', 80, { ...gone, nodeName: 'another-node' }),
        ep('10.0.1.5', 80, { ...servingTerminating, nodeName: 'another-node' }),
      ],
      flows('10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80', '10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80', true),
    ],
    [
      'terminating endpoints on remote node',
      [ep('10.0.1.5', 80, { ...servingTerminating, nodeName: 'node-1' })],
      flows('10.0.1.5:80', '10.0.1.5:80', true),
    ],
    [
      'no usable endpoints on any node',
      [ep('10.0.1.5', 80, { ...gone, nodeName: testNodeName }), ep('10.0.1.5', 80, { ...gone, nodeName: 'node-1' })],
      flows('REJECT', 'REJECT', false),
    ],
  ] as const)('%s', (_name, list, expected) => {
    runFlows(fakeProxierConfig(), [service], { 'ns1/svc1': list }, expected);
  });
});
