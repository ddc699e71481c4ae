/** The computed matrix in the three forms `netsim policy matrix -o text|json|html` prints. */
import type { Diagnostic } from '../../diag/diagnostic.js';
import { matrixPageHtml } from '../../render/html/index.js';
import { type MatrixView, disagreementsText, matrixJson, matrixText } from '../../render/policy-matrix.js';
import { traceText } from '../../render/trace-text.js';
import { type PolicyMatrixRun, expectedAt, matrixCell } from './run.js';

/** The run as the renderers read it. */
export function matrixView(run: PolicyMatrixRun): MatrixView {
  return { protocol: run.protocol, port: run.port, enforcer: run.enforcer, pods: run.names, cell: (i, j) => matrixCell(run, i, j), disagreements: run.disagreements };
}

/** `-o text`: the truth table, then any disagreement. */
export function policyMatrixText(run: PolicyMatrixRun): string {
  return matrixText(matrixView(run));
}

/** `-o json`: netsim.policy-matrix/v1, with the scenario's warnings. */
export function policyMatrixJson(run: PolicyMatrixRun, warnings: readonly Diagnostic[] = []): string {
  return matrixJson(matrixView(run), warnings);
}

/** `-o html`: the grid, each cell opening the trace of the pair that was traced for it. */
export function policyMatrixHtml(run: PolicyMatrixRun, warnings: readonly Diagnostic[] = []): string {
  const t = run.datapath;
  const traces = t.results.map((r, k) => {
    const [i, j] = t.pairs[k] ?? [0, 0];
    return { header: `traced ${run.names[i] ?? ''} → ${run.names[j] ?? ''}: ${run.protocol} ${run.port} (cells of the same policy situation share this trace)`, text: traceText(r.trace) };
  });
  const notes = [...warnings.map((w) => `warning[${w.code}]: ${w.message}`), ...disagreementsText(run.disagreements).split('\n').filter((l) => l !== '')];
  return matrixPageHtml({
    title: `policy matrix: ${run.protocol} ${run.port}, ${run.names.length} pods, enforcer ${run.enforcer}`,
    pods: run.names,
    cell: (i, j) => {
      const c = matrixCell(run, i, j);
      return { allowed: c.allowed, trace: t.index[i * t.n + j] ?? 0, policy: c.policy, disagrees: i !== j && c.allowed !== expectedAt(run, i, j) };
    },
    traces,
    notes,
  });
}
