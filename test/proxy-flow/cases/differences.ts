/**
 * Rows beyond upstream's tables, on upstream's inputs, where upstream's simplified tracer
 * (pkg/proxy/iptables/proxier_test.go tracePacket; reference note §11) and the kernel disagree.
 * `output`/`masq` hold what a real kernel did (iptables 1.8.9 nft, payload and jumps loaded in a
 * network namespace, see kernel.diff.test.ts); `upstream` holds the simplified tracer's answer,
 * which flows.test.ts checks with the test-only copy of that tracer.
 *
 * Why they differ:
 * - the simplified tracer runs the four filter chains for every packet, but the kernel hooks
 *   KUBE-EXTERNAL-SERVICES from INPUT and FORWARD only, so a node's own packet to an LB IP with
 *   no endpoints is never rejected: it leaves for the real load balancer;
 * - its `masq` is "KUBE-MARK-MASQ ran", but the kernel masquerades in nat POSTROUTING, which a
 *   packet DNATed to one of the node's own addresses (a hostNetwork endpoint) never reaches;
 * - it treats conntrack-state matches as never matching and does not run filter INPUT, so it
 *   misses KUBE-FIREWALL's drop of outside packets to 127.0.0.0/8 that nat did not DNAT;
 * - it follows every `-m statistic` branch and ORs the hairpin mark over all of them, while only
 *   the branch that picks the client itself is masqueraded.
 */
import type { EndpointInput, ServicePortInput } from '../../../src/proxy/index.js';
import { ep, fakeProxierConfig, svcPort, testNodeName } from '../../../src/proxy/iptables/__fixtures__/upstream.js';
import type { FlowCase } from '../../helpers/proxy-flow.js';
import { UPSTREAM_CASES } from './upstream.js';

const testNodeIP = '192.168.0.2';
const testExternalClient = '203.0.113.2';

function upstreamCase(name: string): FlowCase {
  const c = UPSTREAM_CASES.find((x) => x.name.startsWith(name));
  if (c === undefined) throw new Error(`no upstream case ${name}`);
  return c;
}

const overall = upstreamCase('TestTracePacket');
const noEndpoints = upstreamCase('TestNoEndpointsReject');

/** A NodePort service whose only endpoint is a hostNetwork pod on this node (192.168.0.2:8080). */
const hostNetworkServices: ServicePortInput[] = [svcPort('ns1', 'hostnet', { type: 'NodePort', clusterIP: '172.30.0.50', nodePort: 3050 })];
const hostNetworkEndpoints: Record<string, EndpointInput[]> = { 'ns1/hostnet:p80': [ep(testNodeIP, 8080, { nodeName: testNodeName })] };

export const DIFFERENCE_CASES: readonly FlowCase[] = [
  {
    ...overall,
    name: 'differences: hairpin among several endpoints (TestOverallIPTablesRules)',
    rows: [
      {
        name: 'endpoint 10.180.0.4 to its own ClusterIP: only its own branch is masqueraded',
        sourceIP: '10.180.0.4',
        destIP: '172.30.0.44',
        destPort: 80,
        output: '10.180.0.4:80, 10.180.0.5:80',
        masq: '10.180.0.4:80 only',
        upstream: { output: '10.180.0.4:80, 10.180.0.5:80', masq: true },
      },
    ],
  },
  {
    ...noEndpoints,
    name: 'differences: node traffic to a service without endpoints (TestNoEndpointsReject)',
    rows: [
      {
        name: 'node to LoadBalancer IP: KUBE-EXTERNAL-SERVICES is not hooked from OUTPUT',
        sourceIP: testNodeIP,
        destIP: '1.2.3.4',
        destPort: 80,
        output: '',
        masq: false,
        upstream: { output: 'REJECT', masq: false },
      },
      {
        name: 'node to ClusterIP: filter OUTPUT rejects',
        sourceIP: testNodeIP,
        destIP: '172.30.0.41',
        destPort: 80,
        output: 'REJECT',
        masq: false,
      },
      {
        // The external IP is one of the node's addresses: the packet loops through lo into INPUT.
        name: 'node to its own external IP: rejected in INPUT after lo',
        sourceIP: testNodeIP,
        destIP: '192.168.99.11',
        destPort: 80,
        output: 'REJECT',
        masq: false,
      },
      {
        name: 'node to its own NodePort: rejected in INPUT after lo',
        sourceIP: testNodeIP,
        destIP: testNodeIP,
        destPort: 3001,
        output: 'REJECT',
        masq: false,
      },
      {
        // route_localnet=1 (kube-proxy sets it) lets the packet in; filter INPUT's first jump,
        // KUBE-FIREWALL, drops what nat did not DNAT (`! --ctstate ...,DNAT`) before
        // KUBE-EXTERNAL-SERVICES can reject it. Upstream's tracer skips conntrack matches and
        // never runs KUBE-FIREWALL.
        name: 'external to 127.0.0.1 NodePort: KUBE-FIREWALL drops it first',
        sourceIP: testExternalClient,
        destIP: '127.0.0.1',
        destPort: 3001,
        output: 'DROP',
        masq: false,
        upstream: { output: 'REJECT', masq: false },
      },
      {
        name: 'external to 127.0.0.1 on no service port: KUBE-FIREWALL drops it',
        sourceIP: testExternalClient,
        destIP: '127.0.0.1',
        destPort: 22,
        output: 'DROP',
        masq: false,
        upstream: { output: '', masq: false },
      },
    ],
  },
  {
    name: 'differences: hostNetwork endpoint on this node',
    config: fakeProxierConfig(),
    services: hostNetworkServices,
    endpoints: hostNetworkEndpoints,
    rows: [
      { name: 'pod to ClusterIP', sourceIP: '10.0.0.2', destIP: '172.30.0.50', destPort: 80, output: '192.168.0.2:8080', masq: false },
      {
        name: 'external to ClusterIP: marked, but delivered locally, so never masqueraded',
        sourceIP: testExternalClient,
        destIP: '172.30.0.50',
        destPort: 80,
        output: '192.168.0.2:8080',
        masq: false,
        upstream: { output: '192.168.0.2:8080', masq: true },
      },
      {
        name: 'external to NodePort: marked, but delivered locally, so never masqueraded',
        sourceIP: testExternalClient,
        destIP: testNodeIP,
        destPort: 3050,
        output: '192.168.0.2:8080',
        masq: false,
        upstream: { output: '192.168.0.2:8080', masq: true },
      },
    ],
  },
];
