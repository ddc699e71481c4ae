/**
 * Resolving a Service port's `targetPort` for one pod, as `podutil.FindPort` does
 * (kubernetes/pkg/api/v1/pod/util.go): a number is used as is; a name is looked up among the
 * pod's container ports with the same protocol. A name no container declares leaves the pod
 * without that port (the EndpointSlice controller skips it for that port only).
 */
import type { EndpointPort, Pod, ServicePort } from '../objects.js';

/** The port number `servicePort` targets on `pod`, or undefined when a named port is missing. */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort;
  if (typeof target === 'number') return target;
  for (const c of pod.containers) {
    for (const p of c.ports) {
      if (p.name === target && p.protocol === servicePort.protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** The slice ports of one pod for a Service: one per Service port that resolves. */
export function endpointPortsFor(pod: Pod, ports: readonly ServicePort[]): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of ports) {
    const port = findPort(pod, sp);
    if (port !== undefined) out.push({ name: sp.name, protocol: sp.protocol, port });
  }
  return out;
}

/** A key that is equal for equal port lists: pods with the same ports share slices. */
export function portsKey(ports: readonly EndpointPort[]): string {
  return ports.map((p) => `${p.name}/${p.protocol}/${p.port}`).join(',');
}
