/**
 * A manager in Chromium: the gold editor refuses an empty or incomplete reference on
 * Enter and says what is missing, then saves once every point is placed or marked not
 * in the image; the quality settings refuse a suspension threshold above the warning.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { face5 } from '../../src/core/templates/index.js';
import { buildWeb, hasBrowser, launchBrowser } from '../helpers/browser.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

describe.skipIf(!hasBrowser)('gold editor and quality settings in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let projectId: number;
  let answered: number;
  let untouched: number;

  beforeAll(async () => {
    const webDir = await buildWeb();
    t = await startTestApp('sqlite', {}, { webDir });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const manager = await t.newUser('manager', 'manager');
    const project = await t.newProject(manager.headers);
    projectId = project.id;
    const items = await t.addImages(manager.headers, projectId, 2);
    // A worker's answer with two points left at visibility 0 (nose tip and left mouth corner).
    const w = await t.newUser('w1', 'worker');
    const l = (
      await t.app.inject({ method: 'POST', url: `/api/projects/${projectId}/lease`, headers: w.headers })
    ).json().lease;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/assignments/${l.assignmentId}/submit`,
      headers: w.headers,
      payload: {
        clientSubmissionId: randomUUID(),
        data: {
          instances: [
            {
              bbox: null,
              points: [
                [20, 16, 2],
                [44, 16, 2],
                [0, 0, 0],
                [24, 36, 1],
                [0, 0, 0],
              ],
            },
          ],
        },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    answered = await t.leasedItemId(l);
    untouched = items.find((i) => i.id !== answered)!.id;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function login(page: Page) {
    await page.goto(base + '/');
    await page.fill('input[name=username]', 'manager');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.project-list');
  }
  const goldRows = () => t.ctx.db.selectFrom('gold_answers').selectAll().execute();

  it('refuses an empty reference on Enter', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await login(page);
    await page.goto(`${base}/projects/${projectId}/items/${untouched}/gold`);
    await page.locator('[data-testid=editor-canvas]').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid=notice]').textContent()).toContain('金标准答案是空的');
    expect(await goldRows()).toEqual([]);
    await page.close();
  }, 60_000);

  it('names the unplaced points, then saves once they are marked not in the image', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await login(page);
    await page.goto(`${base}/projects/${projectId}/items/${answered}/gold`);
    await page.locator('[data-testid=editor-canvas]').waitFor();
    await page.keyboard.press('Enter');
    const notice = page.locator('[data-testid=notice]');
    await expect.poll(() => notice.textContent()).toContain('还有 2 个点没有放置');
    expect(await notice.textContent()).toContain(face5.points[2].name.zh);
    expect(await notice.textContent()).toContain(face5.points[4].name.zh);
    expect(await goldRows()).toEqual([]);

    // Key 3 marks the next unplaced point not in the image, twice; then Enter saves.
    await page.keyboard.press('3');
    await page.keyboard.press('3');
    await page.keyboard.press('Enter');
    await expect.poll(() => notice.textContent()).toBe('金标准已保存');
    const [gold] = await goldRows();
    expect(gold.item_id).toBe(answered);
    expect(JSON.parse(gold.data).instances[0].points.map((p: number[]) => p[2])).toEqual([2, 2, 0, 1, 0]);
    await page.close();
  }, 60_000);

  it('refuses a suspension threshold above the warning threshold', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await login(page);
    await page.goto(`${base}/projects/${projectId}`);
    await page.click('[data-testid=toggle-settings]');
    await page.fill('[data-testid=quality-settings] input[name=warnPct]', '10');
    await page.fill('[data-testid=quality-settings] input[name=suspendPct]', '90');
    await page.click('[data-testid=quality-settings] button[type=submit]');
    await expect
      .poll(() => page.locator('[data-testid=settings-message]').textContent())
      .toBe('暂停阈值（90%）不能高于警告阈值（10%）：否则工人还没收到警告就会被暂停。');
    expect(await t.ctx.repos.projects.get(projectId)).toMatchObject({ warn_below: 0.75, suspend_below: 0.6 });
    await page.close();
  }, 60_000);
});
