/** Loading and building the scenario a command works on (the composition root of the cluster). */
import { BUILTIN_CNI_PLUGINS } from '../cni/builtins.js';
import { createCniRegistry } from '../cni/registry.js';
import { type BuiltCluster, buildCluster } from '../cluster/build/build.js';
import { simContext } from '../sim/context.js';
import { formatDiagnostics } from './diagnostics.js';
import type { CliIo } from './io.js';
import { loadScenarioFor } from './scenario-input.js';

/** The CNI registry, built once here from the built-in plugins (no self-registration). */
const CNI_PLUGINS = createCniRegistry(BUILTIN_CNI_PLUGINS);

/** Loads, validates and builds the scenario; prints problems and returns undefined on errors. */
export function loadCluster(io: CliIo, path: string | undefined, seed = 1): BuiltCluster | undefined {
  const spec = loadScenarioFor(io, path);
  if (spec === undefined) return undefined;
  const built = buildCluster(spec, { cni: CNI_PLUGINS, ctx: simContext(seed) });
  if (built.diagnostics.length > 0) io.stderr(formatDiagnostics(built.diagnostics));
  return built.value;
}
