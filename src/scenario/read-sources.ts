/**
 * Scenario files → raw objects, each document read as soon as the fast reader has parsed it:
 * a document's values then die young instead of staying alive, with every other document's,
 * until the whole file is parsed (the scavenger copied them all, twice, on a 5 MB scenario).
 * What is made is what parseSources then readDocuments make, in the same order: the parse
 * problems of every file first, then the readers' in document order (read-sources.test.ts holds
 * the two ways equal). When the fast reader leaves a file to yaml part-way, what was read of it
 * is dropped and yaml's documents are read instead.
 */
import { type Diagnostic, error } from '../diag/diagnostic.js';
import { readDocument, readDocuments } from './documents.js';
import { readFastEachDoc } from './fast-yaml/tree.js';
import { type RawScenario, emptyRaw } from './raw.js';
import { type LoadOptions, type ScenarioFile, type SourceDoc, openFile, parseWithYaml } from './source.js';

/** What the files hold: raw objects, the parse problems and the readers' problems. */
export interface ReadSources {
  readonly raw: RawScenario;
  readonly parsed: Diagnostic[];
  /**
   * The readers' problems. The fields kept in `raw` report here too (their `ctx.diags`), so the
   * later checks add theirs to this list, and the loader puts `parsed` before it at the end.
   */
  readonly read: Diagnostic[];
}

/** Parses and reads every file (see the header). */
export function readSources(files: readonly ScenarioFile[], options: LoadOptions = {}): ReadSources {
  const raw = emptyRaw();
  const parsed: Diagnostic[] = [];
  const read: Diagnostic[] = [];
  for (const file of files) {
    const { lines, locate, bad } = openFile(file);
    if (bad !== undefined) {
      parsed.push(bad);
      continue;
    }
    if (options.yamlReader !== 'library') {
      const fileRaw = emptyRaw();
      const mark = read.length;
      const fast = readFastEachDoc(file.text, (tree, value) => readDocument({ file: file.path, tree, lines }, value, fileRaw, read));
      if (fast === undefined) read.length = mark;
      else {
        appendRaw(raw, fileRaw);
        if (fast.error !== undefined) parsed.push(error('SCN_YAML_SYNTAX', fast.error.message, locate(fast.error.offset)));
        continue;
      }
    }
    const docs: SourceDoc[] = [];
    parseWithYaml(file, lines, docs, parsed);
    readDocuments(docs, raw, read);
  }
  return { raw, parsed, read };
}

/** Appends a file's raw objects, list by list (every list of RawScenario, and of its groups such as `calico`). */
function appendRaw(to: object, from: object): void {
  const into = to as Record<string, unknown>;
  for (const [key, list] of Object.entries(from)) {
    const target = into[key];
    if (Array.isArray(list) && Array.isArray(target)) append(target, list);
    else if (typeof list === 'object' && list !== null && typeof target === 'object' && target !== null) appendRaw(target, list);
  }
}

/** `to.push(...from)` without spreading a list that may hold hundreds of thousands. */
function append<T>(to: T[], from: readonly T[]): void {
  for (const x of from) to.push(x);
}
