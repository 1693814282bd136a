/**
 * A manager in Chromium imports a cohort sheet (the preview marks the bad row and holds
 * the import back until the sheet is corrected), gets the printable code list, and a
 * new worker logs in with her one-time code and must choose her own password first.
 * The workers page is also checked at a phone's width.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, hasBrowser, launchBrowser, screenshotDir } from '../helpers/browser.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

async function sheet(file: string, rows: string[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员名单');
  ws.addRow(['姓名', '手机号', '县', '乡镇', '村', '户籍类别', '入职日期', '同意具名', '班组']);
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
}

describe.skipIf(!hasBrowser)('people pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-cohort-'));

  beforeAll(async () => {
    const webDir = await buildWeb();
    t = await startTestApp('sqlite', {}, { webDir });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    await t.newUser('manager', 'manager');
    browser = await launchBrowser();
    fs.mkdirSync(screenshotDir, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports a cohort after a corrected preview, and the new worker sets her own password', async () => {
    const bad = path.join(dir, 'bad.xlsx');
    const good = path.join(dir, 'good.xlsx');
    await sheet(bad, [
      ['王芳', '13800138001', '示范县', '城关镇', '新村', '脱贫户', '2026-12-01', '是', '一组'],
      ['李强', '12345', '示范县', '城关镇', '新村', '一般户', '2026-12-01', '否', '一组'],
    ]);
    await sheet(good, [
      ['王芳', '13800138001', '示范县', '城关镇', '新村', '脱贫户', '2026-12-01', '是', '一组'],
      ['李强', '13800138002', '示范县', '城关镇', '新村', '一般户', '2026-12-01', '否', '一组'],
    ]);

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(base + '/');
    await page.fill('input[name=username]', 'manager');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.click('a[href="/workers"]');
    await page.click('[data-testid=import-people]');
    await page.setInputFiles('[data-testid=import-file]', bad);
    await page.click('[data-testid=import-preview]');
    await page.waitForSelector('[data-testid=import-preview-table]');
    expect(await page.getAttribute('[data-testid=import-row-3]', 'data-bad')).toBe('true');
    expect(await page.getAttribute('[data-testid=import-row-2]', 'data-bad')).toBe('false');
    expect(await page.locator('[data-testid=import-row-3] [data-testid=import-problem]').textContent()).toContain(
      '手机号',
    );
    expect(await page.isDisabled('[data-testid=import-confirm]')).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, 'people-import-preview.png') });

    await page.setInputFiles('[data-testid=import-file]', good);
    await page.click('[data-testid=import-preview]');
    await expect.poll(() => page.isEnabled('[data-testid=import-confirm]')).toBe(true);
    await page.click('[data-testid=import-confirm]');
    await page.waitForSelector('[data-testid=code-list]');
    const usernames = await page.locator('[data-testid=code-username]').allTextContents();
    const codes = await page.locator('[data-testid=code-value]').allTextContents();
    expect(usernames).toEqual(['w0001', 'w0002']);
    expect(codes.every((c) => /^\d{8}$/.test(c))).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, 'people-codes.png') });
    page.once('dialog', (d) => void d.accept());
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid=people-table] tbody tr').count()).toBe(2);

    // At a phone's width the page scrolls the table, not the whole page.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.screenshot({ path: path.join(screenshotDir, 'people-phone.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);

    const worker = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await worker.goto(base + '/');
    await worker.fill('input[name=username]', 'w0001');
    await worker.fill('input[name=password]', codes[0]);
    await worker.click('button[type=submit]');
    await worker.waitForSelector('[data-testid=set-password]');
    await worker.fill('input[name=new-password]', 'wang fang 2026');
    await worker.fill('input[name=new-password-again]', 'wang fang 2026');
    await worker.click('[data-testid=save-password]');
    await worker.waitForSelector('[data-testid=logout]');
    const stored = await t.ctx.db
      .selectFrom('users')
      .select(['must_change_password', 'household', 'team_id'])
      .where('username', '=', 'w0001')
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ must_change_password: 0, household: 'lifted' });
    expect(stored.team_id).not.toBeNull();
  }, 120_000);
});
