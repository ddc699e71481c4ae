/**
 * Reading a scenario for a command: `-f FILE` (multi-document YAML, or a JSON manifest), `-f DIR`
 * (every .yaml, .yml and .json file in it, in name order), `-f` given several times (their files
 * merged into one scenario, in the order given, as `kubectl apply -f A -f B` reads them), or the
 * built-in default scenario when no `-f` is given.
 */
import { type Diagnostic, error, hasErrors } from '../diag/diagnostic.js';
import type { ClusterSpec } from '../cluster/objects.js';
import { DEFAULT_SCENARIO_PATH, type ScenarioFile, defaultScenarioText, loadScenario } from '../scenario/index.js';
import { formatDiagnostics } from '../render/diagnostics.js';
import { STDIN_NAME, errnoCode, readUserFile, readUserInput } from './files.js';
import type { CliIo } from './io.js';

/** The file name `-` stands for standard input, as in most Unix tools. */
export const STDIN_PATH = '-';

/** How diagnostics name a scenario read from standard input. */
export const STDIN_LABEL = STDIN_NAME;

/** What `-f` holds: nothing, one path, or several when it was repeated. */
export type ScenarioPaths = string | readonly string[] | undefined;

/** The paths `-f` named, in order (none: the built-in scenario). */
export function scenarioPathList(paths: ScenarioPaths): readonly string[] {
  return paths === undefined ? [] : typeof paths === 'string' ? [paths] : paths;
}

/** The scenario's files: from disk, standard input (`-`), several `-f` merged, or the built-in default. */
export function scenarioFiles(io: CliIo, paths: ScenarioPaths): { files: ScenarioFile[] } | { diagnostic: Diagnostic } {
  const list = scenarioPathList(paths);
  if (list.length === 0) return { files: [{ path: DEFAULT_SCENARIO_PATH, text: defaultScenarioText() }] };
  if (list.filter((p) => p === STDIN_PATH).length > 1) return { diagnostic: error('FILE_UNREADABLE', `${STDIN_NAME}: -f - given twice; standard input can be read once`) };
  const files: ScenarioFile[] = [];
  for (const path of list) {
    const read = onePathFiles(io, path);
    if ('diagnostic' in read) return read;
    files.push(...read.files);
  }
  return { files };
}

/** One `-f` path: a file, a folder, or standard input. */
function onePathFiles(io: CliIo, path: string): { files: ScenarioFile[] } | { diagnostic: Diagnostic } {
  if (path === STDIN_PATH) return stdinFiles(io);
  const read = readUserFile(io, path);
  if ('text' in read) return { files: [{ path, text: read.text }] };
  if (read.errno !== 'EISDIR' || io.readDir === undefined) return read;
  return folderFiles(io, path);
}

/** The scenario piped in on standard input, decoded as strict UTF-8 like a file. */
function stdinFiles(io: CliIo): { files: ScenarioFile[] } | { diagnostic: Diagnostic } {
  const r = readUserInput(io, STDIN_PATH);
  return 'text' in r ? { files: [{ path: r.name, text: r.text }] } : r;
}

/** Every .yaml, .yml and .json entry of a folder, in name order; an entry that is not a readable file is an error. */
function folderFiles(io: CliIo, dir: string): { files: ScenarioFile[] } | { diagnostic: Diagnostic } {
  let names: string[];
  try {
    names = io.readDir?.(dir).filter((n) => /\.(ya?ml|json)$/.test(n)).sort() ?? [];
  } catch (e) {
    return { diagnostic: error('FILE_UNREADABLE', `${dir}: cannot list the folder (${errnoCode(e) ?? 'unknown error'})`) };
  }
  if (names.length === 0) return { diagnostic: error('FILE_UNREADABLE', `${dir}: a directory with no .yaml, .yml or .json files`) };
  const files: ScenarioFile[] = [];
  for (const name of names) {
    const path = `${dir.replace(/\/$/, '')}/${name}`;
    // The folder listed it, so "no such file" means a symbolic link to nothing.
    const read = readUserFile(io, path, (code) => (code === 'ENOENT' ? 'a symbolic link to nothing?' : code === 'EISDIR' ? 'a folder among the scenario files' : undefined));
    if ('diagnostic' in read) return read;
    files.push({ path, text: read.text });
  }
  return { files };
}

/** Loads and validates a scenario, printing diagnostics (with source excerpts) to stderr. */
export function loadScenarioFor(io: CliIo, path: ScenarioPaths): ClusterSpec | undefined {
  const read = scenarioFiles(io, path);
  if ('diagnostic' in read) {
    io.stderr(formatDiagnostics([read.diagnostic]));
    return undefined;
  }
  // NETSIM_YAML_READER=library reads with yaml alone: the reference the fast reader is compared with.
  const parsed = loadScenario(read.files, { yamlReader: io.env['NETSIM_YAML_READER'] === 'library' ? 'library' : 'fast' });
  if (parsed.diagnostics.length > 0) {
    const texts = new Map(read.files.map((f) => [f.path, f.text]));
    io.stderr(formatDiagnostics(parsed.diagnostics, (f) => texts.get(f)));
  }
  return hasErrors(parsed.diagnostics) ? undefined : parsed.value;
}
