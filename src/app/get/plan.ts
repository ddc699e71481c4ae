/**
 * `get` without building the cluster, where nothing `get` prints depends on the build: with
 * host-local IPAM (bridge, flannel) every pod's address is the one the loader planned
 * (cluster/allocate/pod-ips.ts; the build asks host-local for exactly that address), and the
 * EndpointSlice controller runs over those addresses as the build runs it. With calico the
 * addresses are calico-ipam's to pick at build time, so the cluster is built. The two give the
 * same listing (test/cli/get-plan.test.ts checks every example scenario); the plan takes
 * far less on scenarios/large.yaml than the build.
 */
import { assignPodIps, plansPodIps } from '../../cluster/allocate/index.js';
import { nodeZones, reconcileEndpointSlices } from '../../cluster/controllers/index.js';
import { type ClusterSpec, objectKey } from '../../cluster/objects.js';
import type { GetView } from './objects.js';

/** The view of `spec` from its address plan, or undefined when only a build can tell (calico). */
export function getView(spec: ClusterSpec): GetView | undefined {
  if (!plansPodIps(spec.cluster.cni)) return undefined;
  const plan = assignPodIps(spec.nodes, spec.pods, spec.cluster.cni);
  const pods = spec.pods.map((pod) => ({ pod, ips: plan.ips.get(objectKey(pod)) ?? [] }));
  const endpointSlices = reconcileEndpointSlices({ services: spec.services, pods, provided: spec.endpointSlices, zones: nodeZones(spec.nodes) });
  return { spec, pods, failedPods: [], endpointSlices };
}
