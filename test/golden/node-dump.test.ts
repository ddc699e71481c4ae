/**
 * `netsim import` / `--node-dump` on a real dump (test/fixtures/node-dump/lab: a namespace
 * built as test/kernel/import/lab.ts builds it, saved by scripts/collect-node-dump.sh): the
 * import summary, every show view, and traces of packets entering on the pod's veth or sent by
 * the node, as goldens; the show views were checked against the kernel's own output when the
 * dump was taken (test/kernel/import/roundtrip.diff.test.ts does so on every root run).
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const DIR = 'test/fixtures/node-dump/lab';

describe('netsim import and --node-dump on a real dump', () => {
  it('import: the summary, and the iptables-nft duplicate as a warning', async () => {
    const r = await cli(['import', DIR]);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('node-dump/import.txt');
    expect(r.stderr).toContain('warning[HOST_DUMP_DUPLICATE]');
  });

  it('show all', async () => {
    const r = await cli(['show', 'node-a', 'all', '--node-dump', DIR]);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('node-dump/show-all.txt');
  });

  it.each([
    ['ipset-drop', ['10.1.0.5', '10.9.1.1', '--in', 'veth0']],
    ['masquerade-table-100', ['10.1.0.6', '10.9.1.1', '--in', 'veth0']],
    ['reject-22', ['10.1.0.6', '10.9.1.1:22', '--in', 'veth0']],
    ['blackhole', ['10.1.0.6', '10.8.0.1', '--in', 'veth0']],
    ['vxlan', ['10.1.0.6', '10.3.0.7', '--in', 'veth0']],
    ['local-to-pod', ['10.1.0.1', '10.1.0.9', '--protocol', 'udp', '--port', '53']],
    ['to-node', ['192.168.1.1', '192.168.1.10', '--in', 'eth1']],
  ])('trace %s', async (name, args) => {
    const r = await cli(['trace', ...args, '--node-dump', DIR]);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`node-dump/trace-${name}.txt`);
  });

  it('trace -o json carries the warnings', async () => {
    const r = await cli(['trace', '10.1.0.6', '10.9.1.1', '--in', 'veth0', '--node-dump', DIR, '-o', 'json']);
    const doc = JSON.parse(r.stdout) as { trace: { ending: { disposition: string; packet: { src: string } } }; warnings: { code: string }[] };
    expect(doc.trace.ending).toMatchObject({ disposition: 'EXITS_NETWORK', packet: { src: '192.168.1.10' } });
    expect(doc.warnings.map((w) => w.code)).toEqual(['HOST_DUMP_DUPLICATE']);
  });

  it('an unknown --in device, and --in without --node-dump, are usage errors', async () => {
    expect((await cli(['trace', '10.1.0.6', '10.9.1.1', '--in', 'nope', '--node-dump', DIR])).code).toBe(2);
    expect((await cli(['trace', 'pod-a', 'pod-b', '--in', 'eth0'])).code).toBe(2);
  });
});
