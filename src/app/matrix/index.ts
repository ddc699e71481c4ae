/**
 * `netsim policy matrix` and `netsim policy explain`: the reachability matrix traced through the
 * datapath and checked against the evaluator, and one connection's policies with the smallest
 * change that would let it through.
 */
export { type ClassedPod, type PodClasses, groupByKey, podClasses, policyBlocks, situationKey } from './classes.js';
export { type DatapathCell, type MatrixWorld, matrixWorld, podNetns, traceCell } from './datapath.js';
export { type Decider, deciderOf, evaluatorPolicy, policyNote } from './decider.js';
export { type Disagreement, type MatrixCell, type MatrixOptions, type MatrixRequest, type PolicyMatrixRun, expectedAt, matrixCell, matrixPods, runPolicyMatrix } from './run.js';
export { matrixView, policyMatrixHtml, policyMatrixJson, policyMatrixText } from './show.js';
export { type Progress, type SharedTable, cellByCellTable, cellOf, groupedCount, groupedTable } from './table.js';
export { type ExplainRequest, explainPolicy, ruleYaml } from './explain.js';
