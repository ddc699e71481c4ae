/**
 * Packet size against MTU over flannel's VXLAN, netsim against the kernel: a scenario is
 * materialized (materialize.ts: every device with the model's MTU — pods' eth0, cni0, flannel.1,
 * the nodes' eth0, and an underlay network's switch ports at its `mtu` while the hosts'
 * interfaces have its `interfaceMtu`), then one `ping -M do|dont -s SIZE-28` per case from a pod
 * (or node) to a pod on another node, and the same echo traced by `netsim trace --protocol icmp
 * --size SIZE [--no-df]`. Both must end as the case says (mtu-probe.ts): delivered, refused at
 * the sender, fragmentation needed from a router or node, or dropped silently at a given
 * device. Root only, needs `ping` (iputils-ping); skipped with the reason printed otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelAvailable } from '../harness/available.js';
import { deleteNamespace } from '../harness/namespaces.js';
import { loadRunCli } from '../harness/netsim.js';
import { onPath } from '../harness/sh.js';
import { buildScenario, type ScenarioSource, scenarioSources } from './cluster.js';
import { type Materialized, materialize } from './materialize.js';
import { kernelOutcome, mtuDiffs, netsimOutcome, netsimTrace, type SizeCase } from './mtu-probe.js';
import { ownNamespaces } from './names.js';
import type { RunCli } from './netsim-side.js';
import { settleDad } from './state-check.js';

const kernel = kernelAvailable();
const cli = await loadRunCli();
const skip = !kernel.ok ? `kernel side unavailable: ${kernel.why}` : !onPath('ping') ? 'missing ping (apt-get install iputils-ping)' : 'missing' in cli ? `netsim side unavailable: ${cli.missing}` : undefined;

interface Case extends SizeCase {
  readonly want: string;
}

const ping = (srcNs: string, srcArg: string, dstArg: string) => (size: number, df: boolean, want: string): Case => ({ srcNs, srcArg, dstArg, size, df, want });

/** Per scenario: the pings, and how the kernel ends each (netsim must agree). */
const SUITES: readonly { readonly file: string; readonly cases: readonly Case[] }[] = [
  {
    // flannel.1, cni0 and every pod's eth0 at 1450 (eth0 1500 - 50): the pod's own socket refuses first.
    file: 'scenarios/flannel-vxlan.yaml',
    cases: [
      ping('default.client', 'client', 'web-1')(1450, true, 'delivered'),
      ping('default.client', 'client', 'web-1')(1451, true, 'refused at the sender (mtu 1450)'),
      ping('default.client', 'client', 'web-1')(1451, false, 'delivered'),
      ping('node-1', 'node-1', 'web-1')(1451, true, 'refused at the sender (mtu 1450)'),
      ping('node-1', 'node-1', 'web-1')(1451, false, 'delivered'),
    ],
  },
  {
    // canal: the pods' eth0 at the host's 1500 (calico-node's /var/lib/calico/mtu, no Calico
    // tunnel), flannel.1 at 1450: node-1 answers a DF packet of 1451+ with "fragmentation needed".
    // The 1501 case goes first: once the ICMP error came back, the pod's kernel keeps the path
    // MTU 1450 for web-1 and refuses at 1450 itself (netsim traces start from no cached PMTU).
    file: 'scenarios/canal.yaml',
    cases: [
      ping('default.client', 'client', 'web-1')(1450, true, 'delivered'),
      ping('default.client', 'client', 'web-1')(1501, true, 'refused at the sender (mtu 1500)'),
      ping('default.client', 'client', 'web-1')(1451, true, 'fragmentation needed from node-1 (mtu 1450)'),
      ping('default.client', 'client', 'web-1')(1500, false, 'delivered'),
    ],
  },
  {
    // rack-2's ports carry 1450 while the hosts' eth0 say 1500: outer frames of 1455+ vanish.
    file: 'scenarios/mtu-blackhole.yaml',
    cases: [
      ping('default.pod-a', 'pod-a', 'pod-c')(1400, true, 'delivered'),
      ping('default.pod-a', 'pod-a', 'pod-c')(1404, true, 'delivered'),
      ping('default.pod-a', 'pod-a', 'pod-c')(1405, true, 'dropped silently at rack-2/port3'),
      ping('default.pod-a', 'pod-a', 'pod-c')(1450, true, 'dropped silently at rack-2/port3'),
      ping('default.pod-a', 'pod-a', 'pod-c')(1450, false, 'dropped silently at rack-2/port3'),
      ping('default.pod-a', 'pod-a', 'pod-c')(1451, true, 'refused at the sender (mtu 1450)'),
      ping('default.pod-a', 'pod-a', 'pod-c')(3000, false, 'dropped silently at rack-2/port3'),
      ping('default.pod-c', 'pod-c', 'pod-a')(1404, true, 'delivered'),
      ping('default.pod-c', 'pod-c', 'pod-a')(1405, true, 'dropped silently at rack-2/port4'),
    ],
  },
  {
    // Through a router (tor) between two racks of 1500: only the pod's own 1450 limits.
    file: 'scenarios/two-racks-vxlan.yaml',
    cases: [
      ping('default.pod-a', 'pod-a', 'pod-c')(1450, true, 'delivered'),
      ping('default.pod-a', 'pod-a', 'pod-c')(1451, true, 'refused at the sender (mtu 1450)'),
      ping('default.pod-a', 'pod-a', 'pod-c')(3000, false, 'delivered'),
    ],
  },
  {
    // cni.mtu 1500 over eth0 1500: the kernel cuts flannel.1 down to 1450 and flanneld reads
    // that back for FLANNEL_MTU, so cni0 and the pods get 1450 as with `auto`.
    file: 'test/fixtures/kernel-mtu/vxlan-mtu-too-big.yaml',
    cases: [
      ping('default.client', 'client', 'server')(1450, true, 'delivered'),
      ping('default.client', 'client', 'server')(1451, true, 'refused at the sender (mtu 1450)'),
      ping('default.client', 'client', 'server')(1500, false, 'delivered'),
    ],
  },
];

/** A scenario of scenarios/ by its name, or a test fixture by its path (relative to the repository). */
function sourceOf(file: string): ScenarioSource | undefined {
  const known = scenarioSources().find((s) => s.name === file);
  if (known !== undefined) return known;
  const path = fileURLToPath(new URL(`../../../${file}`, import.meta.url));
  return existsSync(path) ? { name: file, fileArgs: ['-f', path], path, text: readFileSync(path, 'utf8') } : undefined;
}

const PINGS = SUITES.reduce((n, x) => n + x.cases.length, 0);
if (skip !== undefined) console.warn(`[kernel-diff] SKIPPED the MTU-over-VXLAN cases (${PINGS} pings, ${SUITES.length} scenarios): ${skip}`);
else console.warn(`[kernel-diff] running the MTU-over-VXLAN cases: ${PINGS} pings over ${SUITES.length} scenarios`);

describe.skipIf(skip !== undefined)('MTU over VXLAN: kernel vs netsim', () => {
  afterAll(() => {
    expect(ownNamespaces(), 'namespaces left behind').toEqual([]);
  });

  for (const suite of SUITES) {
    describe(suite.file, () => {
      const src = sourceOf(suite.file);
      let m: Materialized | undefined;
      let world: Parameters<typeof materialize>[0] | undefined;
      beforeAll(async () => {
        if (src === undefined) throw new Error(`${suite.file} is missing`);
        const b = buildScenario(src);
        if ('problem' in b) throw new Error(b.problem);
        world = b.built.world;
        m = materialize(world);
        // The worker may exit without afterAll: take this scenario's namespaces along.
        process.once('exit', () => {
          for (const n of Object.values(m?.names ?? {})) deleteNamespace(n);
        });
        await settleDad(Object.values(m.names));
      }, 60_000);
      afterAll(() => {
        expect(m?.dispose() ?? [], 'namespaces that could not be deleted').toEqual([]);
      });

      it('every device has the model’s MTU', () => {
        if (m === undefined || world === undefined) throw new Error('not materialized');
        expect(mtuDiffs(world, m.names)).toEqual([]);
      });

      it.each(suite.cases)('$srcArg → $dstArg: $size bytes, DF $df: $want', async (c) => {
        if (m === undefined || world === undefined || src === undefined) throw new Error('not materialized');
        const t = await netsimTrace((cli as { runCli: RunCli }).runCli, src.fileArgs, c);
        const k = kernelOutcome(world, m.names, c, t.flow.packet.dst);
        const n = netsimOutcome(t, c.srcNs);
        expect({ kernel: k, netsim: n }).toEqual({ kernel: c.want, netsim: c.want });
      }, 20_000);
    });
  }
});
