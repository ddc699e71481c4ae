/**
 * Mutation fuzzing of text formats with fast-check: a seed text and a list of generated edits
 * (insert, delete, replace, duplicate or swap lines, splice in a fragment of YAML's or a
 * shell's syntax). Edits are data, so fast-check shrinks a failing input to the few edits that
 * matter and prints them.
 */
import fc from 'fast-check';
import { assertNever } from '../../src/diag/diagnostic.js';

/** One edit; positions are fractions of the text so that they stay valid as it changes. */
export type Edit =
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'delete'; readonly at: number; readonly len: number }
  | { readonly op: 'replace'; readonly at: number; readonly len: number; readonly text: string }
  | { readonly op: 'dupLine'; readonly at: number; readonly times: number }
  | { readonly op: 'dropLine'; readonly at: number }
  | { readonly op: 'swapLines'; readonly at: number; readonly other: number }
  | { readonly op: 'indent'; readonly at: number; readonly by: number };

/** Fragments that stress a YAML reader: structure, quotes, anchors, tags, odd characters, numbers. */
export const YAML_FRAGMENTS: readonly string[] = [
  '[', ']', '{', '}', ':', ': ', '- ', ',', '"', "'", '&a ', '*a', '*b', '!!python/object ', '!foo ', '!!binary ', '%YAML 1.3\n', '%YAML 1.1\n', '---\n',
  '...\n', '? ', '|\n', '>-\n', '<<: *a\n', '#', '\t', '\r\n', '\u0000', '\u0085', '\ufeff', '\ud800', 'é', '\u202e', 'null', '~', 'true', 'yes', '0x1F', '1e999',
  '-1', '0', '65536', '99999999999999999999', '10.0.0.300', '::', '10.244.0.0/33', 'a'.repeat(300), 'kind: ', 'apiVersion: v1\n', 'metadata: ', 'spec: ',
  'name: ', 'ports: ', 'nodes: []', 'containers: []', 'selector: ', 'clusterIP: None', 'type: NodePort', 'nodePort: 30000', 'targetPort: http', '[[[[[[[[', '{a: {b: {c: ',
];

const frac = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const fragment = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...YAML_FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) });

/** A generated edit. */
export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: frac, text: fragment }),
  fc.record({ op: fc.constant('delete' as const), at: frac, len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('replace' as const), at: frac, len: fc.integer({ min: 1, max: 10 }), text: fragment }),
  fc.record({ op: fc.constant('dupLine' as const), at: frac, times: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ op: fc.constant('dropLine' as const), at: frac }),
  fc.record({ op: fc.constant('swapLines' as const), at: frac, other: frac }),
  fc.record({ op: fc.constant('indent' as const), at: frac, by: fc.integer({ min: -4, max: 4 }) }),
);

/** Applies edits in order. */
export function applyEdits(seed: string, edits: readonly Edit[]): string {
  return edits.reduce(applyEdit, seed);
}

function applyEdit(text: string, e: Edit): string {
  const pos = Math.floor(e.at * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(e.at * lines.length);
  switch (e.op) {
    case 'insert':
      return text.slice(0, pos) + e.text + text.slice(pos);
    case 'delete':
      return text.slice(0, pos) + text.slice(pos + e.len);
    case 'replace':
      return text.slice(0, pos) + e.text + text.slice(pos + e.len);
    case 'dupLine':
      return [...lines.slice(0, line), ...Array.from({ length: e.times }, () => lines[line] ?? ''), ...lines.slice(line)].join('\n');
    case 'dropLine':
      return [...lines.slice(0, line), ...lines.slice(line + 1)].join('\n');
    case 'swapLines': {
      const other = Math.floor(e.other * lines.length);
      const copy = [...lines];
      [copy[line], copy[other]] = [lines[other] ?? '', lines[line] ?? ''];
      return copy.join('\n');
    }
    case 'indent': {
      const copy = [...lines];
      const l = copy[line] ?? '';
      copy[line] = e.by >= 0 ? ' '.repeat(e.by) + l : l.replace(new RegExp(`^ {0,${-e.by}}`), '');
      return copy.join('\n');
    }
    default:
      return assertNever(e, 'edit');
  }
}

/** Runs for FUZZ=1 (`npm run fuzz`) get `large`, `npm test` gets `small`. */
export function fuzzRuns(small: number, large: number): number {
  return process.env['FUZZ'] === '1' ? large : small;
}

/** The vitest timeout of a fuzz test: the default under `npm test`, ten minutes under FUZZ=1. */
export function fuzzTimeout(): number {
  return process.env['FUZZ'] === '1' ? 600_000 : 60_000;
}
