import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Diagnostic } from '../diag/diagnostic.js';
import { defaultScenarioText } from './default.js';
import { loadScenario } from './load.js';

/** True when the diagnostic points at a character of `text` (or just past a line's end). */
function inside(d: Diagnostic, text: string): boolean {
  if (d.pos === undefined || d.pos.col === undefined || d.pos.file !== 'p.yaml') return false;
  const lines = text.split('\n');
  const line = lines[d.pos.line - 1];
  return line !== undefined && d.pos.col >= 1 && d.pos.col <= line.length + 1;
}

function check(text: string): void {
  const r = loadScenario([{ path: 'p.yaml', text }]);
  for (const d of r.diagnostics) expect(inside(d, text), `${d.code} at ${JSON.stringify(d.pos)} in ${JSON.stringify(text)}`).toBe(true);
}

describe('the loader on arbitrary input (property)', () => {
  it('never throws on arbitrary text, and every diagnostic is located inside it', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 500 });
  });

  it('never throws on arbitrary YAML values', () => {
    const docs = fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: 1, maxLength: 3 });
    fc.assert(fc.property(docs, (values) => check(values.map((v) => stringify(v)).join('---\n'))), { numRuns: 300 });
  });

  it('never throws on the default scenario with characters deleted or replaced', () => {
    const base = defaultScenarioText();
    const edit = fc.tuple(fc.nat(base.length - 1), fc.nat(20), fc.string({ maxLength: 5 }));
    fc.assert(fc.property(fc.array(edit, { maxLength: 4 }), (edits) => {
      let text = base;
      for (const [at, len, ins] of edits) text = text.slice(0, at) + ins + text.slice(at + len);
      check(text);
    }), { numRuns: 300 });
  });

  it('never throws on scenario-shaped objects with arbitrary field values', () => {
    const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }));
    const kinds = fc.constantFrom('Pod', 'Service', 'Node', 'EndpointSlice', 'Namespace', 'List', 'Cluster');
    const fields = fc.dictionary(fc.constantFrom('name', 'nodeName', 'ports', 'selector', 'clusterIP', 'podCIDR', 'containers', 'type', 'items', 'addressType'), value);
    const obj = fc.record({ kind: kinds, spec: fields, metadata: fields, status: fields });
    fc.assert(fc.property(fc.array(obj, { maxLength: 4 }), (objs) => {
      const docs = objs.map((o) => stringify({ apiVersion: o.kind === 'Cluster' ? 'netsim.dev/v1alpha1' : o.kind === 'EndpointSlice' ? 'discovery.k8s.io/v1' : 'v1', ...o }));
      check(['apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec: {nodes: [{name: n}]}\n', ...docs].join('---\n'));
    }), { numRuns: 300 });
  });
});
