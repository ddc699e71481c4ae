import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBrowserPurity, modulesUnder } from './purity.js';

const ROOT = join(import.meta.dirname, '../..');

describe('the core runs in a browser', () => {
  it('bundles every module outside src/cli, and the playground, for the browser platform with no Node built-in and no process', async () => {
    const entries = [...modulesUnder(join(ROOT, 'src'), [join(ROOT, 'src/cli')]), ...modulesUnder(join(ROOT, 'web'), [])];
    const report = await checkBrowserPurity(ROOT, entries);
    expect(report.unresolved, 'imports a browser cannot resolve').toEqual([]);
    expect(report.processRefs, 'references to process').toEqual([]);
    expect(report.inputs.some((f) => f.startsWith('src/cli/')), 'src/cli reached from the core').toBe(false);
    expect(report.inputs).toContain('src/app/trace.ts');
    expect(report.inputs).toContain('web/main.ts');
  }, 60_000);

  it('the check itself catches a node: import and a process reference', async () => {
    const fs = await checkBrowserPurity(ROOT, [], "\nimport { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(fs.unresolved.join('\n')).toMatch(/node:fs/);
    const proc = await checkBrowserPurity(ROOT, [], '\nexport const argv = process.argv;\n');
    expect(proc.processRefs.length).toBeGreaterThan(0);
  }, 60_000);
});
