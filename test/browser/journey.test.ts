/**
 * The whole first week of a base in Chromium, as issue 8 asks: a manager imports a
 * cohort sheet and gives the first project to its team; one new worker from a
 * registered poor household signs in with her one-time code, sets her password, reads
 * a lesson, practises and sees her errors drawn, fails the exam, waits out the
 * cool-down (the server's test clock), passes, is certified, and places every point of
 * two faces by mouse clicks in the real editor; overlap 1 makes each answer the item's
 * final consensus, so both are accepted and paid. Her earnings page lists them; the
 * manager's payroll (.xlsx) and the employment report (page and .xlsx) include her
 * under her household status. Screenshots go to test-results/screenshots/journey-*.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { face68 } from '../../src/core/templates/index.js';
import { seedDemoTraining } from '../../src/server/seed/training-demo.js';
import { PAYROLL_SHEET } from '../../src/server/services/payroll-sheet.js';
import { sampleImagesDir } from '../../src/server/services/seed.service.js';
import { buildWeb, hasBrowser, launchBrowser, screenshotDir } from '../helpers/browser.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

/** The box running these tests is shared and slow: wait long, never sleep blindly. */
const WAIT = { timeout: 30_000 };
const DESKTOP = { width: 1366, height: 800 };
const PHONE = { width: 390, height: 844 };

const HER = { name: '李秀英', household: '建档立卡贫困户', code: 'registered_poor', password: 'li xiuying 2026' };
const COHORT = [
  [HER.name, '13800138011', '示范县', '城关镇', '新村', HER.household, '2026-11-27', '是', '一组'],
  ['张桂兰', '13800138012', '示范县', '城关镇', '新村', '建档立卡贫困户', '2026-11-27', '是', '一组'],
  ['王丽', '13800138013', '示范县', '城关镇', '东村', '建档立卡贫困户', '2026-11-27', '否', '一组'],
  ['赵敏', '13800138014', '示范县', '河口乡', '西村', '一般户', '2026-11-27', '是', '一组'],
];
const PIECE_RATE_FEN = 250;

async function cohortSheet(file: string) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员名单');
  ws.addRow(['姓名', '手机号', '县', '乡镇', '村', '户籍类别', '入职日期', '同意具名', '班组']);
  for (const r of COHORT) ws.addRow(r);
  await wb.xlsx.writeFile(file);
}

/** Text a newcomer must never see: a message key that missed its translation. */
const RAW_KEY =
  /\b(?:app|people|training|pay|report|work|error|review|myq|role|login)\.[a-z][A-Za-z]*(?:\.[A-Za-z]+)*\b/;

async function shoot(page: Page, name: string, fullPage = true) {
  const text = await page.evaluate(() => document.body.innerText);
  expect(RAW_KEY.exec(text)?.[0], `untranslated key on ${name}`).toBeUndefined();
  await page.screenshot({ path: path.join(screenshotDir, `journey-${name}.png`), fullPage });
}

/** Whole-page horizontal scrolling at a phone's width means something overflows. */
const overflowX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe.skipIf(!hasBrowser)('the first week of a base in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let courseId: number;
  let projectId: number;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-journey-'));
  const sheetFile = path.join(dir, 'cohort.xlsx');

  beforeAll(async () => {
    const webDir = await buildWeb();
    t = await startTestApp('sqlite', {}, { webDir });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const manager = await t.newUser('manager', 'manager');
    courseId = await seedDemoTraining(t.ctx, t.vendor.id, manager.id, sampleImagesDir());
    projectId = (
      await t.newProject(manager.headers, {
        templateId: 'face-68',
        name: '人脸 68 点 · 第一批',
        overlap: 1,
        pieceRateFen: PIECE_RATE_FEN,
      })
    ).id;
    const staging = await t.ctx.store.stagingDir();
    const staged = ['sample1.jpg', 'sample2.jpg'].map((f) => {
      fs.copyFileSync(path.join(sampleImagesDir(), f), path.join(staging, f));
      return { name: f, file: path.join(staging, f) };
    });
    const actor = (await t.ctx.repos.users.get(manager.id))!;
    await t.ctx.services.images.ingest(actor, projectId, staged, staging);
    await cohortSheet(sheetFile);
    browser = await launchBrowser();
    fs.mkdirSync(screenshotDir, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(viewport = DESKTOP): Promise<Page> {
    const page = await browser.newPage({ viewport, acceptDownloads: true });
    page.setDefaultTimeout(WAIT.timeout);
    return page;
  }

  async function login(page: Page, username: string, password: string) {
    await page.goto(base + '/');
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
  }

  /** Page coordinates of an image point in the editor on screen. */
  async function toPage(page: Page, x: number, y: number) {
    const box = (await page.locator('[data-testid=editor-canvas]').boundingBox())!;
    const s = await page.evaluate(([px, py]) => (window as any).shuguEditor.imageToScreen({ x: px, y: py }), [x, y]);
    return { x: box.x + s.x, y: box.y + s.y };
  }

  /**
   * Places all 68 points by clicks in the guided order, each where the template's
   * reference face puts it when scaled into the image: a plausible beginner's face,
   * near the real one but not on it.
   */
  async function clickFace(page: Page) {
    await page.waitForFunction(() => (window as any).shuguEditor?.progress().overall.placed === 0);
    // The photo is on screen and the camera has settled on it before the first click.
    await page.waitForSelector('[data-testid=editor-canvas][data-drawn=image]');
    const { w, h } = await page.evaluate(() => {
      const e = (window as any).shuguEditor;
      return { w: e.imageSize.width, h: e.imageSize.height };
    });
    const side = Math.min(w, h) * 0.8;
    for (let i = 0; i < 68; i++) {
      const [rx, ry] = face68.points[i].ref;
      const s = await toPage(page, (w - side) / 2 + rx * side, (h - side) / 2 + (ry * side) / face68.refAspect);
      await page.mouse.click(s.x, s.y);
    }
    await expect.poll(() => page.evaluate(() => (window as any).shuguEditor.progress().overall.placed), WAIT).toBe(68);
  }

  const referenceOf = async (itemId: number) => {
    const item = (await t.ctx.repos.training.item(itemId))!;
    return { height: item.height, data: JSON.parse(item.reference!) as { instances: { points: number[][] }[] } };
  };
  /** Loads an answer into the page's editor once it shows the item of that height. */
  const loadAnswer = async (page: Page, height: number, data: unknown) => {
    await page.waitForFunction((hh) => (window as any).shuguEditor?.imageSize.height === hh, height);
    await page.evaluate((d) => (window as any).shuguEditor.load(d), data);
  };

  const annotationsOf = (workerId: number) =>
    t.ctx.db.selectFrom('annotations').select(['id', 'accepted_at']).where('worker_id', '=', workerId).execute();

  it('takes a cohort from the sheet to certified, paid and reported work', async () => {
    // --- The manager imports the cohort and gives the project to its team. ---
    const manager = await open();
    await login(manager, 'manager', PASSWORD);
    await manager.click('a[href="/workers"]');
    await manager.click('[data-testid=import-people]');
    await manager.setInputFiles('[data-testid=import-file]', sheetFile);
    await manager.click('[data-testid=import-preview]');
    await manager.waitForSelector('[data-testid=import-preview-table]');
    await expect.poll(() => manager.isEnabled('[data-testid=import-confirm]'), WAIT).toBe(true);
    await shoot(manager, 'manager-import-preview');
    await manager.click('[data-testid=import-confirm]');
    await manager.waitForSelector('[data-testid=code-list]');
    const herRow = manager.locator('[data-testid^=code-row-]', { hasText: HER.name });
    const username = (await herRow.locator('[data-testid=code-username]').textContent())!;
    const code = (await herRow.locator('[data-testid=code-value]').textContent())!;
    expect(await manager.locator('[data-testid=code-value]').count()).toBe(COHORT.length);
    expect(code).toMatch(/^\d{8}$/);
    await shoot(manager, 'manager-codes');
    manager.once('dialog', (d) => void d.accept());
    await manager.keyboard.press('Escape');
    await expect.poll(() => manager.locator('[data-testid=people-table] tbody tr').count(), WAIT).toBe(COHORT.length);
    const her = (await t.ctx.repos.users.findByUsername(username))!;

    await manager.click('a[href="/workers/projects"]');
    await manager.selectOption('[data-testid=assign-project]', String(projectId));
    const team = manager.locator('[data-testid=project-members-panel] label', { hasText: '一组' }).locator('input');
    await team.check();
    await manager.click('[data-testid=save-assignment]');
    await expect
      .poll(() => manager.locator('[data-testid=assign-state]').textContent(), WAIT)
      .toContain('只分配给 1 个班组');
    const members = await t.app.inject({
      method: 'GET',
      url: `/api/projects/${projectId}/members`,
      headers: { cookie: await cookieOf(manager) },
    });
    expect(members.json().teams).toHaveLength(1);
    await shoot(manager, 'manager-assign');

    // --- She signs in on her phone with her one-time code and chooses her own password. ---
    const page = await open(PHONE);
    await login(page, username, code);
    await page.waitForSelector('[data-testid=set-password]');
    await shoot(page, 'worker-set-password-phone');
    await page.fill('input[name=new-password]', HER.password);
    await page.fill('input[name=new-password-again]', HER.password);
    await page.click('[data-testid=save-password]');
    await page.waitForSelector('[data-testid=logout]');

    // Not certified yet: the project sends her to training, not to work.
    await page.waitForSelector(`[data-testid=needs-training-${projectId}]`);
    expect(await page.locator(`[data-testid=start-${projectId}]`).count()).toBe(0);
    await shoot(page, 'worker-home-untrained-phone');
    expect(await overflowX(page)).toBeLessThanOrEqual(1);
    // Training and labelling happen at the base's computers.
    await page.setViewportSize(DESKTOP);
    await page.click(`[data-testid=needs-training-${projectId}] a`);
    await page.waitForSelector('[data-testid=course]');
    await page.click('[data-testid=next-step]');

    // --- A lesson, with its numbered diagram. ---
    await page.waitForSelector('[data-testid=lesson] h1');
    await expect
      .poll(() =>
        page
          .locator('[data-testid=lesson] img')
          .first()
          .evaluate((i: HTMLImageElement) => i.naturalWidth),
      )
      .toBeGreaterThan(0);
    await shoot(page, 'worker-lesson');
    for (let i = 0; i < 2; i++) {
      const title = await page.locator('[data-testid=lesson] h1').first().textContent();
      await page.click('[data-testid=next-lesson]');
      await expect.poll(() => page.locator('[data-testid=lesson] h1').first().textContent(), WAIT).not.toBe(title);
    }

    // --- Practice 1: a face placed by hand; every point's error is listed and drawn. ---
    await page.click('[data-testid=next-lesson]');
    await page.waitForSelector('[data-testid=practice-submit]');
    await clickFace(page);
    await page.click('[data-testid=practice-submit]');
    const errors = page.locator('[data-testid=practice-error-list] li');
    await expect.poll(() => errors.count(), WAIT).toBe(68);
    const firstText = (await errors.first().textContent())!;
    expect(firstText).toMatch(/偏离 [\d.]+ px/);
    const pxs = (await errors.evaluateAll((li) => li.map((l) => Number(l.getAttribute('data-px'))))) as number[];
    expect(pxs).toEqual([...pxs].sort((a, b) => b - a)); // largest first
    // The overlay canvas has something drawn on it: rings, lines and labels.
    await expect
      .poll(
        () =>
          page.locator('[data-testid=feedback-layer]').evaluate((c: HTMLCanvasElement) => {
            const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
            return n;
          }),
        WAIT,
      )
      .toBeGreaterThan(1000);
    await shoot(page, 'worker-practice-feedback', false);

    // --- Practice 2: the reference with the left eye's outer corner 12 px off. ---
    await page.click('[data-testid=practice-next]');
    await page.waitForSelector('[data-testid=practice-submit]');
    const practiceId = Number(/\/training\/practice\/(\d+)/.exec(page.url())![1]);
    const practice = await referenceOf(practiceId);
    practice.data.instances[0].points[45][0] += 12;
    await loadAnswer(page, practice.height, practice.data);
    await page.click('[data-testid=practice-submit]');
    await expect.poll(() => errors.first().textContent(), WAIT).toContain('左眼外眼角 偏离 12 px');

    // --- The exam, handed in empty: failed, and a cool-down before the retry. ---
    await page.goto(`${base}/training/courses/${courseId}`);
    await page.click('[data-testid=exam-start]');
    for (let i = 0; i < 10; i++) {
      await expect
        .poll(() => page.locator('[data-testid=exam-progress]').textContent(), WAIT)
        .toContain(`${i + 1} / 10`);
      await page.click('[data-testid=exam-submit]');
      await page.waitForSelector('[data-testid=exam-incomplete]');
      await page.click('[data-testid=exam-submit]');
    }
    await page.waitForSelector('[data-testid=exam-result][data-status=failed]');
    expect(await page.locator('[data-testid=cooldown]').textContent()).toMatch(/\d\d:\d\d/);
    await shoot(page, 'worker-exam-failed');
    await page.click('[data-testid=exam-retry]');
    await page.waitForSelector('[data-testid=cooldown]');

    // --- Thirty minutes later on the server's clock: the exam again, answered with care. ---
    t.clock.advance(30 * 60_000);
    await page.click('[data-testid=exam-retry]');
    for (let i = 0; i < 10; i++) {
      await expect
        .poll(() => page.locator('[data-testid=exam-progress]').textContent(), WAIT)
        .toContain(`${i + 1} / 10`);
      const attempt = await t.ctx.db
        .selectFrom('training_attempts')
        .select('item_ids')
        .where('status', '=', 'open')
        .where('user_id', '=', her.id)
        .executeTakeFirstOrThrow();
      const exam = await referenceOf((JSON.parse(attempt.item_ids) as number[])[i]);
      await loadAnswer(page, exam.height, exam.data);
      await page.click('[data-testid=exam-submit]');
    }
    await page.waitForSelector('[data-testid=exam-result][data-status=passed]');
    expect(await page.locator('[data-testid=exam-result] h2').textContent()).toMatch(/\d 级/);
    await shoot(page, 'worker-exam-passed');

    // The manager follows the results on the course page.
    await manager.goto(`${base}/training/courses/${courseId}/manage`);
    const result = manager.locator(`[data-testid=training-results] tr[data-worker="${username}"]`);
    await expect.poll(() => result.textContent(), WAIT).toMatch(/已认证|级/);
    expect(await result.locator('td').nth(1).textContent()).toBe('2');

    // --- Certified: two faces in the real editor, every point a mouse click. ---
    await page.click('[data-testid=exam-to-work]');
    await page.click(`[data-testid=start-${projectId}]`);
    await page.waitForSelector('[data-testid=next-point]');
    // The project discards answers placed faster than a person can (fast_ms_per_point): she
    // takes her time, and the workspace's own timer says when she has.
    const { fast_ms_per_point: floor } = await t.ctx.db
      .selectFrom('projects')
      .select('fast_ms_per_point')
      .where('id', '=', projectId)
      .executeTakeFirstOrThrow();
    const humanMs = floor * 68 + 1000;
    const timerMs = async () => {
      const [m, sec] = (await page.locator('[data-testid=timer]').textContent())!.split(':').map(Number);
      return (m * 60 + sec) * 1000;
    };
    for (let item = 0; item < 2; item++) {
      await clickFace(page);
      if (item === 0) await shoot(page, 'worker-editor', false);
      await expect.poll(timerMs, { timeout: humanMs + 30_000 }).toBeGreaterThanOrEqual(humanMs);
      await page.click('[data-testid=submit]');
    }
    await expect.poll(() => page.locator('[data-testid=outbox-status]').getAttribute('class'), WAIT).toBe('badge');
    // Overlap 1: each answer is its item's final consensus, hence accepted and paid once.
    await expect
      .poll(async () => (await annotationsOf(her.id)).filter((a) => a.accepted_at !== null).length, WAIT)
      .toBe(2);
    const earnings = await t.ctx.db.selectFrom('ledger_entries').selectAll().where('worker_id', '=', her.id).execute();
    expect(earnings.map((e) => [e.kind, e.amount_fen, e.period])).toEqual([
      ['earning', PIECE_RATE_FEN, '2026-11'],
      ['earning', PIECE_RATE_FEN, '2026-11'],
    ]);

    // --- Her earnings page: both answers, accepted, with their amounts. ---
    await page.goto(base + '/me/earnings');
    const rows = page.locator('[data-testid=earnings-history] tbody tr');
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    // Rows carry the answers' public ids, which need not be the database's.
    for (const row of await rows.all()) {
      expect(await row.getAttribute('data-status')).toBe('accepted');
      expect(await row.locator('td').nth(1).textContent()).toBe('人脸 68 点 · 第一批');
      expect(await row.locator('td').last().textContent()).toBe('¥2.50');
    }
    expect(await page.locator('[data-testid=earnings-today]').textContent()).toBe('¥5.00');
    expect(await page.locator('[data-testid=earnings-month]').textContent()).toBe('¥5.00');
    expect(await page.locator('[data-testid=earnings-certifications]').textContent()).toContain('人脸 68 点');
    await shoot(page, 'worker-earnings');
    await page.setViewportSize(PHONE);
    await shoot(page, 'worker-earnings-phone');
    expect(await overflowX(page)).toBeLessThanOrEqual(1);
    await page.close();

    // --- The payroll: her row, downloaded as .xlsx and read back. ---
    await manager.goto(base + '/pay');
    await manager.locator(`[data-testid=pay-row-${username}]`).waitFor();
    expect(await manager.locator(`[data-testid=pay-balance-${username}]`).textContent()).toBe('¥5.00');
    await shoot(manager, 'manager-pay');
    const [payroll] = await Promise.all([
      manager.waitForEvent('download'),
      manager.click('[data-testid=pay-download-xlsx]'),
    ]);
    expect(payroll.suggestedFilename()).toBe('shugu-payroll-2026-11.xlsx');
    const pay = new ExcelJS.Workbook();
    await pay.xlsx.readFile((await payroll.path())!);
    const sheet = pay.getWorksheet(PAYROLL_SHEET)!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const col = (name: string) => header.findIndex((h) => h.includes(name)) + 1;
    let line = 0;
    sheet.eachRow((r, n) => {
      if (r.getCell(col('Username')).value === username) line = n;
    });
    expect(line).toBeGreaterThan(1);
    const cell = (name: string) => sheet.getRow(line).getCell(col(name)).value;
    expect(cell('Name')).toBe(HER.name);
    expect(cell('Household status')).toBe(HER.household);
    expect(cell('Items accepted')).toBe(2);
    expect(cell('Net (fen)')).toBe(2 * PIECE_RATE_FEN);

    // --- The employment report for November: she is counted, and named, as 建档立卡贫困户. ---
    await manager.goto(base + '/reports/employment');
    await manager.fill('[data-testid=report-month]', '2026-11');
    // The page opens on the browser's month; November's income is what tells its figures are in.
    await expect.poll(() => manager.locator('[data-testid=report-income]').textContent(), WAIT).toBe('¥5.00');
    expect(await manager.locator('[data-testid=report-total-workers]').textContent()).toBe('4');
    // Household table columns: status, employed, new, active, leaving, days, hours, items, accepted, income, …
    const poor = manager.locator(`[data-testid=report-household-table] tr[data-code=${HER.code}] td`);
    expect(await poor.nth(0).textContent()).toBe(HER.household);
    expect(await poor.nth(1).textContent()).toBe('3');
    expect(await poor.nth(3).textContent()).toBe('1');
    expect(await poor.nth(7).textContent()).toBe('2');
    expect(await poor.nth(8).textContent()).toBe('2');
    expect(await poor.nth(9).textContent()).toBe('¥5.00');
    const named = manager.locator('[data-testid=report-worker-table] tbody tr', { hasText: HER.name }).locator('td');
    expect(await named.nth(1).textContent()).toBe(HER.household);
    expect(await manager.locator('[data-testid=report-unnamed]').textContent()).toContain('未具名 1 人');
    expect(await manager.content()).not.toContain('王丽'); // she did not consent to be named
    await manager.waitForSelector('[data-testid=report-chart-household][data-ready="1"]');
    await shoot(manager, 'manager-report');

    const [report] = await Promise.all([
      manager.waitForEvent('download'),
      manager.click('[data-testid=report-download]'),
    ]);
    expect(report.suggestedFilename()).toBe('shugu-employment-2026-11.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await report.path())!);
    const byHousehold = wb.getWorksheet('按户籍类别')!;
    const poorRow = rowWith(byHousehold, HER.household);
    expect(poorRow.getCell(2).value).toBe(3);
    expect(poorRow.getCell(9).value).toBe(2);
    expect(poorRow.getCell(10).value).toBe(5);
    const people = wb.getWorksheet('人员明细')!;
    expect(rowWith(people, HER.name).getCell(2).value).toBe(HER.household);
    wb.eachSheet((ws) => ws.eachRow((r) => expect(JSON.stringify(r.values), ws.name).not.toContain('王丽')));

    // The report at a phone's width: its wide tables scroll inside their cards.
    await manager.setViewportSize(PHONE);
    await shoot(manager, 'manager-report-phone');
    expect(await overflowX(manager)).toBeLessThanOrEqual(1);
    await manager.close();
  }, 600_000);
});

/** The first row of a sheet whose first column reads `first`. */
function rowWith(ws: ExcelJS.Worksheet, first: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((r) => {
    if (!found && r.getCell(1).value === first) found = r;
  });
  expect(found, `${ws.name}: a row for ${first}`).toBeDefined();
  return found!;
}

async function cookieOf(page: Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}
