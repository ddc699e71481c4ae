/**
 * What can be checked about endpoints before the build gives pods their addresses:
 * a selector that selects no pod (SCN_SELECTOR_MATCHES_NOTHING), a named targetPort no
 * selected pod declares (SCN_TARGET_PORT_UNRESOLVED), EndpointSlices that are duplicated or
 * name a Service that does not exist. Adds the `kubernetes` slice (the API server on every
 * node's address, port 6443) unless the scenario provides one.
 */
import { findPort } from '../../cluster/controllers/index.js';
import { PodSelection } from './pod-selection.js';
import {
  type EndpointSlice, type Node, type Pod, SERVICE_NAME_LABEL, type Service, addressTypeOf,
} from '../../cluster/objects.js';
import type { RawService, RawSlice } from '../raw.js';
import { child, fail, warn } from '../reader.js';
import { isKubernetesService } from './services.js';
import { dedupe } from './unique.js';

/** Warns about selectors and named ports that lead nowhere. */
export function checkSelectors(raw: readonly RawService[], services: readonly Service[], pods: readonly Pod[]): void {
  // Indexes rather than scans: with thousands of Services a find per Service was quadratic.
  const byKey = new Map<string, Map<string, Service>>();
  for (const s of services) {
    let names = byKey.get(s.namespace);
    if (names === undefined) byKey.set(s.namespace, (names = new Map()));
    // A repeated namespace/name keeps the last, as `new Map(entries)` did; the pos check below tells them apart.
    names.set(s.name, s);
  }
  const selection = new PodSelection(pods);
  for (const r of raw) {
    const found = byKey.get(r.meta.namespace)?.get(r.meta.name);
    const svc = found?.pos === r.meta.pos ? found : undefined;
    if (svc?.selector === undefined || r.selector === undefined || svc.type === 'ExternalName') continue;
    const selector = svc.selector;
    if (selection.find(svc.namespace, selector) === undefined) {
      const sel = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
      warn(r.selector.field, 'SCN_SELECTOR_MATCHES_NOTHING', `Service ${svc.name} selects ${sel}, which no pod in namespace ${svc.namespace} has: it will have no endpoints`);
      continue;
    }
    svc.ports.forEach((sp, i) => {
      const field = r.ports[i]?.field;
      if (typeof sp.targetPort !== 'string' || field === undefined) return;
      if (selection.find(svc.namespace, selector, (p) => findPort(p, sp) !== undefined) !== undefined) return;
      warn(child(field, 'targetPort'), 'SCN_TARGET_PORT_UNRESOLVED', `no pod Service ${svc.name} selects declares a ${sp.protocol} container port named "${sp.targetPort}": port ${sp.port} has no endpoints`);
    });
  }
}

/** Checks the scenario's slices; returns them with the implicit `kubernetes` slice. */
export function resolveSlices(raw: readonly RawSlice[], services: readonly Service[], nodes: readonly Node[]): EndpointSlice[] {
  const unique = dedupe(raw, (s) => `${s.meta.namespace}/${s.meta.name}`, (s) => s.meta.nameField, 'EndpointSlice');
  const slices: EndpointSlice[] = [];
  for (const r of unique) {
    const svc = services.find((s) => s.name === r.slice.serviceName && s.namespace === r.slice.namespace);
    if (svc === undefined) {
      fail(r.serviceField, 'SCN_MISSING_REFERENCE', `EndpointSlice ${r.meta.name} belongs to Service ${r.slice.serviceName}, which does not exist in namespace ${r.slice.namespace}`);
      continue;
    }
    slices.push(r.slice);
  }
  const kube = services.find(isKubernetesService);
  const hasKubeSlice = slices.some((s) => isKubernetesService({ name: s.serviceName, namespace: s.namespace }));
  // The API server maintains this slice itself, so a kubectl dump may leave it out.
  if (kube !== undefined && kube.selector === undefined && !hasKubeSlice) slices.push(kubernetesSlice(nodes));
  return slices;
}

/** The label kubeadm puts on control-plane nodes (`kubectl get nodes` prints their ROLES as `control-plane`). */
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/**
 * The nodes the API server runs on: those labelled {@link CONTROL_PLANE_LABEL}, else the first
 * node (a scenario that marks none is read as kind and kubeadm lay a cluster out: the first
 * node is the control plane).
 */
export function controlPlaneNodes(nodes: readonly Node[]): readonly Node[] {
  const marked = nodes.filter((n) => n.labels[CONTROL_PLANE_LABEL] !== undefined);
  return marked.length > 0 ? marked : nodes.slice(0, 1);
}

/**
 * The API server's endpoints, as its endpoint reconciler publishes them: each control-plane
 * node's address on 6443, and no other node's.
 */
function kubernetesSlice(all: readonly Node[]): EndpointSlice {
  const nodes = controlPlaneNodes(all);
  const family = nodes[0]?.internalIPs[0]?.family ?? 4;
  return {
    name: 'kubernetes',
    namespace: 'default',
    labels: { [SERVICE_NAME_LABEL]: 'kubernetes' },
    serviceName: 'kubernetes',
    addressType: addressTypeOf(family),
    endpoints: nodes.flatMap((n) => n.internalIPs.filter((ip) => ip.family === family).map((ip) => ({
      addresses: [ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: n.name,
    }))),
    ports: [{ name: 'https', protocol: 'TCP', port: 6443 }],
    origin: 'implicit',
  };
}
