/**
 * The upstream NetworkPolicy e2e cases (test/helpers/netpol-e2e-cases.ts) through the DATAPATH:
 * each case as a scenario, `netsim policy matrix -o json` on it, every off-diagonal cell
 * compared with the table upstream expects (loopback ignored, as upstream's ignoreLoopback).
 *
 * - On a bridge cluster with `enforcer: none`, nothing enforces: every cell is delivered, and
 *   the matrix compares against "not enforced" (no disagreement, exit 0, SCN_NETPOL_NOT_ENFORCED).
 * - With an enforcer — Felix on a Calico cluster, kube-router on a bridge or a flannel cluster —
 *   the cells must be upstream's, cell for cell, and agree with the evaluator. Each enforcer's
 *   cases run once the datapath applies its rules (no SCN_NETPOL_NOT_SIMULATED).
 */
import { describe, expect, it } from 'vitest';
import { loadAndBuild } from '../../src/app/scenario.js';
import { CASES } from '../helpers/netpol-e2e-cases.js';
import { parseTable } from '../helpers/netpol.js';
import { e2eScenarioYaml } from '../helpers/netpol-scenario.js';
import { cli } from '../helpers/cli.js';

interface MatrixDoc {
  readonly pods: string[];
  readonly cells: { from: string; to: string; allowed: boolean; disposition: string }[];
  readonly disagreements: unknown[];
  readonly warnings?: { code: string }[];
}

async function matrix(yaml: string, protocol: string, port: number): Promise<{ code: number; doc: MatrixDoc; stderr: string }> {
  const r = await cli(['policy', 'matrix', '-f', 'e2e.yaml', '--protocol', protocol, '--port', String(port), '-o', 'json'], { 'e2e.yaml': yaml });
  return { code: r.code, doc: JSON.parse(r.stdout) as MatrixDoc, stderr: r.stderr };
}

/** The off-diagonal cells as `from>to` → allowed. */
function cellsOf(doc: MatrixDoc): Map<string, boolean> {
  return new Map(doc.cells.filter((c) => c.from !== c.to).map((c) => [`${c.from}>${c.to}`, c.allowed]));
}

function expectedCells(table: string): Map<string, boolean> {
  const t = parseTable(table);
  const out = new Map<string, boolean>();
  t.pods.forEach((from, i) => t.pods.forEach((to, j) => (i === j ? undefined : out.set(`${from}>${to}`, t.cells[i]?.[j] === true))));
  return out;
}

const ENFORCED = [
  { name: 'Calico (Felix)', cni: '{type: calico}' },
  { name: 'bridge with kube-router', cni: '{type: bridge}', enforcer: 'kube-router' },
  { name: 'flannel vxlan with kube-router', cni: '{type: flannel, backend: vxlan}', enforcer: 'kube-router' },
] as const;

/** Whether the datapath applies this enforcer's rules (the scenario does not warn SCN_NETPOL_NOT_SIMULATED). */
function simulated(e: (typeof ENFORCED)[number]): boolean {
  const c = CASES[0];
  if (c === undefined) return false;
  const built = loadAndBuild([{ path: 'e2e.yaml', text: e2eScenarioYaml({ ...c, ...e }) }]);
  return built.built !== undefined && !built.diagnostics.some((d) => d.code === 'SCN_NETPOL_NOT_SIMULATED');
}

describe('upstream e2e cases through the datapath matrix, nothing enforcing (bridge, enforcer none)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const yaml = e2eScenarioYaml(c);
    for (const [protocol, port] of c.checks) {
      const { code, doc, stderr } = await matrix(yaml, protocol, port);
      expect(code, stderr).toBe(0);
      expect(doc.disagreements).toEqual([]);
      expect(doc.cells.every((x) => x.allowed && x.disposition === 'DELIVERED')).toBe(true);
      expect(doc.warnings?.map((w) => w.code)).toContain('SCN_NETPOL_NOT_ENFORCED');
    }
  });
});

describe.each(ENFORCED.filter(simulated))('upstream e2e cases through the datapath matrix on $name', (e) => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const yaml = e2eScenarioYaml({ ...c, ...e });
    for (const [protocol, port, table] of c.checks) {
      const { code, doc, stderr } = await matrix(yaml, protocol, port);
      expect(doc.pods).toEqual(parseTable(table).pods);
      expect(Object.fromEntries(cellsOf(doc)), `${protocol} ${port}`).toEqual(Object.fromEntries(expectedCells(table)));
      expect(doc.disagreements, stderr).toEqual([]);
      expect(code).toBe(0);
    }
  });
});

it('every enforcer is simulated', () => {
  expect(ENFORCED.filter((e) => !simulated(e)).map((e) => e.name)).toEqual([]);
});
