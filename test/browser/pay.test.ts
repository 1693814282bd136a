/**
 * Pay in Chromium: a worker reads her earnings page; a manager sees her flagged under
 * the local minimum hourly wage, records a payout, downloads the payroll and closes
 * the period.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYROLL_SHEET } from '../../src/server/services/payroll-sheet.js';
import { buildWeb, hasBrowser, launchBrowser, screenshotDir } from '../helpers/browser.js';
import { face5Answer, PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

describe.skipIf(!hasBrowser)('pay pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const webDir = await buildWeb();
    t = await startTestApp('sqlite', {}, { webDir });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const manager = await t.newUser('manager', 'manager');
    const project = await t.newProject(manager.headers, { overlap: 1, pieceRateFen: 250, leaseSeconds: 600 });
    await t.addImages(manager.headers, project.id, 2);
    const w = await t.newUser('w1', 'worker');
    for (let i = 0; i < 2; i++) {
      const lease = (
        await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/lease`, headers: w.headers })
      ).json().lease;
      // Ten minutes on each face: ¥5.00 for 20 minutes is ¥15/h, under the default ¥20/h.
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/assignments/${lease.assignmentId}/submit`,
        headers: w.headers,
        payload: { clientSubmissionId: randomUUID(), data: face5Answer(), activeMs: 600_000 },
      });
      expect(res.statusCode).toBe(200);
    }
    browser = await launchBrowser();
    fs.mkdirSync(screenshotDir, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function login(username: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    await page.goto(base + '/');
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.topbar');
    return page;
  }

  it('shows the worker what she earned, item by item', async () => {
    const page = await login('w1');
    await page.click('a[href="/me/earnings"]');
    await page.waitForSelector('[data-testid=earnings-history]');
    expect(await page.locator('[data-testid=earnings-today]').textContent()).toBe('¥5.00');
    expect(await page.locator('[data-testid=earnings-month]').textContent()).toBe('¥5.00');
    const rows = page.locator('[data-testid=earnings-history] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().getAttribute('data-status')).toBe('accepted');
    expect(await rows.first().locator('td').allTextContents()).toEqual([
      expect.any(String),
      'Faces',
      '已验收',
      '100%',
      '¥2.50',
    ]);
    await page.screenshot({ path: path.join(screenshotDir, 'pay-earnings.png'), fullPage: true });
    await page.close();
  });

  it('flags pay under the minimum wage, records a payout, exports and closes the period', async () => {
    const page = await login('manager');
    await page.click('a[href="/pay"]');
    const row = page.locator('[data-testid=pay-row-w1]');
    await row.waitFor();
    expect(await row.getAttribute('data-below-minimum')).toBe('true');
    expect(await page.locator('[data-testid=fair-pay-summary]').textContent()).toContain('1 人');
    expect(await page.locator('[data-testid=pay-balance-w1]').textContent()).toBe('¥5.00');
    await page.screenshot({ path: path.join(screenshotDir, 'pay-manager.png'), fullPage: true });

    await page.click('[data-testid=pay-payout-w1]');
    await page.fill('[data-testid=payout-amount]', '3');
    await page.click('[data-testid=payout-submit]');
    await expect.poll(() => page.locator('[data-testid=pay-balance-w1]').textContent()).toBe('¥2.00');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=pay-download-xlsx]'),
    ]);
    expect(download.suggestedFilename()).toBe('shugu-payroll-2026-11.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const sheet = wb.getWorksheet(PAYROLL_SHEET)!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const balance = header.findIndex((h) => h.includes('Balance (fen)')) + 1;
    expect(sheet.getRow(2).getCell(balance).value).toBe(200);

    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid=pay-close]');
    await expect.poll(() => page.locator('[data-testid=pay-period-status]').textContent()).toBe('已结算');
    await page.close();
  });
});
