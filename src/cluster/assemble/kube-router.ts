/**
 * kube-router's network policy controller on a flannel or bridge cluster
 * (`spec.networkPolicy.enforcer: kube-router`), as k3s runs it: on every node, after kube-proxy
 * and the pods, one full sync per family writes its chains and ipsets (loadKubeRouter). The
 * sync version hashed into chain names is the simulated time in nanoseconds.
 */
import { InternalError } from '../../diag/diagnostic.js';
import type { Family } from '../../addr/ip.js';
import type { World } from '../../kernel/world.js';
import { DEFAULT_NODE_PORT_RANGE, type KrPod, type KubeRouterSync, loadKubeRouter } from '../../policy/kube-router/index.js';
import type { SimContext } from '../../sim/context.js';
import type { ClusterSpec } from '../objects.js';
import type { BuiltPod } from './pods.js';

/** True when the cluster's NetworkPolicies are kube-router's to enforce. */
export function kubeRouterEnforces(spec: Pick<ClusterSpec, 'cluster'>): boolean {
  const cni = spec.cluster.cni.type;
  return (cni === 'flannel' || cni === 'bridge') && spec.cluster.networkPolicy.enforcer === 'kube-router';
}

/** Every pod with a sandbox as kube-router's pod lister sees it. */
export function kubeRouterPods(pods: readonly BuiltPod[]): KrPod[] {
  return pods.map((b) => ({ ...b.pod, ips: b.ips }));
}

/** One sync on every node and family; returns each node's syncs by node name. */
export function runKubeRouter(world: World, spec: ClusterSpec, pods: readonly BuiltPod[], opts: { readonly families: readonly Family[]; readonly ctx: SimContext }): Record<string, KubeRouterSync[]> {
  const out: Record<string, KubeRouterSync[]> = {};
  const krPods = kubeRouterPods(pods);
  const syncVersion = String(Math.round(opts.ctx.now() * 1e9));
  for (const node of spec.nodes) {
    if (world.netns[node.name] === undefined) continue;
    out[node.name] = opts.families.map((family) => {
      const sync = loadKubeRouter(world, node.name, {
        nodeName: node.name, family, pods: krPods, namespaces: spec.namespaces, policies: spec.networkPolicies,
        serviceClusterIPRanges: [spec.cluster.serviceCIDR], nodePortRange: DEFAULT_NODE_PORT_RANGE, syncVersion,
      });
      // kube-router's rules come from netsim itself: a payload the kernel model refuses is a netsim bug.
      const errors = sync.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) throw new InternalError(`kube-router's rules on ${node.name} do not load: ${errors.map((d) => d.message).join('; ')}`);
      return sync;
    });
  }
  return out;
}
