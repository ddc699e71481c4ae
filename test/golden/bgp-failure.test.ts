/**
 * `netsim trace … --fail`: the same trace while BGP still holds the dead machine's routes and
 * after it withdrew them, as goldens, with the checks that make them mean something.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const CASES = [
  { name: 'mesh-fail-node-2', argv: ['trace', 'client', 'web-2', '--fail', 'node-2', '-f', 'scenarios/calico-bgp-mesh.yaml'] },
  { name: 'rr-fail-node-1', argv: ['trace', 'pod-2', 'pod-5', '--fail', 'node-1', '-f', 'scenarios/calico-bgp-rr.yaml'] },
  { name: 'tor-fail-link', argv: ['trace', 'pod-1', 'pod-3', '--fail-link', 'tor-2/eth1', '-f', 'scenarios/calico-tor-peering.yaml'] },
] as const;

describe('trace --fail: two moments', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const text = await cli([...c.argv, '--no-reply']);
      expect(text.code).toBe(0);
      await expect(text.stdout).toMatchFileSnapshot(`bgp-failure/${c.name}.txt`);
      const json = await cli([...c.argv, '--no-reply', '-o', 'json']);
      await expect(json.stdout).toMatchFileSnapshot(`bgp-failure/${c.name}.json`);
    });
  }

  it('mesh: the packet is lost in the dead node while the hold timer runs, then leaves by the default route', async () => {
    const run = await cli(['trace', 'client', 'web-2', '--fail', 'node-2', '--no-reply', '-o', 'json', '-f', 'scenarios/calico-bgp-mesh.yaml']);
    const doc = JSON.parse(run.stdout) as { moments: { moment: string; time: number; failedAt: number; trace: { disposition: string } }[] };
    expect(doc.moments.map((m) => [m.moment, m.trace.disposition])).toEqual([['held', 'DROPPED'], ['withdrawn', 'EXITS_NETWORK']]);
    const [held, withdrawn] = doc.moments;
    // Withdrawal comes a hold time (240 s) after the last keepalive heard, never before.
    expect(withdrawn!.time - held!.failedAt).toBeGreaterThan(240 - 80);
    expect(withdrawn!.time - held!.failedAt).toBeLessThanOrEqual(240);
  });

  it('rr: one reflector dies, the other carries every route: delivered at both moments', async () => {
    const run = await cli(['trace', 'pod-2', 'pod-5', '--fail', 'node-1', '--no-reply', '-o', 'json', '-f', 'scenarios/calico-bgp-rr.yaml']);
    const doc = JSON.parse(run.stdout) as { moments: { trace: { disposition: string } }[] };
    expect(doc.moments.map((m) => m.trace.disposition)).toEqual(['DELIVERED', 'DELIVERED']);
  });

  it('refuses unknown machines and devices with the names it knows', async () => {
    const a = await cli(['trace', 'client', 'web-2', '--fail', 'node-9', '-f', 'scenarios/calico-bgp-mesh.yaml']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('no node or router is called node-9 (there are: node-1, node-2, node-3)');
    const b = await cli(['trace', 'client', 'web-2', '--fail-link', 'node-2/eth9', '-f', 'scenarios/calico-bgp-mesh.yaml']);
    expect(b.stderr).toContain('node-2 has no device eth9');
  });
});
