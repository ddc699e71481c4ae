/** `netsim --version`, `netsim completion --help` and `netsim validate -`. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NETSIM_VERSION } from '../../src/cli/version.js';
import { cli } from '../helpers/cli.js';

describe('netsim --version', () => {
  it("prints package.json's version, compiled in", async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(NETSIM_VERSION).toBe(pkg.version);
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('netsim completion', () => {
  it('--help prints the command help, not the script', async () => {
    const run = await cli(['completion', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Print a bash/zsh completion script');
    expect(run.stdout).not.toContain('###-begin-netsim-completions-###');
  });

  it('prints the script, which asks netsim for completions', async () => {
    const run = await cli(['completion']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('###-begin-netsim-completions-###');
    expect(run.stdout).toContain('netsim --get-yargs-completions');
  });

  it('the main parser answers the script: every command, get among them, and no internal name', async () => {
    const run = await cli(['--get-yargs-completions', 'netsim', '']);
    const words = run.stdout.trim().split('\n');
    expect(words).toEqual(expect.arrayContaining(['trace', 'show', 'get', 'validate', 'completion']));
    expect(run.stdout).not.toContain('__completion');
  });

  it("completes get's kinds and -o formats", async () => {
    expect((await cli(['--get-yargs-completions', 'netsim', 'get', ''])).stdout.split('\n')).toEqual(expect.arrayContaining(['nodes', 'pods', 'services', 'endpointslices', 'svc']));
    expect((await cli(['--get-yargs-completions', 'netsim', 'get', 'pods', '-o', ''])).stdout).toBe('wide\njson\nyaml\n');
  });
});

describe('netsim validate -', () => {
  it('reads the scenario from standard input', async () => {
    const run = await cli(['validate', '-'], {}, {}, readFileSync('scenarios/default.yaml'));
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('<stdin>: ok (2 nodes, 6 pods, 3 services)\n');
    expect(run.code).toBe(0);
  });

  it('locates problems at <stdin>:line:col', async () => {
    const run = await cli(['validate', '-'], {}, {}, 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {nodeName: 7}\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/<stdin>:\d+:\d+/);
  });

  it('reports bytes that are not UTF-8', async () => {
    const run = await cli(['validate', '-'], {}, {}, new Uint8Array([0x6b, 0x69, 0xff, 0x0a]));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('FILE_NOT_UTF8');
  });

  it('-f - works for the other commands too', async () => {
    const run = await cli(['get', 'nodes', '-f', '-'], {}, {}, readFileSync('scenarios/default.yaml', 'utf8'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('node-2');
  });
});
