/** From scenario texts to a built cluster: the composition root of the CNI plugins. */
import { BUILTIN_CNI_PLUGINS } from '../cni/builtins.js';
import { createCniRegistry } from '../cni/registry.js';
import { type BuildOptions, type BuiltCluster, buildCluster } from '../cluster/assemble/cluster.js';
import { type Diagnostic, hasErrors } from '../diag/diagnostic.js';
import type { ClusterSpec } from '../cluster/objects.js';
import { type ScenarioFile, loadScenario } from '../scenario/index.js';
import { simContext } from '../sim/context.js';

/** The CNI registry, built once here from the built-in plugins (no self-registration). */
const CNI_PLUGINS = createCniRegistry(BUILTIN_CNI_PLUGINS);

/** A scenario loaded and built: the cluster when nothing was fatal, and every diagnostic. */
export interface LoadedScenario {
  readonly built: BuiltCluster | undefined;
  /** Problems of the scenario text (located in `files`) and of the build, in that order. */
  readonly diagnostics: readonly Diagnostic[];
  /** What `check` found wrong with the loaded scenario's objects before the build (the build did not run). */
  readonly problem?: string;
}

/** Failures to apply while building, and the moment to show (`--fail`). */
export type WhatIf = Pick<BuildOptions, 'failures' | 'moment'>;

/**
 * Validates the scenario files and builds the cluster as kubelet, the CNI plugin and
 * kube-proxy would leave it (`seed` drives every random choice made while building).
 */
export function loadAndBuild(files: readonly ScenarioFile[], seed = 1, whatIf: WhatIf = {}, check?: (spec: ClusterSpec) => string | undefined): LoadedScenario {
  const parsed = loadScenario(files);
  if (hasErrors(parsed.diagnostics) || parsed.value === undefined) return { built: undefined, diagnostics: parsed.diagnostics };
  const problem = check?.(parsed.value);
  if (problem !== undefined) return { built: undefined, diagnostics: parsed.diagnostics, problem };
  const built = buildCluster(parsed.value, { cni: CNI_PLUGINS, ctx: simContext(seed), ...whatIf });
  return { built: built.value, diagnostics: [...parsed.diagnostics, ...built.diagnostics] };
}
