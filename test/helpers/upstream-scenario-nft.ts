/**
 * upstream-scenario.ts for kube-proxy's nftables mode: the same Cluster, Services and
 * EndpointSlices, with `kubeProxy.mode: nftables` and the nftables fake proxier's
 * `--nodeport-addresses` (NewFakeProxier in pkg/proxy/nftables/proxier_test.go). The fixtures
 * (test/fixtures/kube-proxy-upstream-nft/) are regenerated with NETSIM_UPDATE_FIXTURES=1.
 */
import type { FlowCase } from './proxy-flow.js';
import { upstreamScenario } from './upstream-scenario.js';

/** The scenario text of one nftables-mode case. */
export function upstreamNftScenario(c: Pick<FlowCase, 'name' | 'config' | 'services' | 'endpoints'>, source: string): string {
  // An IPv4-only cluster: the fake proxier's IPv6 --nodeport-addresses entry has no IPv6 node to apply to.
  const nodePortAddresses = (c.config.nodePortAddresses ?? []).filter((a) => !a.includes(':'));
  const text = upstreamScenario({ ...c, config: { ...c.config, nodePortAddresses } }, source);
  return text
    .replace('by test/helpers/upstream-scenario.ts', 'by test/helpers/upstream-scenario-nft.ts')
    .replace('from test/proxy-flow/cases/ by', 'from test/proxy-flow/cases/nft-upstream.ts by')
    .replace(/^# 10\.0\.0\.0\/8, Services in 172\.30\.0\.0\/16, nodePorts from 3000 up, iptables without --random-fully\n# and with nfacct counters\.$/m, '# 10.0.0.0/8, Services in 172.30.0.0/16, nodePorts from 3000 up; kube-proxy in nftables mode with\n# --nodeport-addresses as the nftables fake proxier sets it (its IPv6 entry left out: IPv4 only).')
    .replace(/^ {2}kubeProxy:\n/m, '  kubeProxy:\n    mode: nftables\n')
    .replace(/^ {4}iptables: \{.*\}\n/m, '');
}
