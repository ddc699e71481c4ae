/**
 * kube-proxy's nftables mode against the kernel (nft 1.0.6 here), as root in nsNP- namespaces:
 * the transaction netsim generates loads with `nft -f`, and `nft list ruleset` prints exactly
 * what netsim lists: for every node of scenarios/nftables.yaml (`netsim show NODE nft`), for
 * upstream's TestOverallNFTablesRules (the fixture's listing), and for an IPv6 proxier with
 * affinity, source ranges, eTP Local and match-all NodePorts. Skipped, with the reason, without
 * root or nft.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../src/cni/builtins.js';
import { createCniRegistry } from '../../src/cni/registry.js';
import { buildCluster } from '../../src/cluster/assemble/cluster.js';
import { parseNft, printNft } from '../../src/kernel/netfilter/index.js';
import { OVERALL_ENDPOINTS, OVERALL_SERVICES, ep, svcPort } from '../../src/proxy/iptables/__fixtures__/upstream.js';
import { fakeNftProxierConfig } from '../../src/proxy/nftables/__fixtures__/upstream.js';
import { buildNftablesTransaction } from '../../src/proxy/index.js';
import { loadScenario } from '../../src/scenario/index.js';
import { simContext } from '../../src/sim/context.js';
import { cli } from '../helpers/cli.js';
import { onPath } from './harness/sh.js';
import { kernelNftList } from './nft/lab.js';

function why(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root';
  for (const t of ['ip', 'nft']) if (!onPath(t)) return `${t} is missing`;
  return undefined;
}
const skip = why();
if (skip !== undefined) console.warn(`[nftproxy-diff] SKIPPED: ${skip}`);

/** Loads `text` with `nft -f` into a fresh namespace and returns `nft list ruleset`. */
function kernelList(text: string): string {
  return kernelNftList(`nsNP-${process.pid}`, text);
}

const SCENARIO = 'scenarios/nftables.yaml';

function scenarioPayloads(): [string, string][] {
  const spec = loadScenario([{ path: SCENARIO, text: readFileSync(SCENARIO, 'utf8') }]).value!;
  const built = buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value!;
  return Object.entries(built.proxyPayloads);
}

/** An IPv6 proxier: ClientIP affinity, source ranges holding the node IP, eTP Local, match-all. */
const V6 = {
  config: fakeNftProxierConfig({ family: 6, nodePortAddresses: [] }),
  services: [
    svcPort('ns1', 'svc1', { clusterIP: 'fd00:10:96::1', sessionAffinity: 'ClientIP', sessionAffinityTimeoutSeconds: 300 }),
    svcPort('ns2', 'svc2', {
      type: 'LoadBalancer', clusterIP: 'fd00:10:96::2', nodePort: 3002, externalTrafficPolicy: 'Local',
      loadBalancerIPs: ['2001:db8:5::8'], loadBalancerSourceRanges: ['2001:db8::/64'], externalIPs: ['2001:db8:99::22'],
    }),
    svcPort('ns3', 'svc3', { clusterIP: 'fd00:10:96::3', protocol: 'UDP', portName: 'dns', port: 53 }),
  ],
  endpoints: {
    'ns1/svc1:p80': [ep('fd00:10:180::2:1', 80), ep('fd00:10:180::2:2', 80)],
    'ns2/svc2:p80': [ep('fd00:10:180::3:1', 80, { nodeName: 'test-node' }), ep('fd00:10:180::3:2', 80)],
  },
};

describe.skipIf(skip !== undefined)('kube-proxy nftables mode: netsim vs the kernel', () => {
  it.each(scenarioPayloads())('scenarios/nftables.yaml %s: nft list ruleset = netsim show NODE nft', async (node, payload) => {
    const shown = await cli(['show', node, 'nft', '-f', SCENARIO]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(kernelList(payload)).toBe(shown.stdout);
  });

  it('TestOverallNFTablesRules: the generated transaction lists as the fixture', () => {
    const tx = buildNftablesTransaction(fakeNftProxierConfig(), OVERALL_SERVICES, OVERALL_ENDPOINTS);
    expect(kernelList(tx.text)).toBe(readFileSync('test/fixtures/nftables/kube-proxy-overall.list', 'utf8'));
  });

  it('IPv6: the generated transaction lists as netsim prints it', () => {
    const tx = buildNftablesTransaction(V6.config, V6.services, V6.endpoints);
    const parsed = parseNft(tx.text, { file: 'v6' });
    expect(parsed.diagnostics).toEqual([]);
    expect(kernelList(tx.text)).toBe(printNft(parsed.value));
  });
});
