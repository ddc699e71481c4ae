/**
 * kube-router's syncs against the kernel: a node is loaded in netsim (a kube-proxy-like FORWARD
 * rule, then two kube-router syncs with different versions, IPv4 and IPv6, dual-stack and
 * single-stack pods, an ingress policy with a named port and an ipBlock with except, an egress
 * policy). In a fresh namespace `nsKR-<pid>-<n>` the same starting state is restored, then for
 * each sync `ipset restore` of its sets and `iptables-restore -T filter` (ip6tables-restore) of
 * its payload exactly as kube-router hands them over (`-I CHAIN 1` lines, `:CHAIN - [0:0] - [0:0]`,
 * `-p TCP`, quotes inside comments, stale chains left out). What `iptables-save` and `ipset save`
 * read back must equal netsim's state: rules byte for byte (without `#` lines), sets modulo hash
 * order, `bucketsize` and `initval`.
 *
 * Root-only, with iproute2, iptables (nf_tables) and ipset; elsewhere skipped with the reason.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cidr, ip } from '../../src/addr/index.js';
import { getRuleset } from '../../src/kernel/netfilter/index.js';
import { printIpsetSave } from '../../src/kernel/netfilter/ipset/index.js';
import { iptablesRestore } from '../../src/kernel/netfilter/restore.js';
import { printRuleset } from '../../src/kernel/netfilter/syntax/index.js';
import { getNetns } from '../../src/kernel/world.js';
import { type KrPod, type KubeRouterInput, loadKubeRouter } from '../../src/policy/kube-router/index.js';
import { worldWith } from '../helpers/kernel.js';
import { from, ipBlock, policy, port, sel, to } from '../helpers/netpol.js';
import { listNamespaces } from './harness/namespaces.js';
import { onPath, run } from './harness/sh.js';

const NS_PREFIX = `nsKR-${process.pid}-`;

function kernelUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root (run `sudo npm test` or `bash .ci/run` as root)';
  const missing = ['ip', 'iptables-restore', 'ip6tables-restore', 'iptables-save', 'ip6tables-save', 'ipset'].filter((t) => !onPath(t));
  if (missing.length > 0) return `missing tools: ${missing.join(', ')} (apt-get install iptables iproute2 ipset)`;
  const version = run('iptables-restore', ['--version']).stdout.trim();
  if (!version.includes('nf_tables')) return `iptables-restore is not the nf_tables backend (${version})`;
  return undefined;
}

const pod = (ns: string, name: string, node: string, addrs: string[]): KrPod => ({
  name, namespace: ns, labels: { app: name }, hostNetwork: false, nodeName: node, ips: addrs.map((a) => ip(a)),
  containers: [{ ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }],
});
const PODS = [
  pod('prod', 'web', 'node-1', ['10.244.0.2', 'fd00:10:244::2']),
  pod('prod', 'client', 'node-1', ['10.244.0.3']),
  pod('dev', 'probe', 'node-1', ['10.244.0.4', 'fd00:10:244::4']),
  pod('prod', 'db', 'node-2', ['10.244.1.2', 'fd00:10:244:1::2']),
];
const POLICIES = [
  policy('prod/web', sel({ app: 'web' }), { ingress: [from([{ podSelector: sel({ app: 'client' }) }], [port('http'), port('dns', 'UDP')]), from([ipBlock('10.244.0.0/16', ['10.244.1.0/24'])], [port(8080, 'TCP', 8090)])] }),
  policy('prod/v6', sel({ app: 'web' }), { ingress: [from([ipBlock('fd00:10:244::/48', ['fd00:10:244:1::/64'])])] }),
  policy('prod/client', sel({ app: 'client' }), { egress: [to([{ namespaceSelector: sel() , podSelector: sel({ app: 'db' }) }], [port(5432)]), to([], [port(53, 'UDP')])], types: ['Egress'] }),
];

function input(family: 4 | 6, syncVersion: string): KubeRouterInput {
  return { nodeName: 'node-1', family, pods: PODS, namespaces: [], policies: POLICIES, serviceClusterIPRanges: [cidr('10.96.0.0/12'), cidr('fd00:10:96::/108')], nodePortRange: '30000:32767', syncVersion };
}

const START = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:KUBE-FORWARD - [0:0]\n-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD\n-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\nCOMMIT\n';

function normalizeSets(text: string): string[] {
  return text.split('\n').filter((l) => l !== '').map((l) => l.replace(/ bucketsize \d+/, '').replace(/ initval 0x[0-9a-f]+/, '')).sort();
}
const withoutComments = (text: string) => text.split('\n').filter((l) => !l.startsWith('#')).join('\n');

const unavailable = kernelUnavailable();
if (unavailable !== undefined) console.warn(`[kernel-diff] SKIPPED kube-router's syncs against the kernel: ${unavailable}`);

describe.skipIf(unavailable !== undefined)("kube-router's syncs in a real namespace vs netsim", () => {
  afterAll(() => {
    expect(listNamespaces().filter((ns) => ns.startsWith(NS_PREFIX)), 'namespaces left behind').toEqual([]);
  });

  it.each([4, 6] as const)('IPv%s: two syncs, the kernel reads back what netsim holds', (family) => {
    const w = worldWith('node-1');
    const nf = getNetns(w, 'node-1').netfilter;
    expect(iptablesRestore(nf, START, { file: 'start', family, noflush: false }).diagnostics).toEqual([]);
    const ns = `${NS_PREFIX}${family}`;
    expect(run('ip', ['netns', 'add', ns]).code).toBe(0);
    try {
      const [ipt, save] = family === 4 ? ['iptables-restore', 'iptables-save'] : ['ip6tables-restore', 'ip6tables-save'];
      expect(run('ip', ['netns', 'exec', ns, ipt], START).code).toBe(0);
      for (const version of ['1000', '2000']) {
        // kube-router's fixed rules come from single iptables commands: replay them as netsim holds them before the sync.
        const before = printRuleset(getRuleset(nf, family));
        const sync = loadKubeRouter(w, 'node-1', input(family, version));
        expect(sync.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(run('ip', ['netns', 'exec', ns, ipt], before).code).toBe(0);
        const sets = run('ip', ['netns', 'exec', ns, 'ipset', 'restore', '-exist'], printIpsetSave(sync.sets));
        expect(sets.code, sets.stderr).toBe(0);
        const restore = run('ip', ['netns', 'exec', ns, ipt, '-T', 'filter'], sync.payload);
        expect(restore.code, `${ipt}: ${restore.stderr}\n${sync.payload}`).toBe(0);
        expect(withoutComments(run('ip', ['netns', 'exec', ns, save]).stdout)).toBe(printRuleset(getRuleset(nf, family)));
      }
      const kernelSets = normalizeSets(run('ip', ['netns', 'exec', ns, 'ipset', 'save']).stdout);
      expect(kernelSets).toEqual(normalizeSets(printIpsetSave([...nf.ipsets.values()])));
    } finally {
      run('ip', ['netns', 'delete', ns]);
    }
  });
});
