/**
 * The BGP commands: `netsim show NODE bgp`, `netsim bgp timeline`, `netsim diagram --view bgp`.
 * Until the scenarios run BGP, a cluster built from calico-ipip.yaml is given a hand-written
 * result (test/helpers/bgp-views.ts, whose nodes sit on calico-ipip's node network), so the app
 * layer's composition and its next-hop resolution through the kernel model are exercised.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ip } from '../../src/addr/ip.js';
import { NO_BGP, bgpDiagram, bgpTimeline, kernelResolver, showBgp } from '../../src/app/bgp.js';
import { showText } from '../../src/app/show.js';
import { loadAndBuild } from '../../src/app/scenario.js';
import type { BuiltCluster } from '../../src/cluster/assemble/cluster.js';
import { meshBgp } from '../helpers/bgp-views.js';
import { cli } from '../helpers/cli.js';

function calicoIpip(): BuiltCluster {
  const path = 'scenarios/calico-ipip.yaml';
  const built = loadAndBuild([{ path, text: readFileSync(path, 'utf8') }], 1).built;
  if (built === undefined) throw new Error('calico-ipip does not build');
  return built;
}

/** The mesh fixture moved onto calico-ipip's node network: 192.168.1.x becomes 192.168.56.x, in addresses and names. */
function withMesh(built: BuiltCluster): BuiltCluster {
  const from = ip('192.168.1.0').value;
  const shift = ip('192.168.56.0').value - from;
  const move = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/192\.168\.1\./g, '192.168.56.').replace(/192_168_1_/g, '192_168_56_');
    if (Array.isArray(v)) return v.map(move);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (o['family'] === 4 && typeof o['value'] === 'bigint' && o['value'] >> 8n === from >> 8n) return { family: 4, value: o['value'] + shift };
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [move(k) as string, move(x)]));
  };
  return { ...built, bgp: move(meshBgp()) as ReturnType<typeof meshBgp> };
}

describe('BGP in the app layer', () => {
  const built = withMesh(calicoIpip());

  it('show NODE bgp: calicoctl node status, then birdcl show protocols and show route, next hops resolved on eth0', () => {
    const shown = showText(built, 'node-1', 'bgp');
    if ('problem' in shown) throw new Error(shown.problem);
    expect(shown.text).toContain('# calicoctl node status\nCalico process is running.\n');
    expect(shown.text).toContain('| 192.168.56.12 | node-to-node mesh | up    | 00:00:02 | Established |');
    expect(shown.text).toContain('# birdcl -s /var/run/calico/bird.ctl show protocols\nBIRD v0.3.3+birdv1.6.8 ready.\n');
    expect(shown.text).toContain('10.244.0.64/26     via 192.168.56.12 on eth0 [Mesh_192_168_56_12 00:00:02] * (100/0) [i]\n');
    expect(shown.text).not.toContain('bird6');
  });

  it('resolves a next hop through the main table: connected → metric 0, via the gateway → its address, BIRD routes skipped', () => {
    const ns = built.world.netns['node-1'];
    const resolve = kernelResolver(ns);
    expect(resolve(ip('192.168.56.12'))).toEqual({ dev: 'eth0', igpMetric: 0 });
    const far = resolve(ip('198.51.100.1'));
    expect(far?.dev).toBe('eth0');
    expect(far?.gateway).toBeDefined();
    expect(kernelResolver(undefined)(ip('192.168.56.12'))).toBeUndefined();
  });

  it('names the speakers when asked for one that runs no BGP', () => {
    expect(showBgp(built, 'client')).toEqual({ problem: 'client runs no BGP speaker (speakers: node-1, node-2, node-3)' });
  });

  it('timeline and diagram read the same result', () => {
    const text = bgpTimeline(built, 'text');
    expect('text' in text && text.text).toContain('Mesh_192_168_56_12');
    const json = bgpTimeline(built, 'json');
    expect('text' in json && JSON.parse(json.text).convergedAt).toBe(2.105);
    const dot = bgpDiagram(built);
    expect('dot' in dot && dot.dot).toContain('digraph "BGP sessions of cluster');
  });

  it('says so when the scenario runs no BGP', () => {
    const plain = calicoIpip();
    const noBgp = { ...plain };
    delete (noBgp as { bgp?: unknown }).bgp;
    expect(showBgp(noBgp, 'node-1')).toEqual({ problem: NO_BGP });
    expect(bgpTimeline(noBgp, 'text')).toEqual({ problem: NO_BGP });
    expect(bgpDiagram(noBgp)).toEqual({ problem: NO_BGP });
  });
});

describe('BGP on the command line', () => {
  it('bgp needs a subcommand', async () => {
    const r = await cli(['bgp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Name a bgp command: timeline.');
  });

  it('bgp timeline --help lists -f and -o', async () => {
    const r = await cli(['bgp', 'timeline', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--output');
    expect(r.stdout).toContain('--file');
  });

  it.each([
    [['bgp', 'timeline', '-f', 'scenarios/flannel-vxlan.yaml'], 'netsim bgp timeline: '],
    [['show', 'node-1', 'bgp', '-f', 'scenarios/flannel-vxlan.yaml'], 'netsim show: '],
    [['diagram', '--view', 'bgp', '--format', 'dot', '-f', 'scenarios/flannel-vxlan.yaml'], 'netsim diagram: '],
  ])('%j on a scenario without BGP: a usage error that says why', async (argv, prefix) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${prefix}${NO_BGP}`);
  });
});

describe('netsim bgp timeline --fail', () => {
  it('runs on until the dead node\'s routes are withdrawn at every peer', async () => {
    const r = await cli(['bgp', 'timeline', '--fail', 'node-2', '-f', 'scenarios/calico-bgp-mesh.yaml']);
    expect(r.code).toBe(0);
    const expired = r.stdout.split('\n').filter((l) => l.includes('hold-expired'));
    expect(expired.map((l) => l.trim().split(/\s+/)[1])).toEqual(['node-1', 'node-3']);
    expect(r.stdout).toMatch(/node-1\s+best-change\s+10\.244\.0\.64\/26\s+no route left/);
  });
  it('refuses an unknown machine', async () => {
    const r = await cli(['bgp', 'timeline', '--fail', 'node-9', '-f', 'scenarios/calico-bgp-mesh.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no node or router is called node-9');
  });
});
