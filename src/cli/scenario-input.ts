/**
 * Reading a scenario for a command: `-f FILE` (multi-document YAML), `-f DIR` (every .yaml and
 * .yml file in it, in name order), or the built-in default scenario when no `-f` is given.
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

/** The scenario's files: from disk, standard input (`-`), or the built-in default. */
export function scenarioFiles(io: CliIo, path: string | undefined): { files: ScenarioFile[] } | { diagnostic: Diagnostic } {
  if (path === undefined) return { files: [{ path: DEFAULT_SCENARIO_PATH, text: defaultScenarioText() }] };
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

/** Every .yaml and .yml entry of a folder, in name order; an entry that is not a readable file is an error. */
function folderFiles(io: CliIo, dir: string): { files: ScenarioFile[] } | { diagnostic: Diagnostic } {
  let names: string[];
  try {
    names = io.readDir?.(dir).filter((n) => /\.ya?ml$/.test(n)).sort() ?? [];
  } catch (e) {
    return { diagnostic: error('FILE_UNREADABLE', `${dir}: cannot list the folder (${errnoCode(e) ?? 'unknown error'})`) };
  }
  if (names.length === 0) return { diagnostic: error('FILE_UNREADABLE', `${dir}: a directory with no .yaml files`) };
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
export function loadScenarioFor(io: CliIo, path: string | undefined): ClusterSpec | undefined {
  const read = scenarioFiles(io, path);
  if ('diagnostic' in read) {
    io.stderr(formatDiagnostics([read.diagnostic]));
    return undefined;
  }
  const parsed = loadScenario(read.files);
  if (parsed.diagnostics.length > 0) {
    const texts = new Map(read.files.map((f) => [f.path, f.text]));
    io.stderr(formatDiagnostics(parsed.diagnostics, (f) => texts.get(f)));
  }
  return hasErrors(parsed.diagnostics) ? undefined : parsed.value;
}
