/**
 * End to end: the HTML trace report in a real headless Chromium. The picture renders (the SVG
 * has nodes and path edges), selecting a hop in the list marks its edges in the picture, and
 * clicking a path edge selects its hop. A screenshot is saved under test-artifacts/.
 *
 * Needs Debian's `chromium` (`apt-get install chromium`); skipped with a message without it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve('test-artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const present = existsSync(CHROMIUM);
if (!present) console.warn(`skipping the HTML report e2e test: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!present)('HTML trace report in headless Chromium', () => {
  let context: BrowserContext | undefined;
  let profile = '';
  let page = '';

  beforeAll(async () => {
    const r = await cli(['trace', 'pod-a', 'service-b', '-o', 'html']);
    expect(r.code, r.stderr).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    page = join(ARTIFACTS, 'trace-report.html');
    writeFileSync(page, r.stdout);
    profile = mkdtempSync(join(tmpdir(), 'netsim-chromium-'));
    // A persistent context is how Playwright takes a user-data-dir: a fresh one per run.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1600, height: 1000 } });
  });

  afterAll(async () => {
    await context?.close();
    if (profile !== '') rmSync(profile, { recursive: true, force: true });
  });

  it('renders the picture, and a selected hop is highlighted on both sides', async () => {
    if (context === undefined) throw new Error('no browser context');
    const tab = await context.newPage();
    const blocked: string[] = [];
    tab.on('request', (req) => {
      if (!req.url().startsWith('file:')) blocked.push(req.url());
    });
    await tab.goto(pathToFileURL(page).href);
    expect(await tab.locator('#picture svg g.node').count()).toBeGreaterThan(5);
    expect(await tab.locator('#picture svg g.trace-edge').count()).toBeGreaterThan(3);

    // The list → the picture.
    await tab.locator('li.hop[data-hop="f2"]').click();
    expect(await tab.locator('li.hop[data-hop="f2"]').getAttribute('class')).toContain('selected');
    const marked = await tab.locator('#picture g.hop-f2.selected').count();
    expect(marked).toBeGreaterThan(0);
    expect(await tab.locator('#picture g.hop-f1.selected').count()).toBe(0);

    // The picture → the list.
    await tab.locator('#picture g.trace-edge.hop-r1').first().dispatchEvent('click');
    expect(await tab.locator('li.hop[data-hop="r1"]').getAttribute('class')).toContain('selected');
    expect(await tab.locator('li.hop[data-hop="f2"]').getAttribute('class')).not.toContain('selected');

    await tab.locator('li.hop[data-hop="f2"]').click();
    await tab.screenshot({ path: join(ARTIFACTS, 'trace-report.png'), fullPage: true });
    expect(blocked).toEqual([]);
  });
});
