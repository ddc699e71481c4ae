/**
 * The EndpointSlice controller: Services and pods in, `discovery.k8s.io/v1` EndpointSlices
 * out, as kube-controller-manager's controller computes them
 * (kubernetes/pkg/controller/endpointslice, staging/…/endpointslice/reconciler.go):
 *
 * - A Service with a selector gets slices of the pods it selects in its namespace that have an
 *   address. Endpoint conditions: `serving` is the pod's Ready condition, `terminating` is a
 *   set deletionTimestamp, `ready` is serving and not terminating; `publishNotReadyAddresses`
 *   makes both ready and serving true.
 * - Ports are resolved per pod (named targetPorts can differ between pods); pods with the same
 *   address type and resolved ports share slices, at most 100 endpoints each. A Service
 *   selecting nothing gets one empty placeholder slice, as Kubernetes creates.
 * - A Service without a selector (and the implicit `kubernetes` Service) takes the slices the
 *   scenario provides with its `kubernetes.io/service-name` label. ExternalName Services get
 *   no slices from the controller.
 * - Provided slices labelled as made by the controller itself (kubectl output) are dropped
 *   for Services with a selector and recomputed: the controller owns them. Other provided
 *   slices are kept, because kube-proxy reads every slice of a Service.
 *
 * - Endpoints carry their node's zone, and the hints `trafficDistribution` asks for
 *   (traffic-dist.ts).
 *
 * Order is deterministic: Services in input order, pods in input order within a slice, slice
 * names `<service>-<5 characters>` derived from the slice's content key, not random.
 */
import { type Ip } from '../../addr/index.js';
import {
  CONTROLLER_NAME, type Endpoint, type EndpointPort, type EndpointSlice, MANAGED_BY_LABEL, type Pod, SERVICE_NAME_LABEL, type Service,
  addressTypeOf, objectKey,
} from '../objects.js';
import { endpointPortsFor, portsKey } from './ports.js';
import { labelIndex } from './selector.js';
import { withTrafficHints } from './traffic-dist.js';

/** A pod with the addresses the CNI plugin gave it. */
export interface PodAddresses {
  readonly pod: Pod;
  readonly ips: readonly Ip[];
}

/** What the controller reads. */
export interface EndpointSliceInput {
  readonly services: readonly Service[];
  readonly pods: readonly PodAddresses[];
  /** Slices from the scenario (including the implicit `kubernetes` one). */
  readonly provided: readonly EndpointSlice[];
  /** Each node's zone (its topology.kubernetes.io/zone label), by node name: copied into `endpoints[].zone`. */
  readonly zones?: ReadonlyMap<string, string>;
}

/** `maxEndpointsPerSlice`'s default in kube-controller-manager. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** Every Service's slices: generated for selector Services, provided for the others. */
export function reconcileEndpointSlices(input: EndpointSliceInput): EndpointSlice[] {
  const out: EndpointSlice[] = [];
  const owned = new Set<string>();
  const pods = labelIndex(input.pods, (p) => p.pod);
  const providedBy = new Map<string, EndpointSlice[]>();
  for (const s of input.provided) providedBy.set(`${s.namespace}/${s.serviceName}`, [...(providedBy.get(`${s.namespace}/${s.serviceName}`) ?? []), s]);
  for (const svc of input.services) {
    owned.add(objectKey(svc));
    const provided = providedBy.get(objectKey(svc)) ?? [];
    if (svc.type === 'ExternalName' || svc.selector === undefined) {
      out.push(...provided);
      continue;
    }
    out.push(...slicesForService(svc, pods.select(svc.namespace, svc.selector), input.zones ?? new Map()));
    out.push(...provided.filter((s) => s.labels[MANAGED_BY_LABEL] !== CONTROLLER_NAME));
  }
  // Slices naming no known Service stay visible (the loader reports them), after the rest.
  out.push(...input.provided.filter((s) => !owned.has(`${s.namespace}/${s.serviceName}`)));
  return out;
}

interface Group {
  readonly addressType: EndpointSlice['addressType'];
  readonly ports: readonly EndpointPort[];
  readonly endpoints: Endpoint[];
}

/** The slices of a selector Service, from the pods it selects (in pod order). */
function slicesForService(svc: Service, selected: readonly PodAddresses[], zones: ReadonlyMap<string, string>): EndpointSlice[] {
  const groups = new Map<string, Group>();
  for (const { pod, ips } of selected) {
    const ports = endpointPortsFor(pod, svc.ports);
    for (const ip of ips) {
      // A dual-stack pod is an endpoint only in the Service's families (one slice per address type).
      if (svc.ipFamilies !== undefined && !svc.ipFamilies.includes(ip.family)) continue;
      const addressType = addressTypeOf(ip.family);
      const key = `${addressType}|${portsKey(ports)}`;
      const group = groups.get(key) ?? { addressType, ports, endpoints: [] };
      groups.set(key, group);
      group.endpoints.push(withTrafficHints(endpointOf(svc, pod, ip, zones.get(pod.nodeName)), svc.trafficDistribution));
    }
  }
  if (groups.size === 0) {
    const family = svc.ipFamilies?.[0] ?? svc.clusterIPs[0]?.family ?? 4;
    return [makeSlice(svc, { addressType: addressTypeOf(family), ports: [], endpoints: [] }, 'placeholder')];
  }
  const out: EndpointSlice[] = [];
  for (const [key, group] of groups) {
    for (let i = 0; i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      const chunk = { ...group, endpoints: group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) };
      out.push(makeSlice(svc, chunk, `${key}#${i}`));
    }
  }
  return out;
}

/** podToEndpoint: the zone comes from the node's label when it has a non-empty one. */
function endpointOf(svc: Service, pod: Pod, ip: Ip, zone: string | undefined): Endpoint {
  const serving = svc.publishNotReadyAddresses || pod.ready;
  const ready = svc.publishNotReadyAddresses || (pod.ready && !pod.terminating);
  return {
    addresses: [ip],
    conditions: { ready, serving, terminating: pod.terminating },
    nodeName: pod.nodeName,
    ...(zone === undefined || zone === '' ? {} : { zone }),
    targetRef: { kind: 'Pod', name: pod.name, namespace: pod.namespace },
  };
}

function makeSlice(svc: Service, group: Group, key: string): EndpointSlice {
  const labels: Record<string, string> = { [SERVICE_NAME_LABEL]: svc.name, [MANAGED_BY_LABEL]: CONTROLLER_NAME };
  if (svc.headless) labels['service.kubernetes.io/headless'] = '';
  return {
    name: `${svc.name}-${nameSuffix(`${objectKey(svc)}|${key}`)}`,
    namespace: svc.namespace,
    labels,
    serviceName: svc.name,
    addressType: group.addressType,
    endpoints: group.endpoints,
    ports: group.ports,
    origin: 'controller',
  };
}

/** The alphabet of Kubernetes' random name suffixes (no vowels, no confusable digits). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters from an FNV-1a hash of `seed`: stable where Kubernetes' are random. */
function nameSuffix(seed: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  let s = '';
  for (let i = 0; i < 5; i++) {
    s += SUFFIX_ALPHABET[h % SUFFIX_ALPHABET.length] ?? 'x';
    h = Math.floor(h / SUFFIX_ALPHABET.length);
  }
  return s;
}
