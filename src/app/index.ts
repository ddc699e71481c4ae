/**
 * Layer `app`: what the CLI and the playground both ask of the core, so neither copies the
 * other: build a scenario from its texts, resolve SRC and DST and trace them, draw the report,
 * show a namespace. Pure: no files, no process, no console; the callers own the I/O.
 *
 * May import every core layer (scenario, cluster, trace, render and below). Imported only by
 * `cli/` and `web/`.
 */
export * from './scenario.js';
export * from './trace.js';
export * from './show.js';
export * from './bgp.js';
export * from './get/index.js';
export * from './export.js';
export * from './matrix/index.js';
