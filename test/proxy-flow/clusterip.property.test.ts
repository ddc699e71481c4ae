/**
 * Property: for any small set of ClusterIP services (1–4 services, 0–4 endpoints each, endpoint
 * IPs in 10.180.0.0/16, random ports), kube-proxy's payload restored into netsim's netfilter
 * engine sends every first packet from a pod to a ClusterIP:port to one of that service's
 * endpoints: across traceHostAllPaths every endpoint is reached exactly once, the probabilities
 * sum to 1 and each is 1/n (kube-proxy's `%0.10f` probabilities multiply out to 1/n within
 * 1e-9); a service without endpoints REJECTs (filter KUBE-SERVICES from FORWARD). Pod traffic is
 * never masqueraded (sources are outside 10.180.0.0/16, so no hairpin). A packet to a
 * non-service address, or to a service IP on another port, leaves untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointInput, ServicePortInput } from '../../src/proxy/index.js';
import { ep, fakeProxierConfig, svcPort } from '../../src/proxy/iptables/__fixtures__/upstream.js';
import { pathMasqueraded, pathOutput, proxyNode, traceFlow } from '../helpers/proxy-flow.js';

interface Svc {
  readonly clusterIP: string;
  readonly port: number;
  readonly endpoints: readonly { readonly ip: string; readonly port: number }[];
}

const octets = (n: number) => `${(n >> 8) & 255}.${n & 255}`;
const port = fc.integer({ min: 1, max: 65535 });
const endpointIP = fc.integer({ min: 0, max: 0xffff }).map((n) => `10.180.${octets(n)}`);
const svcArb = (clusterIP: string): fc.Arbitrary<Svc> =>
  fc.record({
    clusterIP: fc.constant(clusterIP),
    port,
    endpoints: fc.uniqueArray(endpointIP, { maxLength: 4 }).chain((ips) => fc.tuple(...ips.map((ip) => port.map((p) => ({ ip, port: p }))))),
  });
const servicesArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 0xfffe }), { minLength: 1, maxLength: 4 })
  .chain((ns) => fc.tuple(...ns.map((n) => svcArb(`172.30.${octets(n)}`))));
/** A pod address outside the endpoints' 10.180.0.0/16. */
const podIP = fc.tuple(fc.integer({ min: 0, max: 179 }), fc.integer({ min: 0, max: 0xffff })).map(([a, n]) => `10.${a}.${octets(n)}`);

function build(svcs: readonly Svc[]) {
  const services: ServicePortInput[] = svcs.map((s, i) => svcPort('ns', `svc${i}`, { clusterIP: s.clusterIP, port: s.port }));
  const endpoints: Record<string, EndpointInput[]> = Object.fromEntries(svcs.map((s, i) => [`ns/svc${i}:p80`, s.endpoints.map((e) => ep(e.ip, e.port))]));
  return proxyNode(fakeProxierConfig(), services, endpoints);
}

describe('ClusterIP services through the engine (property)', () => {
  it('reach every endpoint with probability 1/n, or REJECT without endpoints', () => {
    fc.assert(
      fc.property(servicesArb, podIP, (svcs, src) => {
        const node = build(svcs);
        for (const s of svcs) {
          const { paths } = traceFlow(node, { sourceIP: src, destIP: s.clusterIP, destPort: s.port });
          const total = paths.reduce((sum, p) => sum + p.probability, 0);
          expect(total).toBeCloseTo(1, 9);
          if (s.endpoints.length === 0) {
            expect(paths.map((p) => [p.verdict, p.hooks.at(-1)])).toEqual([['REJECT', 'FORWARD']]);
            continue;
          }
          const want = s.endpoints.map((e) => `${e.ip}:${e.port}`).sort();
          expect(paths.map(pathOutput).sort()).toEqual(want);
          for (const p of paths) {
            expect(p.verdict).toBe('ACCEPT');
            expect(p.probability).toBeCloseTo(1 / s.endpoints.length, 9);
            expect(pathMasqueraded(p)).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('leave packets to other addresses and ports untouched', () => {
    const otherIP = fc.integer({ min: 1, max: 0xfffe }).map((n) => `172.31.${octets(n)}`);
    fc.assert(
      fc.property(servicesArb, podIP, otherIP, port, (svcs, src, dst, dport) => {
        const node = build(svcs);
        // Every service has its own ClusterIP and one port, so any other port on it is no service.
        const targets = [{ destIP: dst, destPort: dport }, ...svcs.map((s) => ({ destIP: s.clusterIP, destPort: (s.port % 65535) + 1 }))];
        for (const t of targets) {
          const { paths, output } = traceFlow(node, { sourceIP: src, ...t });
          expect(output).toBe('');
          expect(paths).toHaveLength(1);
          expect(paths[0]?.verdict).toBe('ACCEPT');
          expect(paths[0]?.nat).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
