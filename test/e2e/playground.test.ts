/**
 * End to end: the playground in a real headless Chromium, served by `netsim serve` (the bundled
 * CLI, package.json's bin, as a user runs it). The page opens on the README's trace, an edit that breaks the
 * scenario shows the loader's code at its line:col in the editor, and a shared URL reproduces
 * the trace. Screenshots go to test-artifacts/.
 *
 * Needs Debian's `chromium`; skipped with a message without it. Builds the page first
 * (`npm run build:web`, under a second) so it tests the sources as they are.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const CLI = join(ROOT, 'dist/cli/netsim.js');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const present = existsSync(CHROMIUM);
if (!present) console.warn(`skipping the playground e2e test: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!present)('the playground in headless Chromium, served by netsim serve', () => {
  let server: ChildProcess | undefined;
  let url = '';
  let browser: Browser | undefined;
  const offsite: string[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs')], { stdio: 'ignore' });
    if (!existsSync(CLI)) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    mkdirSync(ARTIFACTS, { recursive: true });
    server = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--root', join(ROOT, 'dist/web')], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((done, fail) => {
      let out = '';
      server?.stdout?.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /http:\/\/\S+\//.exec(out);
        if (m !== null) done(m[0]);
      });
      server?.on('exit', (code) => fail(new Error(`netsim serve exited ${code}: ${out}`)));
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
  });

  async function open(href: string): Promise<Page> {
    if (browser === undefined) throw new Error('no browser');
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    page.on('request', (r) => {
      if (!r.url().startsWith(url) && !r.url().startsWith('data:') && !r.url().startsWith('about:')) offsite.push(r.url());
    });
    await page.goto(href);
    await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
    return page;
  }

  it('opens on pod-a → service-b, traced as the CLI traces it', async () => {
    const page = await open(url);
    expect(await page.locator('#result').textContent()).toBe('DELIVERED');
    const text = (await page.locator('#trace-text').textContent()) ?? '';
    expect(text).toContain('[1] pod default/pod-a on node-1');
    expect(text).toMatch(/KUBE-SERVICES[\s\S]*KUBE-SVC-[\s\S]*KUBE-SEP-[\s\S]*DNAT/);
    const hops = text.split('\n').filter((l) => /^\[\d+\] /.test(l));
    expect(hops.length).toBeGreaterThanOrEqual(10);
    const fromCli = await cli(['trace', 'pod-a', 'service-b']);
    expect(text.trimEnd()).toBe(fromCli.stdout.trimEnd());
    await page.screenshot({ path: join(ARTIFACTS, 'playground.png') });

    await page.click('[data-view=picture]');
    const report = page.frameLocator('#report');
    await report.locator('#picture svg g.node').first().waitFor();
    await report.locator('li.hop[data-hop="f2"]').click();
    expect(await report.locator('#picture g.hop-f2.selected').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'playground-picture.png') });
    expect(offsite).toEqual([]);
    await page.close();
  });

  it('shows a broken edit inline, with its code at its line and column', async () => {
    const page = await open(url);
    const line = page.locator('.cm-line', { hasText: 'clusterCIDR: 10.244.0.0/16' });
    await line.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('33');
    await page.locator('#problems:not([hidden])').waitFor();
    const problems = (await page.locator('#problems').textContent()) ?? '';
    const lines = readFileSync(join(ROOT, 'scenarios/default.yaml'), 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('clusterCIDR: 10.244.0.0/16'));
    const col = (lines[at] ?? '').indexOf('10.244') + 1;
    expect(problems).toContain(`scenarios/default.yaml:${at + 1}:${col}: error[SCN_BAD_CIDR]`);
    const marked = page.locator('.cm-lintRange-error');
    await marked.first().waitFor();
    expect(await marked.first().textContent()).toContain('10.244.0.0/33');
    expect(await page.locator('#result').textContent()).toContain('the scenario has errors');
    await page.screenshot({ path: join(ARTIFACTS, 'playground-error.png') });
    await page.close();
  });

  it('a shared link reproduces the trace, edited YAML included', async () => {
    const page = await open(url);
    await page.fill('#seed', '7');
    await page.fill('#port', 'http');
    await page.fill('#size', '1600');
    await page.uncheck('#df');
    await page.click('#run');
    // An edit near the top (CodeMirror renders only the lines in view): the cluster's name.
    await page.locator('.cm-line', { hasText: 'name: demo' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.type('x');
    await page.waitForFunction('location.hash.includes("yaml=")');
    const first = await page.locator('#trace-text').textContent();
    expect(first).toContain('KUBE-SEP-');
    expect(first).toContain('1600 bytes > mtu 1500 of eth0, DF clear: 2 fragments');
    const link = page.url();
    await page.close();

    const again = await open(link);
    expect(await again.locator('#trace-text').textContent()).toBe(first);
    expect(await again.inputValue('#seed')).toBe('7');
    expect(await again.inputValue('#port')).toBe('http');
    expect(await again.inputValue('#size')).toBe('1600');
    expect(await again.isChecked('#df')).toBe(false);
    expect(await again.locator('.cm-content').textContent()).toContain('name: demox');
    await again.screenshot({ path: join(ARTIFACTS, 'playground-shared.png') });
    await again.close();
  });
});
