/**
 * `netsim validate` on hostile 5 MB inputs (issue 9: each took more than 10 s) and on
 * well-formed ones of several shapes (bench/validate-shapes.ts, and scenarios/large.yaml), loader and
 * diagnostics printing together, as the CLI runs them. Each shape is also measured at half
 * the size: a ratio near 2 means linear, near 4 quadratic. Printed, never asserted: tests
 * count work instead of timing it (see src/render/diagnostics.test.ts, parse-yaml.test.ts).
 */
import { formatDiagnostics } from '../src/render/diagnostics.js';
import { loadScenario } from '../src/scenario/index.js';
import { readFileSync } from 'node:fs';
import { type Measure, measure } from './measure.js';
import { VALID_SHAPES } from './validate-shapes.js';

const MB = 1024 * 1024;

/** Shapes of input, each built to about `bytes`. */
export const HOSTILE_SHAPES: Readonly<Record<string, (bytes: number) => string>> = {
  'one mapping, unclosed quote at the end': (bytes) => `${fill(bytes, (i) => `k${i}: value ${i}\n`)}last: "open\n`,
  '`---` separators': (bytes) => '---\n'.repeat(Math.floor(bytes / 4)),
  'one flow mapping on one line': (bytes) => `a: {${fill(bytes, (i) => `x${i}: 1, `)}}\n`,
  'unknown fields (a diagnostic each)': (bytes) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${fill(bytes, (i) => `  f${i}: 1\n`)}`,
  'Pods with fixed IPs on one node': (bytes) => CLUSTER + fill(bytes, (i) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {nodeName: n1, containers: [{name: c}]}\nstatus: {podIP: 10.0.${(i >> 8) & 255}.${i & 255}}\n`),
  'Services': (bytes) => CLUSTER + fill(bytes, (i) => `---\napiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec: {ports: [{port: 80}]}\n`),
};

/** One node with a /16 of pod addresses, so that tens of thousands of pods fit. */
const CLUSTER = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  clusterCIDR: 10.0.0.0/8\n  nodeCIDRMaskSize: 16\n  serviceCIDR: 172.16.0.0/12\n  nodeNetwork: 192.168.0.0/16\n  nodes: [{name: n1}]\n';

function fill(bytes: number, piece: (i: number) => string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const p = piece(i);
    parts.push(p);
    size += p.length;
  }
  return parts.join('');
}

function validate(text: string): number {
  const { diagnostics } = loadScenario([{ path: 'big.yaml', text }]);
  return formatDiagnostics(diagnostics, () => text).length;
}

/** Validate time at 5 MB for each shape (hostile and well-formed), the ratio 5 MB / 2.5 MB, and scenarios/large.yaml. */
export function benchScenarioSize(): Measure[] {
  // As the CLI does (src/cli/main.ts): yaml's parser reads process.env once per token.
  process.env = { ...process.env };
  const large = readFileSync(new URL('../../scenarios/large.yaml', import.meta.url), 'utf8');
  return [...Object.entries({ ...HOSTILE_SHAPES, ...VALID_SHAPES }).flatMap(([name, make]) => {
    const full = make(5 * MB);
    const half = make(2.5 * MB);
    const a = measure(`validate 5 MB: ${name}`, 1, () => validate(full), { unit: 'ms' });
    const b = measure(`validate 2.5 MB: ${name}`, 1, () => validate(half), { unit: 'ms' });
    return [a, { name: `growth 2.5 → 5 MB: ${name} (2 = linear)`, value: a.value / Math.max(b.value, 1e-9), unit: '×' }];
  }), measure('validate scenarios/large.yaml (5 MB: 5,000 nodes, 10,000 Deployments expanded to 150,000 pods)', 1, () => validate(large), { unit: 'ms' })];
}
