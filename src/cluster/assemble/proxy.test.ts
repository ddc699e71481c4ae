/**
 * endpointsBySpn indexes the slices by Service once; property: it gives exactly what scanning
 * every slice for every Service port gives (the straightforward form it replaced).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp, parseIp } from '../../addr/ip.js';
import type { Family } from '../../addr/ip.js';
import type { EndpointInput } from '../../proxy/index.js';
import type { EndpointSlice, Service } from '../objects.js';
import { endpointsBySpn } from './proxy.js';

/** The linear scan, as endpointsBySpn was before the index. */
function scanned(services: readonly Service[], slices: readonly EndpointSlice[], family: Family): Map<string, EndpointInput[]> {
  const out = new Map<string, EndpointInput[]>();
  const addressType = family === 4 ? 'IPv4' : 'IPv6';
  for (const svc of services) {
    for (const p of svc.ports) {
      const spn = p.name === '' ? `${svc.namespace}/${svc.name}` : `${svc.namespace}/${svc.name}:${p.name}`;
      const eps: EndpointInput[] = [];
      for (const slice of slices) {
        if (slice.namespace !== svc.namespace || slice.serviceName !== svc.name || slice.addressType !== addressType) continue;
        const sp = slice.ports.find((x) => x.name === p.name && x.protocol === p.protocol);
        if (sp === undefined) continue;
        for (const ep of slice.endpoints) for (const a of ep.addresses) eps.push({ ip: formatIp(a), port: sp.port, ...ep.conditions, ...(ep.nodeName !== undefined ? { nodeName: ep.nodeName } : {}) });
      }
      out.set(spn, eps);
    }
  }
  return out;
}

const name = fc.constantFrom('a', 'b', 'c');
const portName = fc.constantFrom('', 'http', 'dns');
const protocol = fc.constantFrom('TCP', 'UDP');
const serviceArb = fc.record({ namespace: name, name, ports: fc.array(fc.record({ name: portName, protocol }), { maxLength: 3 }) });
const sliceArb = fc.record({
  namespace: name,
  serviceName: name,
  addressType: fc.constantFrom('IPv4', 'IPv6'),
  ports: fc.array(fc.record({ name: portName, protocol, port: fc.integer({ min: 1, max: 9 }) }), { maxLength: 3 }),
  endpoints: fc.array(
    fc.record({
      addresses: fc.array(fc.integer({ min: 1, max: 9 }).map((i) => parseIp(`10.0.0.${i}`)!), { minLength: 1, maxLength: 2 }),
      conditions: fc.record({ ready: fc.boolean(), serving: fc.boolean(), terminating: fc.boolean() }),
      nodeName: fc.option(fc.constantFrom('n1', 'n2'), { nil: undefined }),
    }),
    { maxLength: 3 },
  ),
});

describe('endpointsBySpn', () => {
  it('equals the scan of every slice for every Service port', () => {
    fc.assert(
      fc.property(fc.array(serviceArb, { maxLength: 5 }), fc.array(sliceArb, { maxLength: 6 }), fc.constantFrom(4 as const, 6 as const), (svcs, slices, family) => {
        const services = svcs as unknown as Service[];
        const s = slices as unknown as EndpointSlice[];
        expect(endpointsBySpn(services, s, family)).toEqual(scanned(services, s, family));
      }),
    );
  });
});
