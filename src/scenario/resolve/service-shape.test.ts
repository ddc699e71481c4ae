import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawService } from '../raw.js';
import type { ServiceFamilies } from './ip-families.js';
import { toService, toServiceByLiteral } from './services.js';

/** An object of `entries` in their order (a reader writes its fields in one order, a hostile copy in another). */
const objectOf = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> => {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) o[k] = v;
  return o;
};
const anyValue = fc.oneof(fc.constant(undefined), fc.string(), fc.integer(), fc.boolean(), fc.constant([]));
const field = { ctx: {}, path: [], value: 1 };
const port = fc.shuffledSubarray(['name', 'protocol', 'port', 'targetPort', 'appProtocol', 'nodePort', 'nodePortField'])
  .chain((keys) => fc.tuple(...keys.map((k) => anyValue.map((v) => [k, v] as const))))
  .map((entries) => objectOf([...entries, ['field', field]]));
const service = fc.record({
  type: fc.constantFrom('ClusterIP', 'NodePort', 'ExternalName'),
  keys: fc.shuffledSubarray(['externalName', 'externalTrafficPolicy', 'internalTrafficPolicy', 'sessionAffinity', 'sessionAffinityTimeoutSeconds', 'externalIPs', 'loadBalancerSourceRanges', 'loadBalancerIngress', 'healthCheckNodePort', 'publishNotReadyAddresses', 'trafficDistribution', 'selector', 'clusterIP', 'ipFamily']),
  values: fc.array(anyValue, { minLength: 14, maxLength: 14 }),
  selector: fc.option(fc.dictionary(fc.string(), fc.string())),
  clusterIP: fc.option(fc.constantFrom('None', 'ip')),
  ports: fc.array(port, { maxLength: 3 }),
  metaFirst: fc.boolean(),
}).map((r): RawService => {
  const meta = { name: 'n', namespace: 'ns', labels: { a: 'b' }, pos: { file: 'f', line: 1, col: 1 }, terminating: false, nameField: field };
  const entries: [string, unknown][] = r.keys.map((k, i) => {
    if (k === 'selector') return [k, r.selector === null ? undefined : { value: r.selector, field }];
    if (k === 'clusterIP') return [k, r.clusterIP === null ? undefined : { value: r.clusterIP, field }];
    return [k, r.values[i]];
  });
  const head: [string, unknown][] = [['type', r.type], ['ports', r.ports]];
  return objectOf(r.metaFirst ? [['meta', meta], ...head, ...entries] : [...head, ...entries, ['meta', meta]]) as unknown as RawService;
});
const fams = fc.option(fc.record({ families: fc.constant([4, 6]), policy: fc.option(fc.constantFrom('SingleStack', 'PreferDualStack'), { nil: undefined }) }), { nil: undefined }) as fc.Arbitrary<ServiceFamilies | undefined>;

/** Every own property, in order, with its descriptor (an accessor's getter by identity). */
const shape = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(shape);
  if (typeof v !== 'object' || v === null) return v;
  return Object.entries(Object.getOwnPropertyDescriptors(v)).map(([k, d]) => [k, d.enumerable, 'get' in d ? d.get : shape(d.value)]);
};

describe('toService = toServiceByLiteral', () => {
  it('same keys in the same order, same values, `pos` of each port the same accessor', () => {
    fc.assert(fc.property(service, fams, fc.array(fc.option(fc.integer(), { nil: undefined }), { maxLength: 3 }), (s, f, nodePorts) => {
      const clusterIPs = [{ family: 4, value: 1n }] as never;
      expect(shape(toService(s, clusterIPs, nodePorts, f))).toEqual(shape(toServiceByLiteral(s, clusterIPs, nodePorts, f)));
    }), { numRuns: 2000 });
  });
});
