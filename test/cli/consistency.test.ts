/** CLI consistency (issue 16): -o FORMAT / --out FILE, repeatable -f, JSON manifests, name completion. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netsim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI and keeps what it wrote to files. */
async function runWriting(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string; written: Record<string, string> }> {
  let stdout = '';
  let stderr = '';
  const written: Record<string, string> = {};
  const code = await runCli(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    readFile: (p) => readFileSync(p, 'utf8'),
    writeFile: (p, d) => (written[p] = typeof d === 'string' ? d : new TextDecoder().decode(d)),
    isTTY: false,
    env: {},
  });
  return { code, stdout, stderr, written };
}

describe('-o FORMAT and --out FILE', () => {
  it('diagram -o dot prints DOT on stdout and writes no file named dot', async () => {
    const r = await runWriting(['diagram', '-o', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^(strict )?(di)?graph /);
    expect(r.written).toEqual({});
    expect(r.stderr).toBe('');
  });
  it('diagram -o svg prints SVG (it used to write a file named svg)', async () => {
    const r = await runWriting(['diagram', '-o', 'svg']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<svg');
    expect(r.written).toEqual({});
  });
  it('diagram --out FILE writes the file, its extension picking the format', async () => {
    const r = await runWriting(['diagram', '--out', 'x.dot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.written['x.dot']).toMatch(/graph /);
  });
  it('diagram -o dot --out FILE: the format from -o, the file from --out', async () => {
    const r = await runWriting(['diagram', '-o', 'dot', '--out', 'x.txt']);
    expect(r.written['x.txt']).toMatch(/graph /);
  });
  it('the old diagram -o FILE still writes FILE, with a deprecation note on stderr', async () => {
    const r = await runWriting(['diagram', '-o', 'old.dot']);
    expect(r.code).toBe(0);
    expect(r.written['old.dot']).toMatch(/graph /);
    expect(r.stderr).toBe('netsim diagram: -o old.dot: -o FILE is deprecated; -o names the format (svg, dot, html, png, pdf) and --out the file: use --out old.dot\n');
  });
  it.each([
    [['trace', 'pod-a', 'service-b', '-o', 'json']],
    [['show', 'node-1', 'route']],
    [['get', 'pods', '-o', 'wide']],
  ])('%j --out FILE writes what stdout would have shown', async (argv) => {
    const plain = await runWriting(argv);
    const toFile = await runWriting([...argv, '--out', 'o.txt']);
    expect(toFile.code).toBe(plain.code);
    expect(toFile.stdout).toBe('');
    expect(toFile.written['o.txt']).toBe(plain.stdout);
  });
  it('a command that fails writes no --out file', async () => {
    const r = await runWriting(['show', 'no-such-node', 'route', '--out', 'o.txt']);
    expect(r.code).toBe(2);
    expect(r.written).toEqual({});
  });
  it('iptables trace keeps --out as the outgoing interface', async () => {
    const r = await cli(['iptables', 'trace', '--rules', 'r', '--src', '10.0.0.1', '--dst', '10.0.0.2', '--out', 'eth1'], { r: '*filter\n:FORWARD DROP [0:0]\n-A FORWARD -o eth1 -j ACCEPT\nCOMMIT\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ACCEPT');
  });
});

const NODES = `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: { name: t }
spec: { cni: { type: bridge } }
---
apiVersion: v1
kind: Node
metadata: { name: node-1 }
`;

describe('-f repeated, JSON manifests and kind: List', () => {
  const nodes = join(dir, 'nodes.yaml');
  const pods = join(dir, 'pods.json');
  writeFileSync(nodes, NODES);
  const pod = (name: string): object => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] } });
  writeFileSync(pods, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod('web'), pod('db')] }, null, 2));
  const folder = mkdtempSync(join(dir, 'folder-'));
  writeFileSync(join(folder, 'a.json'), JSON.stringify(pod('api')));
  writeFileSync(join(folder, 'ignored.txt'), 'not a manifest');

  it('merges several -f (a YAML file and a JSON List) into one scenario', async () => {
    const r = await cli(['get', 'pods', '-f', nodes, '-f', pods]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^NAME +READY/);
    expect(r.stdout).toContain('web');
    expect(r.stdout).toContain('db');
  });
  it('reads .json files from a folder given with -f, beside a file', async () => {
    const r = await cli(['get', 'pods', '-f', nodes, '-f', folder]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('api');
  });
  it('validate takes several files and names them', async () => {
    const r = await cli(['validate', nodes, pods]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${nodes} + ${pods}: ok (1 nodes, 4 pods, 2 services)\n`);
  });
  it('validate - reads standard input, merged with a file', async () => {
    const r = await cli(['validate', nodes, '-'], {}, {}, JSON.stringify(pod('from-stdin')));
    expect(r.stdout).toBe(`${nodes} + <stdin>: ok (1 nodes, 3 pods, 2 services)\n`);
  });
  it('refuses -f - twice', async () => {
    const r = await cli(['get', 'pods', '-f', '-', '-f', '-']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('-f - given twice');
  });
  it('a missing file among several is named', async () => {
    const r = await cli(['get', 'pods', '-f', nodes, '-f', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nope.yaml: no such file or directory');
  });
});

describe('completion of names from the scenario', () => {
  const complete = async (...words: string[]): Promise<string[]> => (await cli(['--get-yargs-completions', 'netsim', ...words])).stdout.split('\n').filter((l) => l !== '');
  it('completes trace sources with pods and nodes of the built-in scenario', async () => {
    expect(await complete('trace', 'pod-')).toEqual(expect.arrayContaining(['pod-a', 'pod-c']));
    expect(await complete('trace', 'node-')).toEqual(expect.arrayContaining(['node-1']));
  });
  it('completes trace destinations with Services too', async () => {
    expect(await complete('trace', 'pod-a', 'serv')).toEqual(expect.arrayContaining(['service-b']));
  });
  it('takes the names from the scenario given with -f', async () => {
    const names = await complete('trace', '-f', 'scenarios/flannel-vxlan.yaml', '');
    expect(names).toEqual(expect.arrayContaining(['node-1']));
    expect(names).not.toContain('service-b');
  });
  it('completes show NAME but not its section with names', async () => {
    expect(await complete('show', 'no')).toEqual(expect.arrayContaining(['node-1']));
    expect(await complete('show', 'node-1', 'no')).not.toContain('node-1');
  });
  it('offers no names after an option that takes a value', async () => {
    expect(await complete('trace', 'pod-a', 'service-b', '--port', '')).not.toContain('pod-a');
  });
});
