/**
 * The report page of the trial knowledge base (a broken link, a wrong output, a raising example, a
 * typo, a passing note) in Chromium at 1280 and 500 px: no sideways scroll, the outline names every
 * failing item, "failures only" hides what passed, code is highlighted, and without JavaScript no
 * control shows. Screenshots go to .kb/screenshots/ (git-ignored; CI uploads them).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runReport, TRIAL_KB, type ReportRun } from './run-report.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SCREENSHOTS = path.join(REPO, '.kb', 'screenshots');

describe.skipIf(!hasChromium)('report page of the trial knowledge base in Chromium', () => {
  let run: ReportRun;
  let browser: Browser;
  let url: string;
  const contexts: BrowserContext[] = [];

  async function open(width: number, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    expect(errors).toEqual([]);
    return page;
  }

  beforeAll(async () => {
    run = await runReport(['--root', TRIAL_KB]);
    url = pathToFileURL(path.join(run.out, 'index.html')).href;
    mkdirSync(SCREENSHOTS, { recursive: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    if (run) rmSync(run.out, { recursive: true, force: true });
  });

  describe.each([1280, 500])('at %i px', (width) => {
    let page: Page;
    beforeAll(async () => {
      page = await open(width);
      await page.screenshot({ path: path.join(SCREENSHOTS, `report-${width}.png`), fullPage: true });
    });

    it('never scrolls sideways; the figures table scrolls inside its own box', async () => {
      const [scrollWidth, innerWidth] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      expect(await page.locator('.table-scroll').evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { overflowX: string } }).getComputedStyle(e).overflowX)).toBe('auto');
    });

    it('counts the broken link and the authoring problem in the figures, not only the examples', async () => {
      const row = (title: string) => page.locator('table.index tbody tr', { hasText: title });
      expect(await row('A note with three mistakes').locator('td.result').innerText()).toContain('✗ 3 failed');
      expect(await row('A note with an authoring problem').locator('td.result').innerText()).toContain('✗ 1 failed');
      expect(await row('A note that passes').locator('td.result').innerText()).toContain('✓ passed');
      expect(await row('Total').locator('td.result').innerText()).toContain('✗ 4 failed');
    });

    it('has an outline naming each failing item at its line, linked to it', async () => {
      const items = page.locator('nav.outline .outline-failures a');
      expect((await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
        '16 links: 1 problem',
        '24 python example failed',
        '34 python example failed',
        '3 authoring problem',
      ]);
      for (const href of await items.evaluateAll((links) => links.map((a) => a.getAttribute('href')!))) {
        expect(await page.locator(href).count(), href).toBe(1);
      }
    });

    it('"failures only" hides passing notes and passing examples, and shows them again', async () => {
      const passingNote = page.locator('section.note[data-path="notes/fine.md"]');
      const passingExample = page.locator('section.note[data-path="notes/broken.md"] div.example[data-status="passed"]');
      const failingExample = page.locator('section.note[data-path="notes/broken.md"] div.example[data-status="failed"]').first();
      expect(await passingNote.isVisible()).toBe(true);
      await page.locator('#failures-only').check();
      expect(await passingNote.isVisible()).toBe(false);
      expect(await passingExample.isVisible()).toBe(false);
      expect(await page.locator('nav.outline li.outline-note.passed').isVisible()).toBe(false);
      expect(await failingExample.isVisible()).toBe(true);
      await page.screenshot({ path: path.join(SCREENSHOTS, `report-${width}-failures-only.png`), fullPage: false });
      await page.locator('#failures-only').uncheck();
      expect(await passingNote.isVisible()).toBe(true);
    });

    it('highlights code at build time and shows hidden setup and conditions', async () => {
      const note = page.locator('section.note[data-path="notes/broken.md"]');
      expect(await note.locator('div.example[data-status="failed"] pre code.language-python span[class^="pl-"]').count()).toBeGreaterThan(0);
      expect(await page.locator('code.language-js span[class^="pl-"]').count()).toBeGreaterThan(0);
      expect(await note.locator('details.hidden-setup summary').first().innerText()).toBe('Hidden setup (line 21)');
      expect(await note.locator('.example-head .condition').first().innerText()).toBe('requires python>=99');
      expect(await note.locator('p.why').innerText()).toContain('requires python>=99 (running');
    });

    it('marks the broken link in the text with its reason', async () => {
      expect(await page.locator('.broken-link .badge').innerText()).toBe('✗ No file `missing.md` (notes/missing.md)');
    });

    it('shows copy buttons and the toolbar with JavaScript', async () => {
      expect(await page.locator('div.example button.copy').first().isVisible()).toBe(true);
      expect(await page.locator('.toolbar').isVisible()).toBe(true);
    });
  });

  it('without JavaScript shows no control at all, and the outline still works', async () => {
    const page = await open(500, false);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-500-no-js.png'), fullPage: false });
    expect(await page.locator('button.copy').count()).toBe(0);
    expect(await page.locator('.toolbar').isVisible()).toBe(false);
    const visibleButtons = await page.locator('button, input').evaluateAll((all) => all.filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null).length);
    expect(visibleButtons).toBe(0);
    expect(await page.locator('nav.outline .outline-failures a').count()).toBe(4);
  });

  it('shows no path of this machine', async () => {
    const page = await open(1280);
    const html = await page.content();
    expect(html).not.toContain(REPO.replace(/\/$/, ''));
  });
});
