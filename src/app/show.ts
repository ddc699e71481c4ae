/** `netsim show NAME [SECTION]` as a function: a node's or pod's namespace in the real tools' formats. */
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { ipamShowText } from '../cni/calico/ipam/index.js';
import { FLANNEL_DATA_DIR } from '../cni/flannel/plugin.js';
import { SUBNET_ENV_PATH } from '../cni/flannel/subnet-env.js';
import { renderFlannel } from '../render/flannel.js';
import { showBgp } from './bgp.js';
import { resolvText } from './trace-dns.js';
import { SHOW_SECTIONS, type ShowSection, allSections, renderSections } from '../render/netns-state.js';
import { isJsonSection, noJsonForm, renderSectionJson } from '../render/netns-json.js';

export { SHOW_SECTIONS, type ShowSection };

/**
 * What `show` may be asked for: a namespace section, `flannel` (flannel nodes only), `ipam`
 * (calico clusters: `calicoctl ipam show --show-blocks`, the same from every node), `bgp`
 * (BGP speakers: `calicoctl node status`, `birdcl show protocols`, `show route`), `resolv`
 * (a pod's /etc/resolv.conf as kubelet writes it) or `all`
 * (the namespace sections; `bgp` is asked for by name).
 */
export const SHOW_CHOICES = [...SHOW_SECTIONS, 'flannel', 'ipam', 'bgp', 'resolv', 'all'] as const;

/** One choice. */
export type ShowChoice = (typeof SHOW_CHOICES)[number];

/**
 * The namespace a name stands for: a node or an underlay router by name, else a pod as
 * `namespace/name`, then a pod called `name` in `default`, then in any namespace.
 */
export function showTarget(built: BuiltCluster, name: string): string | undefined {
  if (built.world.netns[name] !== undefined && built.spec.nodes.some((n) => n.name === name)) return name;
  if (built.world.netns[name] !== undefined && built.owners[name]?.kind === 'router') return name;
  const pod =
    built.pods.find((p) => `${p.pod.namespace}/${p.pod.name}` === name) ??
    built.pods.find((p) => p.pod.name === name && p.pod.namespace === 'default') ??
    built.pods.find((p) => p.pod.name === name);
  return pod?.netns;
}

/** The flannel section of a node of a flannel cluster; undefined elsewhere. */
function flannelText(built: BuiltCluster, nsName: string): string | undefined {
  const ns = built.world.netns[nsName];
  const isNode = built.spec.nodes.some((n) => n.name === nsName);
  if (ns === undefined || !isNode || built.spec.cluster.cni.type !== 'flannel') return undefined;
  return renderFlannel(built.world, ns, built.cniStores[nsName] ?? {}, { subnetEnv: SUBNET_ENV_PATH, dataDir: FLANNEL_DATA_DIR });
}

/** `ip addr`, `ip route show table all`, … of one namespace (conntrack lifetimes counted from `now`), or a problem when no such node, pod or router exists. */
export function showText(built: BuiltCluster, name: string, what: ShowChoice, now = 0): { readonly text: string } | { readonly problem: string } {
  if (what === 'bgp') return showBgp(built, name);
  if (what === 'resolv') return resolvText(built, name);
  const nsName = showTarget(built, name);
  const ns = nsName === undefined ? undefined : built.world.netns[nsName];
  if (ns === undefined || nsName === undefined) return { problem: `no node, pod or router called ${name}` };
  const flannel = flannelText(built, nsName);
  if (what === 'flannel' && flannel === undefined) {
    const cni = built.spec.cluster.cni.type;
    return { problem: cni === 'flannel' ? `${name} is a pod: flannel's files are on the nodes (netsim show NODE flannel)` : `the cluster's CNI plugin is ${cni}, not flannel` };
  }
  if (what === 'flannel') return { text: flannel ?? '' };
  if (what === 'ipam') {
    if (built.spec.cluster.cni.type !== 'calico') return { problem: `the cluster's CNI plugin is ${built.spec.cluster.cni.type}: ipam shows calico-ipam's blocks` };
    return { text: ipamShowText(built.api, { showBlocks: true }) };
  }
  const text = renderSections(built.world, ns, what === 'all' ? allSections(ns) : [what], now);
  // `all` adds flannel's files on flannel nodes only, so other scenarios print as before.
  return { text: what === 'all' && flannel !== undefined ? `${text}\n${flannel}` : text };
}

/** `netsim show NAME SECTION -o json`: the section as `ip -j` prints it (addr, route, rule, neigh). */
export function showJson(built: BuiltCluster, name: string, what: ShowChoice): { readonly text: string } | { readonly problem: string } {
  if (!isJsonSection(what)) return { problem: noJsonForm(what) };
  const nsName = showTarget(built, name);
  const ns = nsName === undefined ? undefined : built.world.netns[nsName];
  if (ns === undefined) return { problem: `no node, pod or router called ${name}` };
  return { text: renderSectionJson(built.world, ns, what) };
}
