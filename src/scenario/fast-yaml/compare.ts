/**
 * The fast reader's contract, as a function: for any input it must give what yaml gives
 * (values, diagnostics, the position of every path), or leave the file to yaml. Used by the
 * property and fixture tests (fast-yaml.test.ts, test/perf/fast-yaml-fixtures.test.ts).
 */
import { type ScenarioFile, type SourceDoc, type YamlPath, parseSources } from '../source.js';
import { readFastDocs } from './tree.js';

/** The first difference between the fast and the library reader on `files`, or undefined. */
export function readersDiffer(files: readonly ScenarioFile[]): string | undefined {
  const fast = parseSources(files, { yamlReader: 'fast' });
  const slow = parseSources(files, { yamlReader: 'library' });
  const [df, ds] = [JSON.stringify(fast.diagnostics), JSON.stringify(slow.diagnostics)];
  if (df !== ds) return `diagnostics differ:\n fast ${df}\n yaml ${ds}`;
  if (fast.docs.length !== slow.docs.length) return `${fast.docs.length} documents, yaml ${slow.docs.length}`;
  for (let i = 0; i < fast.docs.length; i++) {
    const d = docDiffers(fast.docs[i] as SourceDoc, slow.docs[i] as SourceDoc);
    if (d !== undefined) return `document ${i}: ${d}`;
  }
  return undefined;
}

/** Whether the fast reader reads `text` itself (rather than leaving it to yaml). */
export function readsFast(text: string): boolean {
  return readFastDocs(text) !== undefined;
}

/** Whether the fast reader reads `text` itself and finds it ends in an unclosed quote. */
export function readsFastUnclosed(text: string): boolean {
  return readFastDocs(text)?.error !== undefined;
}

function docDiffers(fast: SourceDoc, slow: SourceDoc): string | undefined {
  let slowValue: unknown;
  try {
    slowValue = slow.tree.toJS();
  } catch {
    return fast.tree.aliasOffset() === slow.tree.aliasOffset() ? undefined : 'alias offsets differ';
  }
  const fastValue = fast.tree.toJS();
  const v = valueDiffers(fastValue, slowValue, '');
  if (v !== undefined) return v;
  const paths: YamlPath[] = [];
  collectPaths(slowValue, [], paths);
  for (const path of paths) {
    for (const part of ['value', 'key'] as const) {
      const [a, b] = [fast.tree.offsetOf(path, part), slow.tree.offsetOf(path, part)];
      if (a !== b) return `${part} of ${JSON.stringify(path)} at ${a}, yaml ${b}`;
    }
  }
  return undefined;
}

/** Every path of a value (at most a few thousand), and a missing key below each mapping and list. */
function collectPaths(v: unknown, path: YamlPath, out: YamlPath[]): void {
  if (out.length > 5000) return;
  out.push(path);
  if (Array.isArray(v)) {
    v.forEach((item, i) => collectPaths(item, [...path, i], out));
    out.push([...path, v.length], [...path, 'missing']);
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, item] of Object.entries(v)) collectPaths(item, [...path, k], out);
    out.push([...path, 'missing-key'], [...path, 0]);
  }
}

/** Values equal as Object.is, with the same keys in the same order and the same prototypes. */
function valueDiffers(a: unknown, b: unknown, at: string): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${at || '(root)'}: ${String(a)} (${typeof a}), yaml ${String(b)} (${typeof b})`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${at}: prototypes differ`;
  const [ka, kb] = [Reflect.ownKeys(a), Reflect.ownKeys(b)];
  if (ka.join('\u0001') !== kb.join('\u0001')) return `${at}: keys ${JSON.stringify(ka.map(String))}, yaml ${JSON.stringify(kb.map(String))}`;
  for (const k of ka) {
    const d = valueDiffers((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k], `${at}.${String(k)}`);
    if (d !== undefined) return d;
  }
  return undefined;
}
