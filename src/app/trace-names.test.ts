import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../cluster/lookup.js';
import { goldenScenarios } from '../../test/helpers/scenarios.js';
import { loadAndBuild } from './scenario.js';
import { planQuery } from './trace.js';
import { unknownNameProblem } from './trace-names.js';

const built = goldenScenarios().map((f) => {
  const loaded = loadAndBuild([{ path: f, text: readFileSync(join('scenarios', f), 'utf8') }]);
  if (loaded.built === undefined) throw new Error(`${f} does not build`);
  return { f, built: loaded.built };
});

/** Names a user might type: the scenario's own, in every form the resolver reads, and near misses. */
function names(spec: (typeof built)[number]['built']['spec']): fc.Arbitrary<string> {
  const own = [
    ...spec.pods.flatMap((p) => [p.name, `${p.namespace}/${p.name}`]),
    ...spec.services.flatMap((s) => [s.name, `${s.name}.${s.namespace}`, `${s.name}.${s.namespace}.svc`, `svc/${s.name}`]),
    ...spec.nodes.map((n) => n.name),
    ...(spec.cluster.underlay?.routers ?? []).map((r) => r.name),
    ...(spec.cluster.externalHosts ?? []).map((h) => h.name),
    '10.244.0.2',
    '10.96.0.10:80',
    '[fd00::2]:80',
  ];
  const base = fc.constantFrom(...own);
  return fc.oneof(
    base,
    fc.tuple(base, fc.constantFrom('x', '-', '.', '.default', ':80', ':0', ':70000', '/x', '.svc.cluster.local')).map(([n, s]) => n + s),
    fc.tuple(base, fc.nat()).map(([n, k]) => n.slice(0, k % (n.length + 1))),
  );
}

describe('a name that means nothing, known before the build', () => {
  it.each(built.map((b) => [b.f, b.built] as const))('%s: whenever the spec says "nothing", the built cluster says the same', (_f, b) => {
    fc.assert(
      fc.property(names(b.spec), (text) => {
        const early = unknownNameProblem(b.spec, { src: text, dst: text });
        const r = resolveEndpoint(b, text);
        if (early !== undefined) expect('problem' in r ? r.problem : r.endpoint.label).toBe(`no pod, Service, node or IP called ${text}`);
      }),
      { numRuns: 150 },
    );
  });

  it('reports SRC before DST, and DST before a problem with what SRC resolves to', () => {
    const b = built.find((x) => x.f === 'default.yaml')!.built;
    expect(unknownNameProblem(b.spec, { src: 'nope', dst: 'also-nope' })).toBe('source: no pod, Service, node or IP called nope');
    expect(unknownNameProblem(b.spec, { src: 'pod-a', dst: 'nope' })).toBe('destination: no pod, Service, node or IP called nope');
    expect(planQuery(b, { src: 'pod-a', dst: 'nope', seed: 1 })).toEqual({ problem: 'destination: no pod, Service, node or IP called nope' });
    expect(unknownNameProblem(b.spec, { src: 'pod-a', dst: 'service-b' })).toBeUndefined();
  });

  it('leaves a DNS name to the lookup, which traces the NXDOMAIN', () => {
    const b = built.find((x) => x.f === 'default.yaml')!.built;
    const q = { src: 'pod-a', dst: 'nope.default.svc.cluster.local' };
    expect(unknownNameProblem(b.spec, q, { flag: undefined })).toBeUndefined();
    expect(unknownNameProblem(b.spec, q, { flag: false })).toBe('destination: no pod, Service, node or IP called nope.default.svc.cluster.local');
    expect(unknownNameProblem(b.spec, { src: 'pod-a', dst: 'nope' }, { flag: true })).toBeUndefined();
  });

  it('does not build when the check finds a problem', () => {
    const text = readFileSync('scenarios/default.yaml', 'utf8');
    const loaded = loadAndBuild([{ path: 'default.yaml', text }], 1, {}, () => 'stop here');
    expect(loaded).toEqual({ built: undefined, diagnostics: [], problem: 'stop here' });
  });
});
