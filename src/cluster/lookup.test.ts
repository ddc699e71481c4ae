import { describe, expect, it } from 'vitest';
import { formatIp } from '../addr/ip.js';
import { BUILTIN_CNI_PLUGINS } from '../cni/builtins.js';
import { createCniRegistry } from '../cni/registry.js';
import { loadScenario } from '../scenario/load.js';
import { simContext } from '../sim/context.js';
import { type BuiltCluster, buildCluster } from './assemble/cluster.js';
import { resolveEndpoint, slicesOfService } from './lookup.js';

const pod = (ns: string, name: string, app = name) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${app}}}\nspec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n`;
const svc = (ns: string, name: string, extra = '') =>
  `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {${extra}selector: {app: ${name}}, ports: [{port: 80}]}\n`;

const SCENARIO = `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: names}
spec:
  nodes: [{name: node-1}, {name: node-2}]
${pod('shop', 'client')}${pod('default', 'client')}${pod('shop', 'web')}${pod('default', 'web')}${pod('a', 'dup')}${pod('b', 'dup')}${pod('a', 'lonely')}${pod('shop', 'db-0', 'db')}${pod('shop', 'db-1', 'db')}${svc('shop', 'api')}${svc('default', 'web')}${svc('shop', 'shopweb')}${svc('shop', 'db', 'clusterIP: None, ')}${svc('shop', 'ext', 'type: ExternalName, externalName: db.example.com, ')}${svc('shop', 'empty', 'clusterIP: None, ')}${pod('a', 'both')}${svc('a', 'both')}`;

function build(text: string): BuiltCluster {
  const spec = loadScenario([{ path: 's.yaml', text }]);
  expect(spec.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const built = buildCluster(spec.value!, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) });
  return built.value!;
}

const b = build(SCENARIO);
const label = (text: string, namespace?: string): string => {
  const r = resolveEndpoint(b, text, namespace !== undefined ? { namespace } : {});
  return 'endpoint' in r ? r.endpoint.label : `problem: ${r.problem}`;
};

describe('names resolve as a pod resolves them', () => {
  it.each([
    // [name, source namespace, what it means]
    ['client', 'shop', 'pod shop/client'],
    ['client', undefined, 'pod default/client'],
    ['client', 'a', 'pod default/client'],
    ['lonely', 'shop', 'pod a/lonely'],
    ['api', 'shop', 'service shop/api'],
    ['api', undefined, 'service shop/api'],
    ['shopweb', 'b', 'service shop/shopweb'],
    ['web.default', 'shop', 'service default/web'],
    ['api.shop', undefined, 'service shop/api'],
    ['api.shop.svc', undefined, 'service shop/api'],
    ['api.shop.svc.cluster.local', undefined, 'service shop/api'],
    ['svc/api', 'shop', 'service shop/api'],
    ['svc/default/web', 'shop', 'service default/web'],
    ['a/dup', 'shop', 'pod a/dup'],
    ['node-2', 'shop', 'node node-2'],
  ])('%s from namespace %s is %s', (text, ns, want) => {
    expect(label(text, ns)).toBe(want);
  });

  it('the source namespace wins over default, across kinds', () => {
    expect(label('web', 'shop')).toBe('pod shop/web');
  });

  it('a short name that is a pod and a Service in the same namespace is ambiguous', () => {
    expect(label('both', 'a')).toBe('problem: both is ambiguous: pod a/both, service a/both; say pod NAMESPACE/NAME or svc/NAMESPACE/NAME');
  });

  it('a pod name in several other namespaces lists the candidates', () => {
    expect(label('dup', 'shop')).toBe('problem: dup is ambiguous: pod a/dup, pod b/dup; say pod NAMESPACE/NAME or svc/NAMESPACE/NAME');
  });

  it('a pod name in the source namespace wins over the same name elsewhere', () => {
    expect(label('dup', 'b')).toBe('pod b/dup');
  });

  it('a headless Service lists its ready pod addresses and traces to the first', () => {
    const ips = ['db-0', 'db-1'].map((n) => formatIp(b.pods.find((p) => p.pod.name === n)!.ips[0]!));
    expect(label('db', 'shop')).toBe(`pod shop/db-0 (headless service shop/db resolves to ${ips.join(', ')}; tracing to the first)`);
  });

  it('a headless Service without endpoints says its name resolves to nothing', () => {
    expect(label('empty.shop')).toBe('problem: service shop/empty is headless (clusterIP: None) and has no ready endpoints: its DNS name resolves to no address');
  });

  it('an ExternalName Service is a CNAME netsim cannot follow', () => {
    expect(label('ext', 'shop')).toContain('problem: service shop/ext is an ExternalName Service: its DNS name is a CNAME to db.example.com');
  });

  it('an unknown name says so', () => {
    expect(label('nope', 'shop')).toBe('problem: no pod, Service, node or IP called nope');
  });
});

describe('slicesOfService', () => {
  it('gives the slices a scan by namespace and service name gives, in list order', () => {
    const keys = b.spec.services.map((s) => [s.namespace, s.name] as const).concat([['shop', 'nosuch'], ['default', 'api']]);
    for (const [ns, name] of keys) {
      const scan = b.endpointSlices.filter((sl) => sl.namespace === ns && sl.serviceName === name);
      expect(slicesOfService(b.endpointSlices, ns, name)).toEqual(scan);
    }
    expect(slicesOfService(b.endpointSlices, 'shop', 'db').length).toBeGreaterThan(0);
  });
});
