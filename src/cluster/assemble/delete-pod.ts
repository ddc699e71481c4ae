/**
 * `kubectl delete pod NS/NAME` as the node and the control plane carry it out, in a world a
 * session may change (an overlay of the built one, kernel/overlay.ts):
 *
 * 1. kubelet tears the sandbox down: the pod's network namespace goes, and with it the veth
 *    pair; on the node the host end's routes (Calico's `IP/32 dev caliXXX`), addresses,
 *    neighbour entries and bridge FDB entries go with the device (`ip netns del`);
 * 2. the EndpointSlice controller drops the pod from its Services' slices;
 * 3. kube-proxy on every node syncs: the Service chains lose the endpoint, its `KUBE-SEP-…`
 *    chain is deleted (nftables mode: the table is rewritten), and CleanStaleEntries deletes the
 *    UDP conntrack entries that DNAT to it (conntrack-cleanup.ts).
 *
 * What stays is what stays in Linux: TCP conntrack entries DNATed to the old address, other
 * nodes' neighbour entries for it, `-m recent` and nft affinity entries of clients. Not
 * modelled: host-local's release of the address in /var/lib/cni (the session starts no new pod).
 */
import { type Family, formatIp } from '../../addr/ip.js';
import type { ConntrackEntry } from '../../kernel/netfilter/index.js';
import { delNetns, putNetns } from '../../kernel/world.js';
import type { World } from '../../kernel/world.js';
import { clusterFamilies } from '../families.js';
import { reconcileEndpointSlices } from '../controllers/endpoint-slice.js';
import type { BuiltCluster } from './cluster.js';
import { cleanStaleEntries } from './conntrack-cleanup.js';
import type { BuiltPod } from './pods.js';
import { kubeProxyView, syncKubeProxy } from './proxy.js';

/** What deleting a pod changed, for a session to report. */
export interface PodDeletion {
  /** The cluster after the deletion, whose world is the session's world. */
  readonly built: BuiltCluster;
  readonly pod: BuiltPod;
  /** `namespace/name` of each Service whose endpoints lost the pod. */
  readonly services: readonly string[];
  /** The UDP entries kube-proxy deleted, per node. */
  readonly conntrack: readonly { readonly node: string; readonly entries: readonly ConntrackEntry[] }[];
}

/** The pod `[NS/]NAME` names: `ns/name`, else `name` in default, else the only pod called `name`. */
export function findPod(built: BuiltCluster, name: string): BuiltPod | { problem: string } {
  const exact = built.pods.find((p) => `${p.pod.namespace}/${p.pod.name}` === name) ?? built.pods.find((p) => p.pod.name === name && p.pod.namespace === 'default');
  if (exact !== undefined) return exact;
  const named = built.pods.filter((p) => p.pod.name === name);
  if (named.length === 1 && named[0] !== undefined) return named[0];
  if (named.length > 1) return { problem: `pod ${name} is in several namespaces: ${named.map((p) => `${p.pod.namespace}/${p.pod.name}`).join(', ')}; write NS/NAME` };
  return { problem: `no pod called ${name}${built.pods.length > 0 ? ` (pods: ${built.pods.map((p) => `${p.pod.namespace}/${p.pod.name}`).slice(0, 8).join(', ')}${built.pods.length > 8 ? ', …' : ''})` : ''}` };
}

/** Deletes the pod in `world` (the session's), resyncs kube-proxy everywhere, and says what changed. */
export function deletePod(built: BuiltCluster, world: World, name: string): PodDeletion | { problem: string } {
  const pod = findPod(built, name);
  if ('problem' in pod) return pod;
  if (pod.pod.hostNetwork) return { problem: `pod ${pod.pod.namespace}/${pod.pod.name} uses the node's network namespace (hostNetwork): deleting it removes no network state netsim models` };
  const node = pod.pod.nodeName;
  // The node's namespace is reconfigured (links, routes): give the session a copy of its own (overlay.ts).
  const nodeNs = world.netns[node];
  if (nodeNs !== undefined) putNetns(world, node, structuredClone(nodeNs));
  if (world.netns[pod.netns] !== undefined) delNetns(world, pod.netns);
  const pods = built.pods.filter((p) => p !== pod);
  const spec = built.spec;
  const endpointSlices = reconcileEndpointSlices({ services: spec.services, pods: pods.map((p) => ({ pod: p.pod, ips: p.ips })), provided: spec.endpointSlices });
  const addrs = new Set(pod.ips.map(formatIp));
  const services = [...new Set(built.endpointSlices.filter((s) => s.endpoints.some((e) => e.addresses.some((a) => addrs.has(formatIp(a))))).map((s) => `${s.namespace}/${s.serviceName}`))];
  const families: Family[] = clusterFamilies(spec.cluster);
  const proxyPayloads: Record<string, string> = { ...built.proxyPayloads };
  const conntrack: { node: string; entries: ConntrackEntry[] }[] = [];
  for (const n of spec.nodes) {
    const entries: ConntrackEntry[] = [];
    for (const family of families) {
      const view = kubeProxyView(spec.services, endpointSlices, family);
      const r = syncKubeProxy(world, { cluster: spec.cluster, node: n, view, family, resync: true });
      if (family === families[0]) proxyPayloads[n.name] = r.payload;
      const nf = world.netns[n.name]?.netfilter;
      if (nf !== undefined) entries.push(...cleanStaleEntries(nf, family, view));
    }
    if (entries.length > 0) conntrack.push({ node: n.name, entries });
  }
  const { [pod.netns]: _gone, ...owners } = built.owners;
  return { built: { ...built, world, pods, endpointSlices, owners, proxyPayloads }, pod, services, conntrack };
}
