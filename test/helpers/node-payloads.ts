/**
 * Every node's kube-proxy payload parts of a random cluster, per family, beside the shared
 * fragments of its settings (proxy/iptables/shared-payload.ts): what the property tests of a
 * node's own ports (cluster/assemble/proxy-own-ports, proxy-parts) walk.
 */
import { kubeProxyView, proxierConfig } from '../../src/cluster/assemble/proxy.js';
import { type PayloadMemo, type PayloadParts, type PortFragment, buildPayloadParts, createPayloadMemo, sharedFragments } from '../../src/proxy/index.js';
import { type ClusterCase, build, scenario } from './random-cluster.js';

/** One node's sync of one family. */
export interface NodePayload {
  readonly family: 4 | 6;
  readonly node: string;
  readonly memo: PayloadMemo;
  readonly parts: PayloadParts;
  readonly shared: readonly PortFragment[];
}

/** Calls `fn` for each node and family of the cluster (built lazily). */
export function eachNodePayload(c: ClusterCase, fn: (p: NodePayload) => void): void {
  const built = build(scenario(c), false);
  for (const family of c.dual ? ([4, 6] as const) : ([4] as const)) {
    const view = kubeProxyView(built.spec.services, built.endpointSlices, family);
    const memo = createPayloadMemo(family, view.servicePorts, view.endpoints);
    for (const node of built.spec.nodes) {
      const config = proxierConfig(built.spec.cluster, node, family);
      fn({ family, node: node.name, memo, parts: buildPayloadParts(config, memo), shared: sharedFragments(config, memo).fragments });
    }
  }
}
