/**
 * Builders for Calico tests: a stand-in `calico-ipam` plugin (the real one is another module's)
 * that hands out /32 (and /128) addresses from fixed per-node lists, and a registry with it.
 */
import { warning } from '../../src/diag/diagnostic.js';
import { calicoBgpSpeakers } from '../../src/cluster/assemble/calico-confd.js';
import { runClusterBgp } from '../../src/cluster/assemble/bgp-run.js';
import { cidr } from '../../src/addr/cidr.js';
import { ip } from '../../src/addr/ip.js';
import { type CalicoRoutesOutcome, programCalicoRoutes } from '../../src/cluster/assemble/calico-routes.js';
import { startCalicoNode } from '../../src/cluster/assemble/calico.js';
import { buildNode } from '../../src/cluster/assemble/nodes.js';
import { calicoNetConf } from '../../src/cluster/assemble/pods.js';
import { buildUnderlay, nodeAttachment } from '../../src/cluster/assemble/underlay.js';
import type { CalicoCniConfig, CalicoEncapMode, CalicoIPPool, ClusterConfig, Node } from '../../src/cluster/objects.js';
import type { CalicoIpamView } from '../../src/cni/calico/ipam/view.js';
import { calicoPlugin } from '../../src/cni/calico/plugin.js';
import { BUILTIN_CNI_PLUGINS } from '../../src/cni/builtins.js';
import { setLinkUp } from '../../src/kernel/link/link.js';
import { type World, addNetns, createWorld } from '../../src/kernel/world.js';
import { loadScenario } from '../../src/scenario/index.js';
import { ok, pluginError } from '../../src/cni/outcome.js';
import { type CniRegistry, cniHost, createCniRegistry } from '../../src/cni/registry.js';
import type { CniHost, CniOutcome, CniPlugin, CniResult, NetConf, RuntimeConf } from '../../src/cni/types.js';

/** Addresses the fake IPAM hands out on each node (by `host.hostNs`), in order, each used once. */
export type FakeIpamPlan = Readonly<Record<string, readonly (readonly string[])[]>>;

/**
 * A `calico-ipam` that gives the next planned address set of the node (e.g. `['10.244.120.65/32',
 * 'fd00::41/128']`), records it under `fake-ipam/<containerID>` in the node's store, and releases
 * it on DEL. An exhausted plan is calico-ipam-like error.
 */
export function fakeCalicoIpam(plan: FakeIpamPlan): CniPlugin {
  const used = new Map<string, number>();
  return {
    type: 'calico-ipam',
    add(conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<CniResult> {
      const n = used.get(host.hostNs) ?? 0;
      const ips = plan[host.hostNs]?.[n];
      if (ips === undefined) return pluginError('failed to request IPv4 addresses: no more free affine blocks and strict affinity enabled');
      used.set(host.hostNs, n + 1);
      host.store[`fake-ipam/${rt.containerId}`] = ips.join(',');
      return ok({ cniVersion: conf.cniVersion, interfaces: [], ips: ips.map((address) => ({ address })), routes: [], dns: {} });
    },
    del(_conf: NetConf, rt: RuntimeConf, host: CniHost): CniOutcome<void> {
      delete host.store[`fake-ipam/${rt.containerId}`];
      return ok(undefined);
    },
    check: () => ok(undefined),
  };
}

/** The built-in plugins with the fake calico-ipam in place of any real one. */
export function calicoRegistry(plan: FakeIpamPlan): CniRegistry {
  return createCniRegistry([...BUILTIN_CNI_PLUGINS.filter((p) => p.type !== 'calico-ipam'), fakeCalicoIpam(plan)]);
}

/** A three-node Calico cluster on two racks, built step by step as calico-node and the plugin leave it. */
export interface CalicoTestCluster {
  readonly world: World;
  readonly cluster: ClusterConfig;
  readonly cfg: CalicoCniConfig;
  readonly nodes: readonly Node[];
  readonly view: CalicoIpamView;
  readonly stores: Record<string, Record<string, string>>;
  readonly routes: CalicoRoutesOutcome & { readonly bgp: readonly { readonly speaker: string; readonly text: string }[] };
  /** Pod namespace → its address. */
  readonly pods: Readonly<Record<string, string>>;
}

const TWO_RACKS = `apiVersion: netsim.dev/v1alpha1
kind: Cluster
spec:
  clusterCIDR: 10.244.0.0/16
  underlay:
    networks:
      - {name: rack-1, cidr: 192.168.1.0/24}
      - {name: rack-2, cidr: 192.168.2.0/24}
    routers:
      - {name: tor, networks: [rack-1, rack-2]}
  cni: {type: bridge}
  nodes:
    - {name: node-1, network: rack-1}
    - {name: node-2, network: rack-1}
    - {name: node-3, network: rack-2}
`;

/**
 * The blocks calico-ipam would have given: one /26 per node, the tunnel address first, then
 * pods (`a` on node-1, `b` on node-2, `c` on node-3, and `d` on node-3 borrowing
 * 10.244.120.70 from node-1's block).
 */
const BLOCKS: readonly { node: string; cidr: string; tunnel: string; pods: readonly (readonly [string, string, string])[] }[] = [
  { node: 'node-1', cidr: '10.244.120.64/26', tunnel: '10.244.120.64', pods: [['a', 'node-1', '10.244.120.65'], ['d', 'node-3', '10.244.120.70']] },
  { node: 'node-2', cidr: '10.244.33.128/26', tunnel: '10.244.33.128', pods: [['b', 'node-2', '10.244.33.129']] },
  { node: 'node-3', cidr: '10.244.7.0/26', tunnel: '10.244.7.0', pods: [['c', 'node-3', '10.244.7.1']] },
];

/** Builds the cluster with one pool of the given modes. */
export function calicoTestCluster(modes: { ipipMode: CalicoEncapMode; vxlanMode: CalicoEncapMode }, beforeBgp?: (world: World) => void): CalicoTestCluster {
  const spec = loadScenario([{ path: 's.yaml', text: TWO_RACKS }]).value;
  if (spec === undefined || spec.cluster.underlay === undefined) throw new Error('test scenario does not load');
  const world = createWorld();
  buildUnderlay(world, spec.cluster.underlay);
  for (const n of spec.nodes) {
    const at = nodeAttachment(spec.cluster, n);
    if (at !== undefined) buildNode(world, n, at);
  }
  const pool: CalicoIPPool = { name: 'default-ipv4-ippool', cidr: cidr('10.244.0.0/16'), blockSize: 26, ...modes, natOutgoing: true, nodeSelector: 'all()', disabled: false };
  const cfg: CalicoCniConfig = { type: 'calico', mtu: 'auto', ipPools: [pool], ipam: { strictAffinity: false, maxBlocksPerHost: 0 }, felix: {} };
  const cluster: ClusterConfig = { ...spec.cluster, cni: cfg };
  const stores: Record<string, Record<string, string>> = {};
  const plan: Record<string, string[][]> = {};
  for (const b of BLOCKS) for (const [, on, addr] of b.pods) (plan[on] ??= []).push([`${addr}/32`]);
  const registry = calicoRegistry(plan);
  for (const node of spec.nodes) {
    const tunnel = ip(BLOCKS.find((b) => b.node === node.name)?.tunnel ?? '0.0.0.0');
    const store = (stores[node.name] ??= {});
    startCalicoNode(world, { cluster, cfg, node, store, ...(modes.ipipMode !== 'Never' ? { tunnelAddr: tunnel } : {}), ...(modes.vxlanMode !== 'Never' ? { vxlanTunnelAddr: tunnel } : {}) });
  }
  const pods: Record<string, string> = {};
  for (const node of spec.nodes) {
    for (const [pod, on, addr] of BLOCKS.flatMap((b) => b.pods)) {
      if (on !== node.name) continue;
      const netns = `pod-${pod}`;
      addNetns(world, netns);
      setLinkUp(world, netns, 'lo');
      const host = cniHost({ world, hostNs: node.name, registry, store: stores[node.name] ?? {} });
      const r = calicoPlugin.add(calicoNetConf('auto'), { containerId: `cid-${pod}`, netns, ifName: 'eth0', args: { K8S_POD_NAMESPACE: 'default', K8S_POD_NAME: pod } }, host);
      if (!r.ok) throw new Error(`ADD ${pod}: ${r.error.msg}`);
      pods[netns] = addr;
    }
  }
  const view: CalicoIpamView = {
    blocks: BLOCKS.map((b) => ({
      cidr: cidr(b.cidr),
      pool: pool.name,
      node: b.node,
      allocations: [
        { ip: ip(b.tunnel), node: b.node, handle: `ipip-tunnel-addr-${b.node}` },
        ...b.pods.map(([pod, on, addr]) => ({ ip: ip(addr), node: on, handle: `k8s-pod-network.cid-${pod}`, pod: `default/${pod}` })),
      ],
    })),
  };
  beforeBgp?.(world);
  // BIRD (the mesh, run to convergence) then Felix, as finishCalico does.
  const speakers = calicoBgpSpeakers({ cluster, cfg, nodes: spec.nodes, view });
  const bgp = runClusterBgp(world, speakers);
  const felix = programCalicoRoutes(world, { cluster, cfg, nodes: spec.nodes, view });
  const routes = {
    diagnostics: [...felix.diagnostics, ...bgp.kernelProblems.map((p) => warning('CALICO_ROUTE_REFUSED', `BIRD on ${p.speaker}: ${p.text}`))],
    refused: felix.refused,
    bgp: bgp.kernelProblems,
  };
  return { world, cluster, cfg, nodes: spec.nodes, view, stores, routes, pods };
}
