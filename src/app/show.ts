/** `netsim show NAME [SECTION]` as a function: a node's or pod's namespace in the real tools' formats. */
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { SHOW_SECTIONS, type ShowSection, renderSections } from '../render/netns-state.js';

export { SHOW_SECTIONS, type ShowSection };

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

/** `ip addr`, `ip route show table all`, … of one namespace, or a problem when no such node, pod or router exists. */
export function showText(built: BuiltCluster, name: string, what: ShowSection | 'all'): { readonly text: string } | { readonly problem: string } {
  const nsName = showTarget(built, name);
  const ns = nsName === undefined ? undefined : built.world.netns[nsName];
  if (ns === undefined) return { problem: `no node, pod or router called ${name}` };
  return { text: renderSections(built.world, ns, what === 'all' ? SHOW_SECTIONS : [what]) };
}
