/**
 * `discovery.k8s.io/v1` EndpointSlices as validated plain data: written in a scenario, made by
 * netsim's EndpointSlice controller, or implicit (the `kubernetes` Service's). Split from
 * objects.ts, which re-exports everything here.
 *
 * Layer `cluster`: imports `addr` only (and objects.ts's types).
 */
import type { Family, Ip } from '../addr/index.js';
import type { ObjectMeta, Protocol } from './objects.js';

/** `discovery.k8s.io/v1` address types netsim accepts. */
export type AddressType = 'IPv4' | 'IPv6';

/** Address type of an IP family. */
export function addressTypeOf(family: Family): AddressType {
  return family === 4 ? 'IPv4' : 'IPv6';
}

/** `endpoints[].conditions`. */
export interface EndpointConditions {
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

/** One endpoint of a slice. */
export interface Endpoint {
  readonly addresses: readonly Ip[];
  readonly conditions: EndpointConditions;
  readonly nodeName?: string;
  /** `endpoints[].zone`: the zone label (topology.kubernetes.io/zone) of the endpoint's node, as the controller copies it. */
  readonly zone?: string;
  /** The pod behind the endpoint, when a controller made it from a pod. */
  readonly targetRef?: { readonly kind: 'Pod'; readonly name: string; readonly namespace: string };
  /** `hints.forZones[].name` and `hints.forNodes[].name`: where kube-proxy may use the endpoint (topology-aware routing). */
  readonly hints?: { readonly forZones: readonly string[]; readonly forNodes: readonly string[] };
}

/** One port of a slice: the Service port's name and protocol, the resolved target port. */
export interface EndpointPort {
  readonly name: string;
  readonly protocol: Protocol;
  readonly port: number;
}

/** Who wrote a slice: the scenario file, netsim's controller, or netsim implicitly. */
export type SliceOrigin = 'scenario' | 'controller' | 'implicit';

/** A `discovery.k8s.io/v1` EndpointSlice. */
export interface EndpointSlice extends ObjectMeta {
  /** The `kubernetes.io/service-name` label. */
  readonly serviceName: string;
  readonly addressType: AddressType;
  readonly endpoints: readonly Endpoint[];
  readonly ports: readonly EndpointPort[];
  readonly origin: SliceOrigin;
}

/** The label linking an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** The label a slice's manager sets; the EndpointSlice controller's value. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';

/** `managed-by` value of slices made by Kubernetes' EndpointSlice controller (and netsim's). */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
