/**
 * The SVG `netsim diagram` prints for every scenario is well-formed XML and names every node,
 * pod and Service of the scenario; the HTML report is one page with its picture inline.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scenarioNames } from '../golden/dot/scenario-names.js';
import { xmlProblems } from './xml.js';
import { goldenScenarios } from '../helpers/scenarios.js';

/** Graphviz writes `-` in text and attributes as `&#45;`; compare what a browser would read. */
function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)));
}

const SCENARIOS = goldenScenarios();

describe.each(SCENARIOS)('SVG of %s', (file) => {
  const path = `scenarios/${file}`;
  const names = scenarioNames(readFileSync(path, 'utf8'));

  it('is well-formed and shows every node, pod and Service', async () => {
    const r = await cli(['diagram', '-f', path]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('<svg');
    expect(xmlProblems(r.stdout)).toEqual([]);
    const text = decodeEntities(r.stdout);
    for (const name of [...names.nodes.map((n) => `node ${n}`), ...names.pods, ...names.services]) expect(text, name).toContain(name);
  });

  it.each(names.nodes)('node and chains views of %s are well-formed', async (node) => {
    for (const view of ['node', 'chains']) {
      const r = await cli(['diagram', '-f', path, '--view', view, node]);
      expect(r.code, r.stderr).toBe(0);
      expect(xmlProblems(r.stdout), `${view} ${node}`).toEqual([]);
    }
  });
});

describe('docs/img', () => {
  // The pictures in docs/diagrams.md are goldens too, so they cannot rot (`-u` regenerates them).
  it('default-cluster.svg is what netsim diagram draws', async () => {
    await expect((await cli(['diagram'])).stdout).toMatchFileSnapshot('../../docs/img/default-cluster.svg');
  });
  it('trace-pod-a-service-b.svg is what netsim diagram --trace pod-a service-b draws', async () => {
    await expect((await cli(['diagram', '--trace', 'pod-a', 'service-b'])).stdout).toMatchFileSnapshot('../../docs/img/trace-pod-a-service-b.svg');
  });
});

describe('xmlProblems', () => {
  it.each([
    ['<a><b></a>', '</a> at 6 closes <b>'],
    ['<a x=1/>', 'bad attributes at 0: x=1'],
    ['<a>&nbsp;</a>', 'bad entity at 3: &nbsp;</a>'],
  ])('%s', (text, want) => expect(xmlProblems(text)).toEqual([want]));
});

describe('diagram command', () => {
  it('writes the trace report with -o and the format from the extension', async () => {
    const written: Record<string, string | Uint8Array> = {};
    const { runCli } = await import('../../src/cli/run.js');
    const code = await runCli(['diagram', '--trace', 'pod-a', 'service-b', '-o', 'out/report.html'], {
      stdout: () => undefined,
      stderr: () => undefined,
      readFile: (p) => readFileSync(p, 'utf8'),
      writeFile: (p, d) => (written[p] = d),
      isTTY: false,
      env: {},
    });
    expect(code).toBe(0);
    const page = String(written['out/report.html']);
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']https?:/);
  });

  it('netsim trace -o html prints the same kind of report', async () => {
    const r = await cli(['trace', 'pod-a', 'service-b', '-o', 'html']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('data-hop="f1"');
    expect(decodeEntities(r.stdout)).toContain('class="edge trace-edge hop-f1"');
  });

  it('PNG without a system dot (or without -o) is a usage error', async () => {
    const r = await cli(['diagram', '--format', 'png']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-o FILE');
  });

  it.skipIf(spawnSync('dot', ['-V']).error === undefined)('PNG without a system dot says to install Graphviz, exit 2', async () => {
    const { runCli } = await import('../../src/cli/run.js');
    let stderr = '';
    const code = await runCli(['diagram', '-o', 'x.png'], { stdout: () => undefined, stderr: (s) => (stderr += s), readFile: (p) => readFileSync(p, 'utf8'), writeFile: () => undefined, isTTY: false, env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain("needs Graphviz's dot program");
  });

  it('rejects an unknown view and node', async () => {
    expect((await cli(['diagram', '--view', 'galaxy'])).code).toBe(2);
    const r = await cli(['diagram', '--view', 'node', 'node-9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no node called node-9');
  });
});
