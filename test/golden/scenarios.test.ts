/**
 * Golden files for every scenario in scenarios/: per node `iptables-save` and
 * `ip route show table all`, per underlay router `netsim show`, per BGP speaker
 * `netsim show NAME bgp` and the `netsim bgp timeline`, and per chosen flow the trace
 * as text and JSON. The examples are
 * goldens too, so they cannot rot. After each iptables-save golden, the text is parsed again and
 * printed back byte for byte, and no rule jumps to a chain that does not exist.
 * Regenerate with `npx vitest run test/golden -u` and review the diff.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../src/cni/builtins.js';
import { createCniRegistry } from '../../src/cni/registry.js';
import { buildCluster } from '../../src/cluster/assemble/cluster.js';
import { getRuleset } from '../../src/kernel/netfilter/index.js';
import { parseIptablesSave, printRuleset } from '../../src/kernel/netfilter/syntax/index.js';
import { renderIpRoute } from '../../src/kernel/text/route.js';
import { checkRuleJumps } from '../../src/proxy/index.js';
import { loadScenario } from '../../src/scenario/index.js';
import { simContext } from '../../src/sim/context.js';
import { cli } from '../helpers/cli.js';
import { goldenScenarios } from '../helpers/scenarios.js';

const SCENARIOS = goldenScenarios();

/** Traces a scenario's comments teach beyond the chosen flows: SRC, DST and extra options. */
const TAUGHT: Readonly<Record<string, readonly (readonly string[])[]>> = {
  // pod→outside: Felix's cali-nat-outgoing masquerades (natOutgoing: true).
  'calico-ipip.yaml': [['client', '203.0.113.10', '--port', '80']],
  // canal: cali to cali on one node, and Felix's natOutgoing ahead of flanneld's masquerade.
  'canal.yaml': [
    ['client', 'neighbour'],
    ['client', '203.0.113.10', '--port', '80'],
    // The pod's MTU is the host's 1500 (veth_mtu 0, no Calico tunnel); flannel.1's is 1450.
    ['client', 'web-2', '--size', '1500'],
  ],
  'calico-vxlan-crosssubnet.yaml': [
    ['client', 'same-rack'],
    ['client', '203.0.113.10', '--port', '80'],
  ],
  // A client outside the cluster (behind the node network's gateway) to each NodePort, on the
  // backend's node and on the other: Local keeps the client address or drops, Cluster SNATs.
  'external-client.yaml': [
    ['203.0.113.7', '192.168.56.11:30080'],
    ['203.0.113.7', '192.168.56.12:30080'],
    ['203.0.113.7', '192.168.56.11:30081'],
    ['203.0.113.7', '192.168.56.12:30081'],
    // The cloud LB's VIP, routed by the gateway to a node with a ready endpoint (eTP Local).
    ['203.0.113.7', '198.51.100.10:80'],
  ],
  // The cloud load balancer in nodePort mode (spread over the nodes, all paths), a Local
  // Service's LB (one healthy node, the client's address kept), ipMode Proxy (the LB's address;
  // a pod dialling it goes out and back in), a declared external host as source and target
  // (the pod's egress masquerade), and IPv6.
  'cloud-load-balancer.yaml': [
    ['laptop', '198.51.100.10:80', '--all-paths'],
    ['laptop', '198.51.100.11:80'],
    ['laptop', '198.51.100.12:80'],
    ['web-1', '198.51.100.12:80'],
    ['web-1', 'laptop', '--port', '443'],
    ['laptop', '[2001:db8:100::10]:80', '--seed', '2'],
    ['laptop', 'node-2:30081'],
  ],
  // kube-router: the same labels from another namespace are rejected after DNAT; default deny isolates the client.
  'kube-router-netpol.yaml': [
    ['dev/intruder', 'svc/default/web'],
    ['default/web-1', 'default/client'],
  ],
  // Admin tiers: an ANP Deny above a NetworkPolicy allow; a Pass the owners' NetworkPolicy then allows.
  'netpol-admin-tiers.yaml': [
    ['tenant-b/web', 'tenant-a/web', '--port', '8080'],
    ['monitoring/prometheus', 'tenant-a/web', '--port', '8080'],
  ],
  // Dual-stack: the IPv6 ClusterIP from pod-a's IPv6 address (ip6tables' KUBE-SVC chain), an
  // IPv6-only Service, and a pod's IPv6 address given as DST (the family follows it).
  'dual-stack.yaml': [
    ['pod-a', 'service-b', '--family', '6'],
    ['pod-a', 'web-v6'],
    ['pod-a', 'fd00:10:244:1::2', '--port', '8080'],
  ],
  // flannel dual-stack: the IPv6 pod→pod flow through flannel-v6.1 (VXLAN over IPv6 between the
  // nodes), the Service's IPv6 ClusterIP, and a pod's IPv6 address given as DST.
  'flannel-dual-stack.yaml': [
    ['client', 'web-1', '--family', '6'],
    ['client', 'web', '--family', '6'],
    ['node-1', 'fd00:10:244:1::2', '--port', '8080'],
  ],
  // Calico dual-stack: IPv6 pod→pod and pod→Service over vxlan-v6.calico (IPv4 goes by IP-in-IP).
  'calico-dual-stack.yaml': [
    ['client', 'web-1', '--family', '6'],
    ['client', 'web', '--family', '6'],
  ],
  // kube-proxy in nftables mode: the answers iptables mode does not give (REJECT on a wrong
  // ClusterIP port, DROP on an unallocated ClusterIP), the LB source-range firewall before DNAT,
  // eTP Local's no-endpoint-nodeports drop, and a NodePort with eTP Cluster.
  'nftables.yaml': [
    ['client', '10.96.0.10:81'],
    ['client', '10.96.0.200:80'],
    ['203.0.113.7', '198.51.100.10:80'],
    ['203.0.113.200', '198.51.100.10:80'],
    ['203.0.113.7', '192.168.56.12:30082'],
    ['203.0.113.7', '192.168.56.12:30081'],
  ],
  // PreferClose from zone-b: only the two zone-b endpoints (the first pod, in zone-a, gets web-a).
  'topology-zones.yaml': [['web-b1', 'svc/default/web']],
  'mtu-blackhole.yaml': [
    ['pod-a', 'pod-c', '--size', '1450'],
    ['pod-a', 'pod-c', '--size', '1400'],
    ['pod-c', 'pod-a', '--size', '1450'],
  ],
};
const cni = createCniRegistry(BUILTIN_CNI_PLUGINS);

function build(file: string) {
  const spec = loadScenario([{ path: `scenarios/${file}`, text: readFileSync(`scenarios/${file}`, 'utf8') }]);
  expect(spec.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const built = buildCluster(spec.value!, { cni, ctx: simContext(1) });
  // Warnings are allowed (a host-gw route the kernel refuses across a router); errors are not.
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return built.value!;
}

/**
 * The flows each scenario's goldens trace: the first pod to every Service with a ClusterIP, and
 * to the last pod; with an underlay, also the first node to the last (across its routers).
 */
function flowsOf(file: string): [string, string][] {
  const built = build(file);
  const pods = declaredPods(built);
  const first = pods[0];
  if (first === undefined) return [];
  const src = `${first.pod.namespace}/${first.pod.name}`;
  const flows: [string, string][] = built.spec.services
    .filter((s) => s.clusterIPs.length > 0 && s.name !== 'kubernetes' && s.pos !== undefined)
    .map((s) => [src, `svc/${s.namespace}/${s.name}`]);
  const last = pods[pods.length - 1];
  if (last !== undefined && last !== first) flows.push([src, `${last.pod.namespace}/${last.pod.name}`]);
  const [n1, ...more] = built.spec.nodes;
  const nLast = more.at(-1);
  if (built.spec.cluster.underlay !== undefined && n1 !== undefined && nLast !== undefined) flows.push([n1.name, nLast.name]);
  return flows;
}

/**
 * The extra flows of overlay scenarios (flannel): the first node to the last pod (the node's own
 * traffic into the overlay). Other scenarios keep exactly the flows above.
 */
function nodeFlowsOf(file: string): [string, string][] {
  const built = build(file);
  if (built.spec.cluster.cni.type === 'bridge') return [];
  const pods = declaredPods(built);
  const last = pods[pods.length - 1];
  const node = built.spec.nodes[0];
  return last === undefined || node === undefined ? [] : [[node.name, `${last.pod.namespace}/${last.pod.name}`]];
}

/** Namespaces whose `netsim show` output is a golden: every node and pod of overlay scenarios. */
function shownOf(file: string): string[] {
  const built = build(file);
  // A dual-stack cluster shows its first node and first pod (both families in every section).
  if (built.spec.cluster.secondary !== undefined) return [built.spec.nodes[0]?.name ?? '', `${built.pods[0]?.pod.namespace}/${built.pods[0]?.pod.name}`];
  if (built.spec.cluster.cni.type === 'bridge') return [];
  return [...built.spec.nodes.map((n) => n.name), ...declaredPods(built).map((p) => `${p.pod.namespace}/${p.pod.name}`)];
}

/** The scenario's own pods (not the CoreDNS pods of the DNS addon, whose flows dns.yaml shows). */
function declaredPods(built: ReturnType<typeof build>): ReturnType<typeof build>['pods'] {
  return built.pods.filter((p) => !p.pod.hostNetwork && p.pod.pos !== undefined);
}

describe.each(SCENARIOS)('scenario %s', (file) => {
  const name = file.replace(/\.yaml$/, '');
  const built = build(file);

  it.each(built.spec.nodes.map((n) => n.name))('node %s: iptables-save and ip route', async (node) => {
    const ns = built.world.netns[node]!;
    const save = printRuleset(getRuleset(ns.netfilter, 4));
    await expect(save).toMatchFileSnapshot(`${name}/${node}.iptables-save`);
    // Re-parse and re-print: the identity, byte for byte.
    const reparsed = parseIptablesSave(save, { file: `${node}.iptables-save` });
    expect(reparsed.diagnostics).toEqual([]);
    expect(printRuleset(reparsed.value)).toBe(save);
    // No rule jumps to a chain that does not exist.
    expect(checkRuleJumps(save).filter((p) => p.endsWith("is used but not created"))).toEqual([]);
    await expect(renderIpRoute(ns, { table: 'all', peers: built.world.netns })).toMatchFileSnapshot(`${name}/${node}.ip-route`);
  });

  // Nodes with IPv6 rules (IPv6 and dual-stack clusters): ip6tables-save, re-parsed as above.
  const v6Nodes = built.spec.nodes.map((n) => n.name).filter((n) => getRuleset(built.world.netns[n]!.netfilter, 6).tables.length > 0);
  it.each(v6Nodes)('node %s: ip6tables-save', async (node) => {
    const save = printRuleset(getRuleset(built.world.netns[node]!.netfilter, 6));
    await expect(save).toMatchFileSnapshot(`${name}/${node}.ip6tables-save`);
    const reparsed = parseIptablesSave(save, { file: `${node}.ip6tables-save`, family: 6 });
    expect(reparsed.diagnostics).toEqual([]);
    expect(printRuleset(reparsed.value)).toBe(save);
    expect(checkRuleJumps(save).filter((p) => p.endsWith("is used but not created"))).toEqual([]);
  });

  // kube-proxy's nftables table (`nft list ruleset`) on every node of an nftables-mode cluster.
  it.each(built.spec.cluster.kubeProxy.mode === 'nftables' ? built.spec.nodes.map((n) => n.name) : [])('show %s nft', async (node) => {
    const run = await cli(['show', node, 'nft', '-f', `scenarios/${file}`]);
    expect(run.code, run.stderr).toBe(0);
    await expect(run.stdout).toMatchFileSnapshot(`${name}/${node}.nft`);
  });

  it.each(shownOf(file))('show %s', async (target) => {
    const run = await cli(['show', target, '-f', `scenarios/${file}`]);
    expect(run.code).toBe(0);
    await expect(run.stdout).toMatchFileSnapshot(`${name}/show-${target.replace(/[/]/g, '_')}.txt`);
  });


  // calico-ipam's blocks (`calicoctl ipam show --show-blocks`), the same from every node.
  it.runIf(built.spec.cluster.cni.type === 'calico')('show ipam', async () => {
    const run = await cli(['show', built.spec.nodes[0]!.name, 'ipam', '-f', `scenarios/${file}`]);
    expect(run.code, run.stderr).toBe(0);
    await expect(run.stdout).toMatchFileSnapshot(`${name}/ipam.txt`);
  });

  // BGP speakers (Calico's BIRD, routers with `bgp:`): each one's `show NAME bgp`, and the timeline.
  it.each((built.bgp?.speakers ?? []).map((s) => s.name))('show %s bgp', async (speaker) => {
    const run = await cli(['show', speaker, 'bgp', '-f', `scenarios/${file}`]);
    expect(run.code, run.stderr).toBe(0);
    await expect(run.stdout).toMatchFileSnapshot(`${name}/show-${speaker}-bgp.txt`);
  });

  it.runIf(built.bgp !== undefined)('bgp timeline', async () => {
    const text = await cli(['bgp', 'timeline', '-f', `scenarios/${file}`]);
    expect(text.code, text.stderr).toBe(0);
    await expect(text.stdout).toMatchFileSnapshot(`${name}/bgp-timeline.txt`);
    const json = await cli(['bgp', 'timeline', '-o', 'json', '-f', `scenarios/${file}`]);
    await expect(json.stdout).toMatchFileSnapshot(`${name}/bgp-timeline.json`);
  });

  const routers = (built.spec.cluster.underlay?.routers ?? []).map((r) => r.name);
  it.each(routers)('router %s: netsim show', async (router) => {
    const r = await cli(['show', router, '-f', `scenarios/${file}`]);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`${name}/${router}.show`);
  });

  it.each([...flowsOf(file), ...nodeFlowsOf(file)])('trace %s → %s', async (src, dst) => {
    const slug = `${src}--${dst}`.replace(/[/]/g, '_');
    const args = ['trace', src, dst, '-f', `scenarios/${file}`];
    const text = await cli(args);
    expect(text.stderr.split('\n').filter((l) => l.includes('error['))).toEqual([]);
    expect(text.code).toBe(0);
    await expect(text.stdout).toMatchFileSnapshot(`${name}/trace-${slug}.txt`);
    const json = await cli([...args, '-o', 'json']);
    await expect(json.stdout).toMatchFileSnapshot(`${name}/trace-${slug}.json`);
    const doc = JSON.parse(json.stdout);
    expect(doc.schema).toBe('netsim.trace/v1');
    expect(typeof doc.disposition).toBe('string');
  });

  it.each(TAUGHT[file] ?? [])('trace %s → %s %s %s', async (...words) => {
    const slug = words.join(' ').replace(/[^\w.-]+/g, '_');
    const text = await cli(['trace', ...words, '-f', `scenarios/${file}`]);
    expect(text.code, text.stderr).toBe(0);
    await expect(text.stdout).toMatchFileSnapshot(`${name}/trace-${slug}.txt`);
  });
});
