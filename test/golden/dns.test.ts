/**
 * Cluster DNS goldens on scenarios/dns.yaml: every pod's `show POD resolv`, and `netsim trace` to
 * DNS names (text and JSON): the search list, the query traced to kube-dns, the connection; an
 * ExternalName out of the cluster (EXITS_NETWORK), one inside it, a headless Service, a pod's
 * hostname record, a pod A record, NXDOMAIN, `--dns` on an object name and `--no-dns`.
 * Regenerate with `npx vitest run test/golden/dns.test.ts -u` and review the diff.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const F = ['-f', 'scenarios/dns.yaml'];
const PODS = ['client', 'custom', 'shop/web', 'shop/db-0', 'kube-system/coredns-1'];
const TRACES: readonly (readonly string[])[] = [
  ['client', 'web.shop.svc.cluster.local'],
  ['client', 'web.shop.svc'],
  ['client', 'db.shop'],
  ['client', 'db-0.db.shop.svc.cluster.local'],
  ['client', '10-244-1-2.shop.pod.cluster.local'],
  ['client', 'payments.shop'],
  ['client', 'legacy.shop'],
  ['client', 'nothing.shop.svc.cluster.local.'],
  ['custom', 'web', '--dns'],
  ['client', 'web.shop', '--dns'],
];

const file = (args: readonly string[]): string => args.join('_').replace(/[/.]/g, '-').replace(/-+/g, '-');

describe('dns.yaml', () => {
  it.each(PODS)('show %s resolv', async (pod) => {
    const r = await cli(['show', pod, 'resolv', ...F]);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`dns/resolv-${file([pod])}.txt`);
  });

  it.each(TRACES)('trace %s %s %s', async (...args) => {
    const text = await cli(['trace', ...args, ...F]);
    expect(text.code, text.stderr).toBe(0);
    await expect(text.stdout).toMatchFileSnapshot(`dns/trace-${file(args)}.txt`);
    const json = await cli(['trace', ...args, ...F, '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { resolution?: { queries: unknown[] } };
    expect(doc.resolution?.queries.length).toBeGreaterThan(0);
    await expect(json.stdout).toMatchFileSnapshot(`dns/trace-${file(args)}.json`);
  });

  it('keeps object names as they were: no lookup for web.shop, nor with --no-dns', async () => {
    const plain = await cli(['trace', 'client', 'web.shop', ...F]);
    expect(plain.stdout).not.toContain('resolve');
    const noDns = await cli(['trace', 'client', 'web.shop.svc.cluster.local', '--no-dns', ...F]);
    expect(noDns.stdout).toBe(plain.stdout);
  });

  it('with the cluster DNS off, kubelet falls back to the node resolver and the lookup leaves the cluster', async () => {
    const off = await cli(['trace', 'client', 'web.shop.svc.cluster.local', ...F], {
      'scenarios/dns.yaml': (await import('node:fs')).readFileSync('scenarios/dns.yaml', 'utf8').replace('replicas: 2', 'replicas: 2\n    nodeNameservers: [192.168.56.1]').replace('enabled: true', 'enabled: false'),
    });
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toContain('falls back to Default');
    expect(off.stdout).not.toContain('connection  to the answer');
  });
});
