import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAndBuild } from '../../app/index.js';
import { chainsDot } from './chains.js';

function chains(path: string, node: string): string {
  const { built } = loadAndBuild([{ path, text: readFileSync(path, 'utf8') }]);
  if (built === undefined) throw new Error(`${path} does not build`);
  const r = chainsDot(built, node);
  if (!('dot' in r)) throw new Error(r.problem);
  return r.dot;
}

// The whole drawing's golden is test/golden/dot/nftables/chains-node-*.dot (test/golden/dot).
describe('chains view of an nftables-mode node', () => {
  const dot = chains('scenarios/nftables.yaml', 'node-1');

  it("draws kube-proxy's table with its base chains, vmap dispatch and dnat leaves", () => {
    expect(dot).toContain('label="netsim: nftables chains of node-1 (IPv4)"');
    expect(dot).toContain('subgraph "cluster_table-nft-ip-kube-proxy"');
    expect(dot).toMatch(/"nft-ip-kube-proxy\/nat-prerouting" \[label="nat-prerouting\\nnat hook prerouting priority -100\\npolicy accept"/);
    expect(dot).toMatch(/"nft-ip-kube-proxy\/services" -> "nft-ip-kube-proxy\/service-[A-Z0-9]+-default\/web\/tcp\/" \[label="#1 @service-ips: 10\.96\.0\.\d+ \. tcp \. 80"/);
    expect(dot).toMatch(/\[label="dnat to 10\.244\.0\.2:8080", shape="note"/);
  });
});
