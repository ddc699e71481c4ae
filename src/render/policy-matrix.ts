/**
 * `netsim policy matrix` as text and JSON. Text is the upstream e2e truth table
 * (truth-table.ts), then, when the datapath and the evaluator disagree, one line per
 * disagreement. JSON is `netsim.policy-matrix/v1` (docs/netpol.md, "The matrix"): the port and
 * protocol, the pods, one object per cell (sources in the outer order), the disagreements and
 * the scenario's warnings.
 */
import type { Diagnostic } from '../diag/diagnostic.js';
import { warningJson } from './trace-json.js';
import { formatTruthTable } from './truth-table.js';

/** Version of the `netsim policy matrix` JSON. */
export const POLICY_MATRIX_SCHEMA = 'netsim.policy-matrix/v1';

/** One cell as shown. */
export interface MatrixCellJson {
  readonly from: string;
  readonly to: string;
  readonly allowed: boolean;
  readonly disposition: string;
  readonly policy: string | null;
}

/** A cell where the datapath and what it should do differ. */
export interface DisagreementJson {
  readonly from: string;
  readonly to: string;
  readonly datapath: boolean;
  readonly expected: boolean;
  readonly disposition: string;
  readonly reason: string;
}

/** What the outputs show. `cell(i, j)` is asked lazily, so a million cells are never all held as objects. */
export interface MatrixView {
  readonly protocol: string;
  readonly port: number;
  readonly enforcer: string;
  readonly pods: readonly string[];
  readonly cell: (from: number, to: number) => MatrixCellJson;
  readonly disagreements: readonly DisagreementJson[];
}

/** The truth table, then the disagreements (none: nothing after the table). */
export function matrixText(v: MatrixView): string {
  const cells = v.pods.map((_, i) => v.pods.map((__, j) => v.cell(i, j).allowed));
  return formatTruthTable({ pods: v.pods, cells }) + disagreementsText(v.disagreements);
}

/** `internal inconsistency: …` lines, one per disagreeing cell. */
export function disagreementsText(list: readonly DisagreementJson[]): string {
  return list.map((d) => `internal inconsistency: ${d.from} → ${d.to}: the datapath ${d.datapath ? 'delivered' : `blocked (${d.disposition})`}, the evaluator expected ${d.expected ? 'allowed' : 'blocked'}: ${d.reason}\n`).join('');
}

/** The JSON document, one cell per line so a diff shows which cells changed. */
export function matrixJson(v: MatrixView, warnings: readonly Diagnostic[] = []): string {
  const cells = v.pods.flatMap((_, i) => v.pods.map((__, j) => `    ${JSON.stringify(v.cell(i, j))}`));
  const head = { schema: POLICY_MATRIX_SCHEMA, port: v.port, protocol: v.protocol, enforcer: v.enforcer, pods: v.pods };
  const headText = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  const tail = JSON.stringify({ disagreements: v.disagreements, ...(warnings.length > 0 ? { warnings: warnings.map(warningJson) } : {}) }, null, 2).replace(/^{\n/, '');
  return `${headText},\n  "cells": [\n${cells.join(',\n')}\n  ],\n${tail}\n`;
}
