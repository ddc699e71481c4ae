/**
 * The packet-flow tables of kube-proxy's nftables proxier tests (kubernetes/kubernetes
 * pkg/proxy/nftables/proxier_test.go at 030880a5dc5449403c6d1f0aa146a7dc21d6c6dc), with
 * upstream's expected `output` / `masq`. Inputs are the iptables-mode cases' (the nftables
 * tests build the same Services and EndpointSlices), on the nftables fake proxier's config
 * (fakeNftProxierConfig: `--nodeport-addresses` 192.168.0.2/32, service CIDR 172.30.0.0/16).
 *
 * Where the tables are the iptables tests' minus their `localhost to NodePort` rows (nftables
 * mode has no localhost NodePorts, and upstream's nftables tables have no such rows), the rows
 * are taken from the iptables cases and filtered; everything else is transcribed here.
 */
import { fakeNftProxierConfig } from '../../../src/proxy/nftables/__fixtures__/upstream.js';
import { ep, svcPort } from '../../../src/proxy/iptables/__fixtures__/upstream.js';
import type { FlowCase, FlowRow } from '../../helpers/proxy-flow.js';
import { MASQUERADE_CASES } from './masquerade.js';
import { TRAFFIC_POLICY_CASES } from './traffic-policy.js';
import { UPSTREAM_CASES } from './upstream.js';

const testNodeIP = '192.168.0.2';
const testNodeIPAlt = '192.168.1.2';
const testExternalClient = '203.0.113.2';
const testExternalClientBlocked = '203.0.113.130';

const row = (name: string, sourceIP: string, destIP: string, destPort: number, output: string, masq = false, extra: Partial<FlowRow> = {}): FlowRow => ({
  name,
  sourceIP,
  destIP,
  destPort,
  output,
  masq,
  ...extra,
});

function inputsOf(name: string): FlowCase {
  const c = [...UPSTREAM_CASES, ...TRAFFIC_POLICY_CASES, ...MASQUERADE_CASES].find((x) => x.name === name);
  if (c === undefined) throw new Error(`no iptables-mode case ${name}`);
  return c;
}

/** An iptables-mode case's inputs on the nftables fake proxier, with nftables rows. */
function onNft(name: string, rows: readonly FlowRow[], overrides: Parameters<typeof fakeNftProxierConfig>[0] = {}): FlowCase {
  const c = inputsOf(name);
  const { nodePortAddresses: _drop, ...config } = c.config;
  return { name, config: fakeNftProxierConfig({ ...config, ...overrides }), services: c.services, endpoints: c.endpoints, rows };
}

// Upstream's nftables TestNoEndpointsReject asks the iptables-mode rows, with the same answers.
const noEndpointsReject = onNft('TestNoEndpointsReject', inputsOf('TestNoEndpointsReject').rows);

const two = (port: number) => `10.180.0.1:${port}, 10.180.2.1:${port}`;
const clusterIPGeneral = onNft('TestClusterIPGeneral', [
  row('simple clusterIP', '10.180.0.2', '172.30.0.41', 80, '10.180.0.1:80'),
  row('hairpin to cluster IP', '10.180.0.1', '172.30.0.41', 80, '10.180.0.1:80', true),
  row('clusterIP with multiple endpoints', '10.180.0.2', '172.30.0.42', 80, two(80)),
  row('clusterIP with TargetPort', '10.180.0.2', '172.30.0.42', 443, two(8443)),
  row('clusterIP with TCP, UDP, and SCTP on same port (TCP)', '10.180.0.2', '172.30.0.42', 53, two(5353), false, { protocol: 'TCP' }),
  // Upstream names this UDP row "(TCP)" too; kept as written.
  row('clusterIP with TCP, UDP, and SCTP on same port (TCP)', '10.180.0.2', '172.30.0.42', 53, two(53), false, { protocol: 'UDP' }),
  row('clusterIP with TCP, UDP, and SCTP on same port (SCTP)', '10.180.0.2', '172.30.0.42', 53, two(53), false, { protocol: 'SCTP' }),
  row('TCP-only port does not match UDP traffic', '10.180.0.2', '172.30.0.42', 80, 'REJECT', false, { protocol: 'UDP' }),
  row("svc1 does not accept svc2's ports", '10.180.0.2', '172.30.0.41', 443, 'REJECT'),
  row('packet to unallocated cluster ip', '10.180.0.2', '172.30.0.50', 80, 'DROP'),
]);

const ok = '10.180.0.1:80';
const loadBalancer = onNft('TestLoadBalancer', [
  row('pod to cluster IP', '10.0.0.2', '172.30.0.41', 80, ok),
  row('external to nodePort', testExternalClient, testNodeIP, 3001, ok, true),
  row('nodePort bypasses LoadBalancerSourceRanges', testExternalClientBlocked, testNodeIP, 3001, ok, true),
  row('accepted external to LB1', testExternalClient, '1.2.3.4', 80, ok, true),
  row('accepted external to LB2', testExternalClient, '5.6.7.8', 80, ok, true),
  row('blocked external to LB1', testExternalClientBlocked, '1.2.3.4', 80, 'DROP'),
  row('blocked external to LB2', testExternalClientBlocked, '5.6.7.8', 80, 'DROP'),
  row('pod to LB1 (blocked by LoadBalancerSourceRanges)', '10.0.0.2', '1.2.3.4', 80, 'DROP'),
  row('pod to LB2 (blocked by LoadBalancerSourceRanges)', '10.0.0.2', '5.6.7.8', 80, 'DROP'),
  row('node to LB1 (allowed by LoadBalancerSourceRanges)', testNodeIP, '1.2.3.4', 80, ok, true),
  row('node to LB2 (allowed by LoadBalancerSourceRanges)', testNodeIP, '5.6.7.8', 80, ok, true),
  // Sent by the node from the VIP itself: locally generated, though 1.2.3.4 is no node address.
  row('same node to LB1, SNATted to LB1 (implicitly allowed)', '1.2.3.4', '1.2.3.4', 80, ok, true, { origin: 'node' }),
  row('same node to LB2, SNATted to LB2 (implicitly allowed)', '5.6.7.8', '5.6.7.8', 80, ok, true, { origin: 'node' }),
]);

/** TestNodePorts (IPv4 subtests): a NodePort Service, one endpoint elsewhere and one here. */
function nodePorts(subtest: string, nodePortAddresses: readonly string[] | undefined, altAllowed: boolean): FlowCase {
  const both = '10.180.0.1:80, 10.180.2.1:80';
  const alt = altAllowed
    ? row('external to nodePort on secondary IP', testExternalClient, testNodeIPAlt, 3001, both, true)
    : row('secondary nodeIP ignores NodePorts', testExternalClient, testNodeIPAlt, 3001, '');
  return {
    name: `TestNodePorts: ${subtest}`,
    config: fakeNftProxierConfig(nodePortAddresses === undefined ? {} : { nodePortAddresses }),
    services: [svcPort('ns1', 'svc1', { type: 'NodePort', clusterIP: '172.30.0.41', nodePort: 3001 })],
    endpoints: { 'ns1/svc1:p80': [ep('10.180.0.1', 80), ep('10.180.2.1', 80, { nodeName: 'test-node' })] },
    rows: [
      row('pod to cluster IP', '10.0.0.2', '172.30.0.41', 80, both),
      row('external to nodePort', testExternalClient, testNodeIP, 3001, both, true),
      row('node to nodePort', testNodeIP, testNodeIP, 3001, both, true),
      alt,
    ],
  };
}

const both = '10.180.0.1:80, 10.180.2.1:80';
const here = '10.180.2.1:80';
const etpLocal = onNft('TestExternalTrafficPolicyLocal', [
  row('pod to cluster IP hits both endpoints, unmasqueraded', '10.0.0.2', '172.30.0.41', 80, both),
  row('pod to external IP hits both endpoints, unmasqueraded', '10.0.0.2', '192.168.99.11', 80, both),
  row('external to external IP hits only local endpoint, unmasqueraded', testExternalClient, '192.168.99.11', 80, here),
  row('pod to LB IP hits only both endpoints, unmasqueraded', '10.0.0.2', '1.2.3.4', 80, both),
  row('external to LB IP hits only local endpoint, unmasqueraded', testExternalClient, '1.2.3.4', 80, here),
  row('pod to NodePort hits both endpoints, unmasqueraded', '10.0.0.2', testNodeIP, 3001, both),
  row('external to NodePort hits only local endpoint, unmasqueraded', testExternalClient, testNodeIP, 3001, here),
]);
const etpCluster = onNft('TestExternalTrafficPolicyCluster', [
  row('pod to cluster IP hits both endpoints, unmasqueraded', '10.0.0.2', '172.30.0.41', 80, both),
  row('pod to external IP hits both endpoints, masqueraded', '10.0.0.2', '192.168.99.11', 80, both, true),
  row('external to external IP hits both endpoints, masqueraded', testExternalClient, '192.168.99.11', 80, both, true),
  row('pod to LB IP hits both endpoints, masqueraded', '10.0.0.2', '1.2.3.4', 80, both, true),
  row('external to LB IP hits both endpoints, masqueraded', testExternalClient, '1.2.3.4', 80, both, true),
  row('pod to NodePort hits both endpoints, masqueraded', '10.0.0.2', testNodeIP, 3001, both, true),
  row('external to NodePort hits both endpoints, masqueraded', testExternalClient, testNodeIP, 3001, both, true),
]);

/**
 * TestInternalTrafficPolicy, TestTerminatingEndpointsTrafficPolicy{Local,Cluster} and
 * TestInternalExternalMasquerade: upstream's nftables tables are the iptables ones (first sync),
 * without the `localhost to NodePort` rows.
 */
const SHARED = [...TRAFFIC_POLICY_CASES, ...UPSTREAM_CASES.filter((c) => c.name.startsWith('TestTerminatingEndpoints')), ...MASQUERADE_CASES].map((c) =>
  onNft(
    c.name,
    c.rows.filter((r) => !r.name.startsWith('localhost to NodePort')).map(({ engineGap: _g, ...r }) => r),
  ),
);

/**
 * TestOverallNFTablesRules: the Services and EndpointSlices TestOverallIPTablesRules uses, on the
 * nftables fake proxier. Upstream checks the ruleset only (test/fixtures/nftables/kube-proxy-overall.list
 * is its `nft list ruleset`); it has no flow table.
 */
const overall: FlowCase = { ...onNft('TestTracePacket (on TestOverallIPTablesRules)', []), name: 'TestOverallNFTablesRules' };

/** The cases, in upstream's order. */
export const NFT_UPSTREAM_CASES: readonly FlowCase[] = [
  overall,
  noEndpointsReject,
  clusterIPGeneral,
  loadBalancer,
  nodePorts('ipv4', undefined, false),
  nodePorts('ipv4, multiple nodeport-addresses', ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'], true),
  etpLocal,
  etpCluster,
  ...SHARED,
];
