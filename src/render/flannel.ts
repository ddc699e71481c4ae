/**
 * `netsim show NODE flannel`: what flannel left on a node, as one would `cat` and `ip` it:
 * flanneld's `/run/flannel/subnet.env`, the delegate config the flannel CNI plugin saved for each
 * pod (`/var/lib/cni/flannel/<container ID>`, Go's `json.Marshal`, so one line with sorted
 * keys), and the VXLAN device as `ip -d link show flannel.1` prints it.
 */
import { renderVxlanDetails } from '../kernel/index.js';
import type { Netns } from '../kernel/netns.js';
import type { World } from '../kernel/world.js';

/** The files a node's flannel keeps, by path (the node's CNI store). */
export type FlannelFiles = Readonly<Record<string, string>>;

/** The section's text; `subnetEnv` and `dataDir` are the paths the plugin uses. */
export function renderFlannel(world: World, ns: Netns, files: FlannelFiles, paths: { subnetEnv: string; dataDir: string }): string {
  const out: string[] = [];
  const env = files[paths.subnetEnv];
  if (env !== undefined) out.push(`# cat ${paths.subnetEnv}\n${env}`);
  for (const path of Object.keys(files).filter((p) => p.startsWith(`${paths.dataDir}/`)).sort()) {
    out.push(`# cat ${path}\n${files[path] ?? ''}\n`);
  }
  for (const link of Object.values(ns.links).filter((l) => l.kind === 'vxlan')) {
    out.push(`# ip -d link show ${link.name}\n${renderVxlanDetails(world.netns, ns, link.name)}`);
  }
  return out.join('\n');
}
