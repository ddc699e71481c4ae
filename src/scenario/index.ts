/**
 * Layer `scenario`: YAML scenario files → a validated `ClusterSpec`, with every problem located
 * at file:line:col; the built-in example; the JSON Schema editors use. Names and numbers are
 * judged by one layer, validate/, which holds Kubernetes' published rules (and the kernel's
 * for device names) as data; the read-*.ts readers only say which field follows which rule.
 *
 * May import `addr`, `diag` and `cluster`. Pure: the loader receives file texts, never reads
 * files. Invariants: never throws for any input; every diagnostic has a position inside the
 * text it is about; the same input always gives the same spec.
 */
export { loadScenario } from './load.js';
/** Loader input and YAML paths. */
export type { LoadOptions, ScenarioFile, YamlPath, YamlReader } from './source.js';
export { CLUSTER_DEFAULTS } from './read-cluster.js';
export { defaultScenarioText, defaultScenarioFiles, DEFAULT_SCENARIO_PATH } from './default.js';
export { scenarioJsonSchema } from './schema.js';
export { SCENARIO_CODES } from './codes.js';
/** The naming rules, for other inputs that name the same things (a CLI `--in` interface name). */
export { IFNAME_MAX_BYTES, obeys, ruleProblems, type RuleName } from './validate/index.js';
