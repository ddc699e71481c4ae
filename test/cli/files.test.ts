import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeIo } from '../../src/cli/node-io.js';
import { runCli } from '../../src/cli/run.js';

const root = mkdtempSync(join(tmpdir(), 'netsim-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const scenario = readFileSync(join(import.meta.dirname, '../../scenarios/default.yaml'), 'utf8');

/** Runs the CLI on the real file system with captured streams. */
async function run(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { ...nodeIo(), stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, env: {} });
  return { code, stdout, stderr };
}

function folder(name: string, entries: (dir: string) => void): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.yaml'), scenario);
  entries(dir);
  return dir;
}

describe('scenario folders with entries that are not files', () => {
  it('a folder named b.yaml: one line with the path and FILE_UNREADABLE', async () => {
    const dir = folder('with-dir', (d) => mkdirSync(join(d, 'b.yaml')));
    const r = await run(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`netsim: error[FILE_UNREADABLE]: ${dir}/b.yaml: is a directory (a folder among the scenario files)\n`);
  });

  it('a dangling symbolic link: one line with the path and FILE_UNREADABLE', async () => {
    const dir = folder('with-link', (d) => symlinkSync(join(d, 'missing.txt'), join(d, 'c.yaml')));
    const r = await run(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`netsim: error[FILE_UNREADABLE]: ${dir}/c.yaml: no such file or directory (a symbolic link to nothing?)\n`);
  });
});

describe('files that are not UTF-8', () => {
  it('reports FILE_NOT_UTF8 at the line and column of the first bad byte', async () => {
    const path = join(root, 'latin1.yaml');
    writeFileSync(path, Buffer.concat([Buffer.from(`${scenario}# caf`), Buffer.from([0xe9]), Buffer.from('\n')]));
    const r = await run(['validate', path]);
    expect(r.code).toBe(1);
    const line = scenario.split('\n').length;
    expect(r.stderr).toContain(`${path}:${line}:6: error[FILE_NOT_UTF8]: byte 0xE9 is not UTF-8`);
  });
});

describe('diagram --out', () => {
  it('into a missing folder: FILE_UNWRITABLE, nothing written', async () => {
    const out = join(root, 'nowhere', 'x.dot');
    const r = await run(['diagram', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`netsim: error[FILE_UNWRITABLE]: ${out}: the folder does not exist\n`);
  });

  it('onto a directory: FILE_UNWRITABLE, the directory untouched and no temporary file left', async () => {
    const dir = join(root, 'out.dot');
    mkdirSync(dir);
    const r = await run(['diagram', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`netsim: error[FILE_UNWRITABLE]: ${dir}: is a directory\n`);
    expect(readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('writes the whole file and leaves no temporary file', async () => {
    const out = join(root, 'ok.dot');
    const r = await run(['diagram', '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^digraph[\s\S]*\}\n?$/);
    expect(readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
