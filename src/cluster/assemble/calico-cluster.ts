/**
 * A Calico cluster coming up, as calico.yaml's pieces do it on a real cluster:
 *
 * 1. the datastore holds the IPPools, the IPAMConfig and the nodes' labels (what the scenario
 *    declares, or calico-node's default pool);
 * 2. calico-node starts on each node, in node order: it claims its tunnel address from calico-ipam
 *    (`ipip-tunnel-addr-<node>`, `vxlan-tunnel-addr-<node>`: the first address of the node's
 *    first block), writes /var/lib/calico/{nodename,mtu} and creates tunl0 / vxlan.calico;
 * 3. kubelet runs the `calico` CNI plugin for each pod (calico-ipam picks the addresses; see
 *    `addPod`), which the caller does between {@link startCalico} and {@link finishCalico};
 * 4. BIRD and Felix program the routes to every block, as a converged node-to-node mesh would
 *    (`programCalicoRoutes`), and Felix writes its ipsets and iptables (`loadFelix`), per family.
 *
 * Problems are warnings: a tunnel address calico-ipam cannot give (calico-node logs it and the
 * node has no tunnel address), a route the kernel refuses.
 */
import type { Family, Ip } from '../../addr/ip.js';
import { type Diagnostic, InternalError, warning } from '../../diag/diagnostic.js';
import { allocateTunnelAddress, readIpamView, seedCalicoApi } from '../../cni/calico/ipam/index.js';
import { type FelixInput, type FelixWorkload, loadFelix } from '../../cni/calico/felix/index.js';
import { vethNameForWorkload } from '../../cni/calico/names.js';
import type { ClusterApi } from '../../cni/types.js';
import type { World } from '../../kernel/world.js';
import type { AdminNetworkPolicy, BaselineAdminNetworkPolicy, CalicoCniConfig, ClusterConfig, Namespace, NetworkPolicy, Node } from '../objects.js';
import { calicoPolicyInput } from '../calico-admin-netpol.js';
import { namespaceLabels } from '../../policy/index.js';
import { calicoEncaps, startCalicoNode } from './calico.js';
import { programCalicoRoutes } from './calico-routes.js';
import { calicoBgpSpeakers } from './calico-confd.js';
import { type ClusterBgpRun, runClusterBgp } from './bgp-run.js';
import type { FailureRequest, Moment } from './failures.js';
import type { BgpSpeakerConfig } from '../../bgp/types.js';
import type { CalicoIpamView } from '../../cni/calico/ipam/view.js';
import type { BuiltPod } from './pods.js';
import type { RefusedRoute } from './routes.js';

/** What {@link startCalico} and {@link finishCalico} need. */
export interface CalicoClusterInput {
  readonly cluster: ClusterConfig;
  readonly cfg: CalicoCniConfig;
  readonly nodes: readonly Node[];
  readonly api: ClusterApi;
  /** Each node's plugin store (its /var/lib/calico files), by node name; filled in here. */
  readonly stores: Record<string, Record<string, string>>;
  /** The namespaces (their labels reach Felix through the `kns.` profiles). */
  readonly namespaces?: readonly Namespace[];
  /** The NetworkPolicies, which calico-kube-controllers converts for Felix (calico-netpol.ts). */
  readonly networkPolicies?: readonly NetworkPolicy[];
  /** The AdminNetworkPolicies and the BaselineAdminNetworkPolicy (calico-admin-netpol.ts). */
  readonly adminNetworkPolicies?: readonly AdminNetworkPolicy[];
  readonly baselineAdminNetworkPolicy?: BaselineAdminNetworkPolicy;
}

/** The datastore seeded, then calico-node on every node (steps 1 and 2). */
export function startCalico(world: World, input: CalicoClusterInput): Diagnostic[] {
  const { cfg, api } = input;
  const diagnostics: Diagnostic[] = [];
  seedCalicoApi(api, cfg, input.nodes.map((n) => ({ name: n.name, labels: n.labels })));
  const encaps = calicoEncaps(cfg);
  for (const node of input.nodes) {
    if (world.netns[node.name] === undefined) continue; // the loader already reported its network
    const tunnel = (family: Family, kind: 'ipip' | 'vxlan'): Ip | undefined => {
      const r = allocateTunnelAddress(api, node.name, family, kind);
      if (r.ok) return r.ip;
      diagnostics.push(warning('CALICO_TUNNEL_ADDRESS', `calico-node on ${node.name}: no ${kind === 'ipip' ? 'IPIP' : 'VXLAN'} tunnel address: ${r.message}`, node.pos));
      return undefined;
    };
    const tunnelAddr = encaps.ipip ? tunnel(4, 'ipip') : undefined;
    const vxlanTunnelAddr = encaps.vxlan ? tunnel(4, 'vxlan') : undefined;
    const tunnelAddrV6 = encaps.vxlanV6 ? tunnel(6, 'vxlan') : undefined;
    startCalicoNode(world, {
      cluster: input.cluster,
      cfg,
      node,
      store: (input.stores[node.name] ??= {}),
      ...(tunnelAddr !== undefined ? { tunnelAddr } : {}),
      ...(vxlanTunnelAddr !== undefined ? { vxlanTunnelAddr } : {}),
      ...(tunnelAddrV6 !== undefined ? { tunnelAddrV6 } : {}),
    });
  }
  return diagnostics;
}

/** What finishing gives back: warnings, routes the kernel refused, and BGP's run (backend bird). */
export interface CalicoFinish {
  readonly diagnostics: Diagnostic[];
  readonly refused: RefusedRoute[];
  readonly bgp: (ClusterBgpRun & { readonly speakers: readonly BgpSpeakerConfig[] }) | undefined;
}

/** BIRD's routes (BGP run to convergence, or to the moment after failures) and Felix's, then Felix's ipsets and iptables on every node (step 4). */
export function finishCalico(world: World, input: CalicoClusterInput & { readonly pods: readonly BuiltPod[]; readonly failures?: readonly FailureRequest[]; readonly moment?: Moment }): CalicoFinish {
  const { cfg, nodes } = input;
  const view = readIpamView(input.api);
  const bgp = (cfg.backend ?? 'bird') === 'bird' ? runBird(world, input, view) : undefined;
  const routes = programCalicoRoutes(world, { cluster: input.cluster, cfg, nodes, view });
  const diagnostics: Diagnostic[] = [...routes.diagnostics];
  for (const p of bgp?.kernelProblems ?? []) diagnostics.push(warning('CALICO_ROUTE_REFUSED', `BIRD on ${p.speaker}: ${p.text}`, nodes.find((n) => n.name === p.speaker)?.pos));
  const families = [...new Set(cfg.ipPools.map((p) => p.cidr.addr.family))];
  for (const node of nodes) {
    if (world.netns[node.name] === undefined) continue;
    for (const family of families) {
      const problems = loadFelix(world, node.name, felixInputFor(world, input, node, family));
      // Felix's rules come from netsim itself: one the kernel model refuses is a netsim bug.
      if (problems.length > 0) throw new InternalError(`Felix's rules on ${node.name} do not load: ${problems.map((d) => d.message).join('; ')}`);
    }
  }
  return { diagnostics, refused: routes.refused, bgp };
}

/** confd renders each speaker's configuration, BIRD runs (bgp-run.ts). */
function runBird(world: World, input: CalicoClusterInput & { readonly pods: readonly BuiltPod[]; readonly failures?: readonly FailureRequest[]; readonly moment?: Moment }, view: CalicoIpamView): CalicoFinish['bgp'] {
  const speakers = calicoBgpSpeakers({ cluster: input.cluster, cfg: input.cfg, nodes: input.nodes, view });
  return { speakers, ...runClusterBgp(world, speakers, input.failures, input.moment) };
}

/** What Felix on `node` knows for one family: every host, the pools, its local workloads, its tunnels. */
function felixInputFor(world: World, input: CalicoClusterInput & { readonly pods: readonly BuiltPod[] }, node: Node, family: 4 | 6): FelixInput {
  const { cfg, nodes } = input;
  const encaps = calicoEncaps(cfg);
  const hostIPs = nodes.flatMap((n) => n.internalIPs.filter((a) => a.family === family).slice(0, 1));
  const vxlanOn = family === 4 ? encaps.vxlan : encaps.vxlanV6;
  const pools = cfg.ipPools.filter((p) => p.cidr.addr.family === family);
  const allWorkloads = workloadsOf(input, family);
  const localWorkloads = allWorkloads.filter((w) => w.node === node.name).map((w) => w.workload);
  const policies = calicoPolicyInput(input);
  const tunnelOf = (dev: string): Ip | undefined => world.netns[node.name]?.addrs.find((a) => a.dev === dev && a.cidr.addr.family === family)?.cidr.addr;
  const ipipTunnelAddress = family === 4 && encaps.ipip ? tunnelOf('tunl0') : undefined;
  const vxlanTunnelAddress = vxlanOn ? tunnelOf(family === 4 ? 'vxlan.calico' : 'vxlan-v6.calico') : undefined;
  return {
    nodeName: node.name,
    family,
    hostIPs,
    vxlanHostIPs: vxlanOn ? hostIPs : [],
    pools: pools.map((p) => ({ cidr: p.cidr, natOutgoing: p.natOutgoing, disabled: p.disabled, ipipMode: p.ipipMode, vxlanMode: p.vxlanMode })),
    ...(cfg.felix.natOutgoingAddress !== undefined && cfg.felix.natOutgoingAddress.family === family ? { natOutgoingAddress: cfg.felix.natOutgoingAddress } : {}),
    localWorkloads,
    ...(policies !== undefined ? { ...policies, allWorkloads: allWorkloads.map((w) => w.workload) } : {}),
    ipipEnabled: family === 4 && encaps.ipip,
    vxlanEnabled: vxlanOn,
    ...(ipipTunnelAddress !== undefined ? { ipipTunnelAddress } : {}),
    ...(vxlanTunnelAddress !== undefined ? { vxlanTunnelAddress } : {}),
  };
}

/**
 * The workload endpoints of the cluster (every pod with its own network namespace), as Felix
 * sees them: interface, addresses of `family`, labels, its namespace's labels, named ports.
 * Calico's and canal's Felix (canal.ts) alike.
 */
export function workloadsOf(input: { readonly pods: readonly BuiltPod[]; readonly namespaces?: readonly Namespace[] }, family: 4 | 6): Array<{ node: string; workload: FelixWorkload }> {
  return input.pods
    .filter((p) => !p.pod.hostNetwork)
    .map((p) => {
      // As the evaluator reads them: declared, or the one label the API server always sets.
      const nsLabels = namespaceLabels({ namespaces: input.namespaces ?? [], policies: [] }, p.pod.namespace);
      const ports = p.pod.containers.flatMap((c) => c.ports.flatMap((cp) => (cp.name === undefined ? [] : [{ name: cp.name, protocol: cp.protocol, port: cp.containerPort }])));
      const workload: FelixWorkload = {
        iface: vethNameForWorkload(p.pod.namespace, p.pod.name),
        ips: p.ips.filter((a) => a.family === family),
        namespace: p.pod.namespace,
        labels: p.pod.labels,
        namespaceLabels: nsLabels,
        ...(ports.length > 0 ? { ports } : {}),
      };
      return { node: p.pod.nodeName, workload };
    });
}
