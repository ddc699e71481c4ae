/**
 * scenarios/nftables.yaml traced twice: as written (kube-proxy in nftables mode) and with
 * `mode: iptables`. Where the answers differ, the difference is nftables mode's own (upstream
 * pkg/proxy/nftables: cluster-ips-check, filtering before DNAT); where they agree, they must.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const PATH = 'scenarios/nftables.yaml';
const NFT = readFileSync(PATH, 'utf8');
const IPT = NFT.replace('kubeProxy: {mode: nftables}', 'kubeProxy: {mode: iptables}');

async function result(text: string, flow: readonly string[]): Promise<string> {
  const run = await cli(['trace', ...flow, '-f', PATH, '-o', 'json'], { [PATH]: text });
  expect(run.code, run.stderr).toBe(0);
  const doc = JSON.parse(run.stdout) as { disposition: string };
  return doc.disposition;
}

describe('nftables mode against iptables mode, same cluster', () => {
  it('the scenario really switches modes', () => {
    expect(IPT).not.toBe(NFT);
  });

  it.each([
    // A port the ClusterIP does not serve: nftables REJECTs (cluster-ips-check); iptables has no
    // rule for it, the packet leaves the node towards the unrouted ClusterIP.
    { flow: ['client', '10.96.0.10:81'], nftables: 'REJECTED', iptables: 'not REJECTED' },
    // An address of the service CIDR no Service holds: nftables DROPs; iptables does not.
    { flow: ['client', '10.96.0.200:80'], nftables: 'DROPPED', iptables: 'not DROPPED' },
  ])('$flow.1: nftables $nftables, iptables $iptables', async ({ flow, nftables, iptables }) => {
    expect(await result(NFT, flow)).toBe(nftables);
    expect(await result(IPT, flow)).not.toBe(iptables.replace('not ', ''));
  });

  it.each([
    [['client', 'svc/default/web']],
    [['client', 'svc/default/empty']],
    [['203.0.113.7', '198.51.100.10:80']],
    [['203.0.113.200', '198.51.100.10:80']],
    [['203.0.113.7', '192.168.56.12:30082']],
    [['203.0.113.7', '192.168.56.12:30081']],
  ])('%j: both modes agree', async (flow) => {
    expect(await result(NFT, flow)).toBe(await result(IPT, flow));
  });
});
