import { describe, expect, it } from 'vitest';
import { type Ip, formatIp, ip } from '../../addr/index.js';
import type { EndpointSlice, Pod, Service, ServicePort } from '../objects.js';
import { type PodAddresses, reconcileEndpointSlices } from './endpoint-slice.js';

function pod(name: string, opts: { node?: string; ip: string; port?: [string, number]; ready?: boolean; terminating?: boolean; labels?: Record<string, string> }): PodAddresses {
  const p: Pod = {
    name, namespace: 'default', labels: opts.labels ?? { app: 'b' }, nodeName: opts.node ?? 'node-1', scheduledBy: 'spec', hostNetwork: false,
    podIPs: [], ready: opts.ready ?? true, terminating: opts.terminating ?? false,
    containers: [{ name: 'c', ports: opts.port === undefined ? [] : [{ name: opts.port[0], containerPort: opts.port[1], protocol: 'TCP' }] }],
  };
  return { pod: p, ips: [ip(opts.ip)] };
}

function service(ports: ServicePort[], extra: Partial<Service> = {}): Service {
  return {
    name: 'svc', namespace: 'default', labels: {}, type: 'ClusterIP', selector: { app: 'b' }, clusterIPs: [ip('10.96.0.2')], headless: false, ports,
    externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', sessionAffinity: 'None', sessionAffinityTimeoutSeconds: 10800,
    externalIPs: [], loadBalancerSourceRanges: [], loadBalancerIngress: [], publishNotReadyAddresses: false, ...extra,
  };
}

const summary = (slices: readonly EndpointSlice[]): unknown =>
  slices.map((s) => ({ ports: s.ports.map((p) => `${p.name}:${p.port}`), endpoints: s.endpoints.map((e) => e.addresses.map((a: Ip) => formatIp(a)).join()) }));

describe('EndpointSlice controller', () => {
  const http: ServicePort = { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' };

  it('resolves a named targetPort per pod and groups pods by their resolved ports', () => {
    const pods = [pod('a', { ip: '10.244.0.2', port: ['http', 8080] }), pod('b', { ip: '10.244.1.2', port: ['http', 9090] }), pod('c', { ip: '10.244.0.3', port: ['http', 8080] })];
    const slices = reconcileEndpointSlices({ services: [service([http])], pods, provided: [] });
    expect(summary(slices)).toEqual([
      { ports: ['http:8080'], endpoints: ['10.244.0.2', '10.244.0.3'] },
      { ports: ['http:9090'], endpoints: ['10.244.1.2'] },
    ]);
    expect(slices[0]?.labels).toMatchObject({ 'kubernetes.io/service-name': 'svc', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slices[0]?.name).toMatch(/^svc-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slices[0]?.endpoints[0]).toMatchObject({ nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'a', namespace: 'default' } });
  });

  it('leaves a pod without the named port out of that port only', () => {
    const metrics: ServicePort = { name: 'metrics', protocol: 'TCP', port: 9100, targetPort: 9100 };
    const slices = reconcileEndpointSlices({ services: [service([http, metrics])], pods: [pod('a', { ip: '10.244.0.2' })], provided: [] });
    expect(summary(slices)).toEqual([{ ports: ['metrics:9100'], endpoints: ['10.244.0.2'] }]);
  });

  it('sets ready, serving and terminating as Kubernetes does', () => {
    const pods = [pod('ok', { ip: '10.244.0.2' }), pod('notready', { ip: '10.244.0.3', ready: false }), pod('leaving', { ip: '10.244.0.4', terminating: true })];
    const conds = (svc: Service): unknown => reconcileEndpointSlices({ services: [svc], pods, provided: [] })[0]?.endpoints.map((e) => e.conditions);
    expect(conds(service([{ ...http, targetPort: 80 }]))).toEqual([
      { ready: true, serving: true, terminating: false },
      { ready: false, serving: false, terminating: false },
      { ready: false, serving: true, terminating: true },
    ]);
    expect(conds(service([{ ...http, targetPort: 80 }], { publishNotReadyAddresses: true }))).toEqual([
      { ready: true, serving: true, terminating: false },
      { ready: true, serving: true, terminating: false },
      { ready: true, serving: true, terminating: true },
    ]);
  });

  it('gives a Service that selects nothing one empty placeholder slice', () => {
    const slices = reconcileEndpointSlices({ services: [service([http], { selector: { app: 'none' } })], pods: [pod('a', { ip: '10.244.0.2' })], provided: [] });
    expect(summary(slices)).toEqual([{ ports: [], endpoints: [] }]);
  });

  it('passes provided slices through for Services without a selector, and replaces controller-made ones', () => {
    const provided = (name: string, managedBy?: string): EndpointSlice => ({
      name, namespace: 'default', serviceName: 'svc', addressType: 'IPv4', origin: 'scenario',
      labels: { 'kubernetes.io/service-name': 'svc', ...(managedBy === undefined ? {} : { 'endpointslice.kubernetes.io/managed-by': managedBy }) },
      endpoints: [{ addresses: [ip('192.168.56.5')], conditions: { ready: true, serving: true, terminating: false } }],
      ports: [{ name: 'http', protocol: 'TCP', port: 5432 }],
    });
    const { selector: _s, ...noSelector } = service([http]);
    expect(reconcileEndpointSlices({ services: [noSelector], pods: [], provided: [provided('manual')] }).map((s) => s.name)).toEqual(['manual']);
    const pods = [pod('a', { ip: '10.244.0.2', port: ['http', 8080] })];
    const names = reconcileEndpointSlices({ services: [service([http])], pods, provided: [provided('stale', 'endpointslice-controller.k8s.io'), provided('mirror', 'someone-else')] }).map((s) => s.name);
    expect(names.filter((n) => !n.startsWith('svc-'))).toEqual(['mirror']);
  });

  it('caps slices at 100 endpoints', () => {
    const pods = Array.from({ length: 150 }, (_, i) => pod(`p${i}`, { ip: `10.244.${i >> 8}.${(i & 255) + 2 > 255 ? 2 : (i & 255) + 2}`, port: ['http', 8080] }));
    const slices = reconcileEndpointSlices({ services: [service([http])], pods, provided: [] });
    expect(slices.map((s) => s.endpoints.length)).toEqual([100, 50]);
    expect(new Set(slices.map((s) => s.name)).size).toBe(2);
  });
});
