/**
 * The hints the EndpointSlice controller writes for `spec.trafficDistribution`
 * (pkg/controller/endpointslice/trafficdist, ReconcileHints): PreferClose and its newer name
 * PreferSameZone hint each ready endpoint with its own zone; PreferSameNode hints it with its
 * node too (and the zone, for kube-proxies that read only zones). Without a value every hint is
 * removed (the default heuristic). Endpoints that are not ready keep no hints; an endpoint
 * without a zone gets no zone hint, which makes kube-proxy ignore the hints of the whole
 * Service (topologyModeFromHints: every ready endpoint must carry them).
 *
 * Not modelled: `service.kubernetes.io/topology-mode: Auto` (the topology cache's allocation of
 * endpoints to zones in proportion to their nodes' allocatable CPU); netsim keeps no node CPU.
 */
import type { Endpoint } from '../endpointslice-objects.js';

/** The label whose value is a node's zone (v1.LabelTopologyZone), copied into `endpoints[].zone`. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The endpoint with the hints `trafficDistribution` asks for (none when absent or unknown). */
export function withTrafficHints(ep: Endpoint, trafficDistribution: string | undefined): Endpoint {
  const { hints: _stale, ...rest } = ep;
  if (!ep.conditions.ready) return rest;
  const zones = ep.zone === undefined ? [] : [ep.zone];
  switch (trafficDistribution) {
    case 'PreferClose':
    case 'PreferSameZone':
      return zones.length === 0 ? rest : { ...rest, hints: { forZones: zones, forNodes: [] } };
    case 'PreferSameNode': {
      const nodes = ep.nodeName === undefined ? [] : [ep.nodeName];
      return zones.length === 0 && nodes.length === 0 ? rest : { ...rest, hints: { forZones: zones, forNodes: nodes } };
    }
    default:
      return rest;
  }
}

/** Each node's zone label by node name (nodes without one are left out). */
export function nodeZones(nodes: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of nodes) {
    const zone = n.labels[ZONE_LABEL];
    if (zone !== undefined && zone !== '') out.set(n.name, zone);
  }
  return out;
}
