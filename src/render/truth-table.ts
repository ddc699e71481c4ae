/**
 * The reachability truth table as the upstream NetworkPolicy e2e tests print it
 * (test/e2e/network/netpol/truthtable.go, `TruthTable.PrettyPrint`): a header row starting with
 * `-`, then one row per source pod; cells are tab-separated, `.` for connected, `X` for
 * blocked. Sources are rows, destinations columns. Output is diffable against e2e logs.
 */

/** A square table of pods (`ns/name`) and whether each `[from][to]` connects. */
export interface TruthTable {
  readonly pods: readonly string[];
  readonly cells: readonly (readonly boolean[])[];
}

/** The table, one line per row, each ending in a newline. */
export function formatTruthTable(t: TruthTable): string {
  const header = ['-', ...t.pods].join('\t');
  const rows = t.pods.map((from, i) => [from, ...(t.cells[i] ?? []).map((c) => (c ? '.' : 'X'))].join('\t'));
  return `${[header, ...rows].join('\n')}\n`;
}
