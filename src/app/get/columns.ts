/**
 * The columns of `kubectl get` for the kinds netsim builds, cell for cell as kubectl's printers
 * fill them (kubernetes pkg/printers/internalversion/printers.go: printNode, printPod,
 * printService, printEndpointSlice). `wide` adds the priority-1 columns of `-o wide`.
 *
 * AGE: the scenario's objects have no creationTimestamp, and kubectl prints `<unknown>` for a
 * zero timestamp (translateTimestampSince), so every AGE is `<unknown>`: deterministic, and no
 * clock is read.
 */
import { formatIp } from '../../addr/ip.js';
import type { EndpointSlice, Labels, Node, Service } from '../../cluster/objects.js';
import type { PodState } from './objects.js';

/** kubectl's AGE for an object without a creationTimestamp. */
export const UNKNOWN_AGE = '<unknown>';

const NONE = '<none>';
const UNKNOWN = '<unknown>';
/** printers.go `loadBalancerWidth`: EXTERNAL-IP is cut to this many characters unless wide. */
const LOAD_BALANCER_WIDTH = 16;
const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** A kind's header and how one object becomes a row. */
export interface Columns<T> {
  header(wide: boolean): string[];
  row(obj: T, wide: boolean): string[];
}

/** findNodeRoles: `node-role.kubernetes.io/ROLE` labels and `kubernetes.io/role`, sorted, or `<none>`. */
export function nodeRoles(labels: Labels): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === ROLE_LABEL && v !== '') roles.add(v);
  }
  return roles.size === 0 ? NONE : [...roles].sort().join(',');
}

/** `kubectl get nodes`: the built nodes are Ready; the scenario gives no kubelet version or node info. */
export const NODE_COLUMNS: Columns<Node> = {
  header: (wide) => ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', ...(wide ? ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'] : [])],
  row: (n, wide) => [n.name, 'Ready', nodeRoles(n.labels), UNKNOWN_AGE, '', ...(wide ? [n.internalIPs[0] !== undefined ? formatIp(n.internalIPs[0]) : NONE, NONE, UNKNOWN, UNKNOWN, UNKNOWN] : [])],
};

/** The STATUS column: ContainerCreating without a sandbox, Terminating once deleted, else Running. */
function podStatus(s: PodState): string {
  if (!s.sandbox) return 'ContainerCreating';
  return s.pod.terminating ? 'Terminating' : 'Running';
}

/** `kubectl get pods`: READY is ready containers over containers (a pod declares at least one). */
export const POD_COLUMNS: Columns<PodState> = {
  header: (wide) => ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(wide ? ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] : [])],
  row: (s, wide) => {
    const total = Math.max(1, s.pod.containers.length);
    const ready = s.sandbox && s.pod.ready ? total : 0;
    return [s.pod.name, `${ready}/${total}`, podStatus(s), '0', UNKNOWN_AGE, ...(wide ? [s.ips[0] ?? NONE, s.pod.nodeName, NONE, NONE] : [])];
  },
};

/** getServiceExternalIP: externalIPs, the load balancer's ingress, the ExternalName, or `<none>`/`<pending>`. */
function externalIp(svc: Service, wide: boolean): string {
  const external = svc.externalIPs.map(formatIp);
  switch (svc.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : NONE;
    case 'ExternalName':
      return svc.externalName ?? NONE;
    case 'LoadBalancer': {
      let ingress = svc.loadBalancerIngress.map(formatIp).join(',');
      if (!wide && ingress.length > LOAD_BALANCER_WIDTH) ingress = `${ingress.slice(0, LOAD_BALANCER_WIDTH - 3)}...`;
      const all = [...(ingress !== '' ? [ingress] : []), ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
  }
}

/** makePortString: `PORT/PROTO` or `PORT:NODEPORT/PROTO`, comma-separated. */
function servicePorts(svc: Service): string {
  const s = svc.ports.map((p) => (p.nodePort !== undefined ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
  return s === '' ? NONE : s;
}

/** labels.FormatLabels: `k=v` pairs sorted by key, or `<none>`. */
function formatLabels(labels: Labels | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? NONE : keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',');
}

/** `kubectl get services`. */
export const SERVICE_COLUMNS: Columns<Service> = {
  header: (wide) => ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', ...(wide ? ['SELECTOR'] : [])],
  row: (svc, wide) => {
    const clusterIp = svc.headless ? 'None' : svc.clusterIPs[0] !== undefined ? formatIp(svc.clusterIPs[0]) : NONE;
    return [svc.name, svc.type, clusterIp, externalIp(svc, wide), servicePorts(svc), UNKNOWN_AGE, ...(wide ? [formatLabels(svc.selector)] : [])];
  },
};

/** listWithMoreString: the first three, then ` + N more...`; `<unset>` for an empty list. */
function firstThree(list: readonly string[]): string {
  if (list.length === 0) return '<unset>';
  const shown = list.slice(0, 3).join(',');
  return list.length > 3 ? `${shown} + ${list.length - 3} more...` : shown;
}

/** `kubectl get endpointslices`: the first three ports and addresses (formatDiscoveryPorts, formatDiscoveryEndpoints). */
export const ENDPOINT_SLICE_COLUMNS: Columns<EndpointSlice> = {
  header: () => ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
  row: (s) => [
    s.name,
    s.addressType,
    firstThree(s.ports.map((p) => String(p.port))),
    firstThree(s.endpoints.flatMap((e) => e.addresses.map(formatIp))),
    UNKNOWN_AGE,
  ],
};
