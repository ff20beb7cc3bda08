/**
 * The report page of the fixture knowledge base, opened in a real browser:
 * Debian's Chromium driven by playwright-core (no browser download). Without
 * /usr/bin/chromium the test is skipped, saying so; it installs nothing.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_KB, runReport, type ReportRun } from './run-report.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`report browser test skipped: ${CHROMIUM} not found (on Debian: apt-get install chromium)`);

describe.skipIf(!hasChromium)('report page in Chromium', () => {
  let run: ReportRun;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    run = await runReport(['--root', FIXTURE_KB]);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(pathToFileURL(path.join(run.out, 'index.html')).href);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (run) rmSync(run.out, { recursive: true, force: true });
  });

  it('shows the four claim statuses, by attribute and by visible label', async () => {
    const expected = [
      ['two-plus-two', 'verified', 'verified'],
      ['sorted-stable', 'cited', 'cited'],
      ['floor-toward-zero', 'failing', 'failing'],
      ['moon-cheese', 'no-evidence', 'no evidence'],
    ] as const;
    for (const [id, status, label] of expected) {
      const claim = page.locator(`.claim[data-claim-id="${id}"]`);
      await expect.poll(() => claim.getAttribute('data-status')).toBe(status);
      expect(await claim.isVisible()).toBe(true);
      expect(await claim.locator('.badge').first().innerText()).toContain(label);
    }
    expect(pageErrors).toEqual([]);
  });

  it('expanding a failing claim shows its failure output', async () => {
    const evidence = page.locator('details.evidence[data-claim-id="floor-toward-zero"]');
    const output = evidence.locator('pre.failure-output');
    expect(await output.isVisible()).toBe(false);
    await page.locator('.claim[data-claim-id="floor-toward-zero"] .badge').first().click();
    expect(await evidence.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    expect(await output.isVisible()).toBe(true);
    expect(await output.innerText()).toContain('-7 // 2 is -4, not -3');
  });

  it('runs nothing from a note: raw HTML is text, javascript: links lose their URL', async () => {
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    const note = page.locator('section.note[data-path="notes/unsafe.md"]');
    const text = await note.innerText();
    expect(text).toContain('<img src=claims.md onerror="window.__pwned=1">');
    expect(text).toContain('<script>window.__pwned=1</script>');
    expect(await note.locator('img, script, [onerror], [onclick]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
  });

  it('lists every note with its figures on top', async () => {
    const rows = page.locator('table.index tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).innerText()).toMatch(/Claims of the fixture\s+✗ 2 failed\s+1\s+0\s+1\s+1\s+1/);
    expect(await page.locator('#result').innerText()).toBe('Failed');
  });
});
