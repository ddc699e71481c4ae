/**
 * Upstream kube-proxy tests that check rules rather than packet flows (src/proxy/iptables/
 * upstream.test.ts runs them on the proxy alone): here they are scenarios, so the cluster
 * settings that shape those rules (nodePortAddresses, localhostNodePorts, randomFully, nfacct,
 * several node addresses) are checked from the scenario down to the node's iptables-save.
 */
import { ep, fakeProxierConfig, svcPort } from '../../../src/proxy/iptables/__fixtures__/upstream.js';
import type { FlowCase } from '../../helpers/proxy-flow.js';

const none = { services: [], endpoints: {}, rows: [] } as const;

/** The cases, named as upstream names them (subtests after a colon). */
export const DUMP_CASES: readonly FlowCase[] = [
  {
    name: 'TestSyncProxyRulesRepeated: initial full sync',
    config: fakeProxierConfig(),
    services: [
      svcPort('ns1', 'svc1', { clusterIP: '172.30.0.41' }),
      svcPort('ns2', 'svc2', { clusterIP: '172.30.0.42', portName: 'p8080', port: 8080 }),
    ],
    endpoints: { 'ns1/svc1:p80': [ep('10.0.1.1', 80)], 'ns2/svc2:p8080': [ep('10.0.2.1', 8080)] },
    rows: [
      { name: 'pod to svc1', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.0.1.1:80', masq: false },
      { name: 'pod to svc2', sourceIP: '10.0.0.2', destIP: '172.30.0.42', destPort: 8080, output: '10.0.2.1:8080', masq: false },
    ],
  },
  { name: 'TestNodePorts: ipv4, localhost-nodeports enabled', config: fakeProxierConfig({ localhostNodePorts: true }), ...none },
  { name: 'TestNodePorts: ipv4, localhost-nodeports disabled', config: fakeProxierConfig({ localhostNodePorts: false }), ...none },
  {
    name: 'TestNodePorts: ipv4, localhost-nodeports disabled, localhost in nodeport-addresses',
    config: fakeProxierConfig({ localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '127.0.0.1/32'] }),
    ...none,
  },
  {
    name: 'TestNodePorts: ipv4, multiple nodeport-addresses',
    config: fakeProxierConfig({ localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'] }),
    services: [svcPort('ns1', 'svc1', { type: 'NodePort', clusterIP: '172.30.0.41', nodePort: 3001 })],
    endpoints: { 'ns1/svc1:p80': [ep('10.180.0.1', 80)] },
    rows: [
      { name: 'external to NodePort on the primary address', sourceIP: '203.0.113.2', destIP: '192.168.0.2', destPort: 3001, output: '10.180.0.1:80', masq: true },
      { name: 'external to NodePort on the second address', sourceIP: '203.0.113.2', destIP: '192.168.1.2', destPort: 3001, output: '10.180.0.1:80', masq: true },
      { name: 'external to NodePort on an address outside nodePortAddresses', sourceIP: '203.0.113.2', destIP: '192.168.99.11', destPort: 3001, output: '', masq: false },
    ],
  },
  { name: 'TestMasqueradeRule: randomFully false', config: fakeProxierConfig({ randomFully: false }), ...none },
  { name: 'TestMasqueradeRule: randomFully true', config: fakeProxierConfig({ randomFully: true }), ...none },
  { name: 'TestDropInvalidRule: nfacct false', config: fakeProxierConfig({ nfacct: false }), ...none },
];
