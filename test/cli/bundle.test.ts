/**
 * The bundled CLI (scripts/build-cli.mjs, package.json's bin) as a user runs it: a real process
 * per command. Every other CLI test runs `runCli` in-process, so these check what only the
 * bundle can get wrong: a runtime asset it fails to carry or to find relative to itself
 * (Graphviz's wasm in its own chunk, the worker of `trace --batch --jobs N`, the playground's
 * folder), output that differs from the in-process run (and so from the goldens), and stack
 * traces mapped back to src/ under NETSIM_DEBUG. The bundle is built afresh from the sources
 * into a temporary folder laid out as dist/ is: `cli/` beside `web/`.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETSIM_VERSION } from '../../src/cli/version.js';
import { type CliRun, cli } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
let dir = '';
let bin = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netsim-bundle-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs'), join(dir, 'cli')], { cwd: ROOT, stdio: 'ignore' });
  bin = join(dir, 'cli/netsim.js');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The environment of the in-process runs (`cli` passes none): no COLUMNS, no NETSIM_*. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], ...extra };
  for (const k of ['LANG', 'LC_ALL', 'LANGUAGE']) if (process.env[k] !== undefined) env[k] = process.env[k];
  return env;
}

/** `netsim ARGV…` run from the bundle, from the repository's folder (so relative scenario paths hold). */
function run(argv: readonly string[], opts: { input?: string; env?: Record<string, string>; node?: readonly string[] } = {}): CliRun {
  const r = spawnSync(process.execPath, [...(opts.node ?? []), bin, ...argv], { cwd: ROOT, encoding: 'utf8', input: opts.input ?? '', env: plainEnv(opts.env), maxBuffer: 1 << 26, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the bundled netsim', () => {
  it('is what package.json names as its bin, and an executable script', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    expect(pkg.bin['netsim']).toBe('dist/cli/netsim.js');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/cli', 'dist/web']));
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(run(['--version'])).toEqual({ code: 0, stdout: `${NETSIM_VERSION}\n`, stderr: '' });
  });

  it.each([
    [['--help']],
    [['trace', '--help']],
    [['trace', 'pod-a', 'service-b']],
    [['trace', 'pod-a', 'service-b', '-o', 'json', '--all-paths']],
    [['validate', 'scenarios/default.yaml', 'scenarios/calico-ipip.yaml']],
    [['get', 'pods', '-o', 'wide', '-f', 'scenarios/calico-ipip.yaml']],
    [['show', 'node-1', 'routes']],
    [['iptables', 'node-1']],
    [['policy', 'matrix', '-f', 'scenarios/netpol-default-deny.yaml']],
    [['show', 'node-1', 'bgp', '-f', 'scenarios/calico-bgp-mesh.yaml']],
    [['diagram', '-o', 'dot', '--view', 'chains', 'node-1']],
    [['nosuchcommand']],
    [['trace', 'pod-a']],
    [['validate', 'test/errors/no-such-file.yaml']],
    [['serve', '--root', 'test/no-such-folder']],
    [['--get-yargs-completions', 'netsim', 'trace', 'po']],
    [['completion']],
  ])('netsim %j writes what the in-process CLI writes, byte for byte', async (argv) => {
    expect(run(argv)).toEqual(await cli(argv));
  }, 60_000);

  it('reads a scenario from standard input', async () => {
    const scenario = readFileSync(join(ROOT, 'scenarios/default.yaml'), 'utf8');
    expect(run(['validate', '-'], { input: scenario })).toEqual(await cli(['validate', '-'], {}, {}, scenario));
  });

  it('draws SVG with Graphviz-wasm, loaded from its own chunk on first use', async () => {
    const bundled = run(['diagram', '--trace', 'pod-a', 'service-b']);
    expect(bundled.code, bundled.stderr).toBe(0);
    expect(bundled.stdout).toContain('<svg');
    expect(bundled).toEqual(await cli(['diagram', '--trace', 'pod-a', 'service-b']));
  }, 60_000);

  it('traces a batch on two worker threads, the worker being its own bundled entry beside netsim.js', async () => {
    const flows = join(dir, 'flows.txt');
    writeFileSync(flows, 'pod-a service-b\npod-c b-1 --no-reply\nnobody b-1\npod-a b-1 --protocol udp\n'.repeat(30));
    const two = run(['trace', '--batch', flows, '--jobs', '2']);
    expect(two.code).toBe(1);
    expect(two.stdout.trimEnd().split('\n')).toHaveLength(120);
    expect(two).toEqual(await cli(['trace', '--batch', flows]));
  }, 120_000);

  it('serves the playground from the web/ folder beside its own', async () => {
    const web = join(dir, 'web');
    mkdirSync(web, { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>netsim</title>\n');
    writeFileSync(join(web, 'app.js'), 'export {};\n');
    const server: ChildProcess = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: dir, env: plainEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        server.stdout?.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /http:\/\/\S+\//.exec(out);
          if (m !== null) done(m[0]);
        });
        server.stderr?.on('data', (b: Buffer) => (out += b.toString()));
        server.on('exit', (code) => fail(new Error(`netsim serve exited ${String(code)}: ${out}`)));
      });
      expect(await (await fetch(url)).text()).toBe('<!doctype html><title>netsim</title>\n');
      expect(await (await fetch(`${url}app.js`)).text()).toBe('export {};\n');
    } finally {
      server.kill('SIGTERM');
    }
  }, 60_000);

  it("parses arguments the same whatever package.json the working directory holds (yargs reads its `yargs` key)", () => {
    const cwd = join(dir, 'project');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'package.json'), JSON.stringify({ yargs: { 'unknown-options-as-args': true, 'halt-at-non-option': true } }));
    // Which package.json files the process reads, on stderr.
    const spy = ['--import', `data:text/javascript,${encodeURIComponent("import fs from 'node:fs'; import { syncBuiltinESMExports } from 'node:module'; const read = fs.readFileSync; fs.readFileSync = function (p, ...a) { if (String(p).endsWith('package.json')) process.stderr.write('READ ' + p + '\\n'); return read.call(this, p, ...a); }; syncBuiltinESMExports();")}`];
    const r = spawnSync(process.execPath, [...spy, bin, 'trace', 'pod-a', 'service-b', '--bogus'], { cwd, encoding: 'utf8', env: plainEnv() });
    expect(r.stderr).not.toContain(join(cwd, 'package.json'));
    expect(r.stderr).toContain('Unknown argument: bogus');
    expect(r.status).toBe(2);
  });

  describe('an internal error', () => {
    // A bug stands in as a standard output that throws: runCli reports what it catches.
    const failingStdout = ['--import', 'data:text/javascript,process.stdout.write=()=>{throw new Error("boom")}'];

    it('is one line and a plea to report it, without a stack', () => {
      const r = run(['trace', 'pod-a', 'service-b'], { node: failingStdout });
      expect(r.code).toBe(70);
      expect(r.stderr).toBe('netsim: unexpected error: boom\nThis is a bug in netsim; please report it with the command you ran.\n');
    });

    it('under NETSIM_DEBUG prints the stack, its frames mapped to src/ by the source maps', () => {
      const r = run(['trace', 'pod-a', 'service-b'], { node: failingStdout, env: { NETSIM_DEBUG: '1' } });
      expect(r.code).toBe(70);
      expect(r.stderr).toMatch(/at .*src\/cli\/node-io\.ts:\d+:\d+\)/);
      expect(r.stderr).toMatch(/at runCli .*src\/cli\/run\.ts:\d+:\d+\)/);
      expect(r.stderr).not.toMatch(/dist\/|cli\/chunk-|cli\/main-/);
    });
  });
});
