/**
 * The packet-flow tables of proxy-flow/flows.test.ts, with kube-proxy in nftables mode: the same
 * Services and endpoints (upstream's fake proxier with `--nodeport-addresses` and the service
 * CIDR of pkg/proxy/nftables/proxier_test.go's NewFakeProxier), traced through the nft ruleset
 * alone. Every row gives iptables mode's answer except those in NFT_ANSWERS, where nftables
 * mode answers differently: the difference is real, and each says why.
 */
import { describe, expect, it } from 'vitest';
import { fakeNftProxierConfig } from '../../src/proxy/nftables/__fixtures__/upstream.js';
import { type FlowCase, type FlowRow, expected } from '../helpers/proxy-flow.js';
import { nftProxyNode, traceNftFlow } from '../helpers/proxy-flow-nft.js';
import { MASQUERADE_CASES } from './cases/masquerade.js';
import { UPSTREAM_CASES } from './cases/upstream.js';

interface NftAnswer {
  readonly output: string;
  readonly masq: boolean | string;
  readonly why: string;
}

const NO_LOCALHOST_NODEPORTS: NftAnswer = {
  output: '',
  masq: false,
  why: 'nftables mode has no localhost NodePorts: the services chain matches `ip daddr != 127.0.0.0/8` (or @nodeport-ips), so 127.0.0.1 is not DNATed',
};
const REJECT_WRONG_PORT: NftAnswer = {
  output: 'REJECT',
  masq: false,
  why: 'cluster-ips-check rejects traffic to a port a ClusterIP does not serve; iptables mode has no rule for it',
};
const NO_HEALTH_CHECK_ACCEPT: NftAnswer = {
  output: '',
  masq: false,
  why: 'nftables mode writes no ACCEPT for healthCheckNodePort: nothing in its table drops the port, the base chains\' policy accepts it',
};

/** Row name → nftables mode's answer, where it is not iptables mode's. */
const NFT_ANSWERS: Readonly<Record<string, NftAnswer>> = {
  'ACCEPT (NodePortHealthCheck)': NO_HEALTH_CHECK_ACCEPT,
  'firewall accepts HealthCheckNodePort': NO_HEALTH_CHECK_ACCEPT,
  'TCP-only port does not match UDP traffic': REJECT_WRONG_PORT,
  "svc1 does not accept svc2's ports": REJECT_WRONG_PORT,
  'localhost to NodePort': NO_LOCALHOST_NODEPORTS,
  'localhost to NodePort with eTP:Local': NO_LOCALHOST_NODEPORTS,
  'localhost to NodePort with iTP:Local': NO_LOCALHOST_NODEPORTS,
};

const ALL: readonly FlowCase[] = [...UPSTREAM_CASES, ...MASQUERADE_CASES];

describe.each(ALL.map((c) => [c.name, c] as const))('%s (nftables mode)', (_name, c) => {
  const config = fakeNftProxierConfig({ ...c.config, ...(c.config.nodePortAddresses !== undefined ? { nodePortAddresses: c.config.nodePortAddresses } : {}) });
  const node = nftProxyNode(config, c.services, c.endpoints);
  const rows = c.rows.filter((r) => r.engineGap === undefined);
  it.each(rows)('$name', (row: FlowRow) => {
    const got = traceNftFlow(node, row);
    const nft = NFT_ANSWERS[row.name];
    expect({ output: got.output, masq: got.masq }, `${row.sourceIP} → ${row.destIP}:${row.destPort}`).toEqual(nft === undefined ? expected(row) : { output: nft.output, masq: nft.masq });
  });
});

it('every nftables-specific answer is used and differs from iptables mode', () => {
  const rows = ALL.flatMap((c) => c.rows);
  for (const [name, answer] of Object.entries(NFT_ANSWERS)) {
    const matching = rows.filter((r) => r.name === name);
    expect(matching.length, name).toBeGreaterThan(0);
    for (const r of matching) expect(expected(r), name).not.toEqual({ output: answer.output, masq: answer.masq });
  }
});
