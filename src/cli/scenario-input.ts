/**
 * Reading a scenario for a command: `-f FILE` (multi-document YAML), `-f DIR` (every .yaml and
 * .yml file in it, in name order), or the built-in default scenario when no `-f` is given.
 */
import { type Diagnostic, error, hasErrors } from '../diag/diagnostic.js';
import type { ClusterSpec } from '../cluster/objects.js';
import { DEFAULT_SCENARIO_PATH, type ScenarioFile, defaultScenarioText, loadScenario } from '../scenario/index.js';
import { formatDiagnostics } from '../render/diagnostics.js';
import type { CliIo } from './io.js';

/** The scenario's files: from disk, or the built-in default. */
export function scenarioFiles(io: CliIo, path: string | undefined): { files: ScenarioFile[] } | { diagnostic: Diagnostic } {
  if (path === undefined) return { files: [{ path: DEFAULT_SCENARIO_PATH, text: defaultScenarioText() }] };
  try {
    return { files: [{ path, text: io.readFile(path) }] };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EISDIR' && io.readDir !== undefined) {
      const names = io.readDir(path).filter((n) => /\.ya?ml$/.test(n)).sort();
      if (names.length === 0) return { diagnostic: error('FILE_UNREADABLE', `${path}: a directory with no .yaml files`) };
      return { files: names.map((n) => ({ path: `${path.replace(/\/$/, '')}/${n}`, text: io.readFile(`${path.replace(/\/$/, '')}/${n}`) })) };
    }
    return { diagnostic: error('FILE_UNREADABLE', `${path}: ${code === 'ENOENT' ? 'no such file or directory' : 'cannot be read'}`) };
  }
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
