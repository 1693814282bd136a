/**
 * The employment report page in Chromium: a manager picks November, reads the figures
 * and the household table, and downloads the `.xlsx`; the worker who did not consent
 * is nowhere on the page or in the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, hasBrowser, launchBrowser, screenshotDir } from '../helpers/browser.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';
import { HIDDEN, NOVEMBER, seedNovember } from '../helpers/report-seed.js';

describe.skipIf(!hasBrowser)('employment report page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const webDir = await buildWeb();
    t = await startTestApp('sqlite', {}, { webDir });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const manager = await t.newUser('manager', 'manager');
    const project = await t.newProject(manager.headers);
    await seedNovember(t.ctx, t.vendor.id, project.id);
    browser = await launchBrowser();
    fs.mkdirSync(screenshotDir, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the month, its charts and tables, and downloads the workbook', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    await page.goto(base + '/');
    await page.fill('input[name=username]', 'manager');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.topbar');
    await page.click('a[href="/reports/employment"]');
    await page.fill('[data-testid=report-month]', '2026-11');
    await expect
      .poll(() => page.locator('[data-testid=report-total-workers]').textContent())
      .toBe(String(NOVEMBER.summary.workers));
    expect(await page.locator('[data-testid=report-income]').textContent()).toBe('¥11.80');
    const poor = page.locator('[data-testid=report-household-table] tr[data-code=registered_poor]');
    expect(await poor.locator('td').allTextContents()).toEqual([
      '建档立卡贫困户',
      '3',
      '2',
      '3',
      '0',
      '4',
      '3.00',
      '9',
      '6',
      '¥9.50',
      '¥3.17',
      '¥3.17',
    ]);
    const lifted = page.locator('[data-testid=report-household-table] tr[data-code=lifted] td');
    expect(await lifted.nth(1).textContent()).toBe('<3');
    await page.waitForSelector('[data-testid=report-chart-household][data-ready="1"]');
    await page.waitForSelector('[data-testid=report-chart-trend][data-ready="1"]');
    expect(await page.locator('[data-testid=report-unnamed]').textContent()).toContain('未具名 1 人');
    const html = await page.content();
    expect(html).not.toContain(HIDDEN.name);
    expect(html).not.toContain(HIDDEN.username);
    await page.screenshot({ path: path.join(screenshotDir, 'employment-report.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-download]')]);
    expect(download.suggestedFilename()).toBe('shugu-employment-2026-11.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const summary = wb.getWorksheet('概况')!;
    const row = summary.getColumn(1).values.indexOf('在岗人数');
    expect(summary.getRow(row).getCell(2).value).toBe(NOVEMBER.summary.workers);
    await page.close();
  }, 90_000);
});
