/** Loading and building the scenario a command works on, with its problems printed. */
import { loadAndBuild } from '../app/scenario.js';
import { type GetView, getView } from '../app/get/index.js';
import { hasErrors } from '../diag/diagnostic.js';
import { loadScenario } from '../scenario/index.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import type { ClusterSpec } from '../cluster/objects.js';
import type { ScenarioFile } from '../scenario/index.js';
import { formatDiagnostics } from '../render/diagnostics.js';
import type { CliIo } from './io.js';
import { type ScenarioPaths, scenarioFiles } from './scenario-input.js';

/** Loads, validates and builds the scenario; prints problems and returns undefined on errors. */
export function loadCluster(io: CliIo, path: ScenarioPaths, seed = 1): BuiltCluster | undefined {
  return loadClusterWithWarnings(io, path, seed)?.built;
}

/** {@link loadCluster}, also returning the warnings that were printed (for `trace -o json`). */
export function loadClusterWithWarnings(io: CliIo, path: ScenarioPaths, seed = 1): LoadedCluster | undefined {
  const loaded = loadClusterChecked(io, path, seed);
  return loaded === undefined || 'problem' in loaded ? undefined : loaded;
}

/** A built scenario, the warnings printed while loading and building it, and its files. */
export interface LoadedCluster {
  readonly built: BuiltCluster;
  readonly warnings: readonly Diagnostic[];
  readonly files: readonly ScenarioFile[];
}

/**
 * {@link loadClusterWithWarnings}, with `check` run on the loaded scenario before the build: what
 * it finds comes back as `problem` (the load's diagnostics printed, the cluster not built).
 */
export function loadClusterChecked(io: CliIo, path: ScenarioPaths, seed = 1, check?: (spec: ClusterSpec) => string | undefined): LoadedCluster | { readonly problem: string } | undefined {
  const read = scenarioFiles(io, path);
  if ('diagnostic' in read) {
    io.stderr(formatDiagnostics([read.diagnostic]));
    return undefined;
  }
  const loaded = loadAndBuild(read.files, seed, {}, check);
  printLoadDiagnostics(io, read.files, loaded.diagnostics);
  if (loaded.problem !== undefined) return { problem: loaded.problem };
  return loaded.built === undefined ? undefined : { built: loaded.built, warnings: loaded.diagnostics.filter((d) => d.severity === 'warning'), files: read.files };
}

/** Prints a load's diagnostics (if any) with the lines of `files` they point at. */
export function printLoadDiagnostics(io: CliIo, files: readonly ScenarioFile[], diagnostics: readonly Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  const texts = new Map(files.map((f) => [f.path, f.text]));
  io.stderr(formatDiagnostics(diagnostics, (f) => texts.get(f)));
}

/**
 * What `netsim get` lists: the scenario's address plan where it decides everything get prints
 * (bridge, flannel: app/get/plan.ts), else the built cluster. Problems are printed; undefined on errors.
 */
export function loadGetView(io: CliIo, path: string | undefined): GetView | undefined {
  const read = scenarioFiles(io, path);
  if ('diagnostic' in read) {
    io.stderr(formatDiagnostics([read.diagnostic]));
    return undefined;
  }
  const parsed = loadScenario(read.files);
  const planned = hasErrors(parsed.diagnostics) || parsed.value === undefined ? undefined : getView(parsed.value);
  if (planned === undefined) return loadCluster(io, path);
  if (parsed.diagnostics.length > 0) {
    const texts = new Map(read.files.map((f) => [f.path, f.text]));
    io.stderr(formatDiagnostics(parsed.diagnostics, (f) => texts.get(f)));
  }
  return planned;
}
