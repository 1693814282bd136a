/**
 * Quality pages in Chromium: the manager's charts and reinstatement, a reviewer's
 * rejection, and a worker reading why an answer was rejected.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, hasBrowser, launchBrowser, screenshotDir } from '../helpers/browser.js';
import { face5Answer, PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

describe.skipIf(!hasBrowser)('quality pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let projectId: number;
  let spammerId: number;

  beforeAll(async () => {
    const webDir = await buildWeb();
    t = await startTestApp('sqlite', {}, { webDir });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const manager = await t.newUser('manager', 'manager');
    await t.newUser('reviewer', 'reviewer');
    const project = await t.newProject(manager.headers, {
      overlap: 2,
      goldRate: 0.3,
      minGold: 2,
      agreementThreshold: 0.95,
      lowAgreementAction: 'review',
    });
    projectId = project.id;
    const items = await t.addImages(manager.headers, projectId, 16);
    for (const g of items.slice(0, 4)) {
      await t.app.inject({
        method: 'PUT',
        url: `/api/items/${g.id}/gold`,
        headers: manager.headers,
        payload: { data: face5Answer() },
      });
    }
    // A careful worker and a spammer work through the queue; every third round is a check for
    // both (gold is random otherwise: services/gold-placement.ts).
    let draw = 0;
    t.ctx.services.quality.goldDraw = () => (draw++ % 6 >= 4 ? 0 : 0.99);
    const careful = await t.newUser('careful', 'worker');
    const spammer = await t.newUser('spammer', 'worker');
    spammerId = spammer.id;
    for (let round = 0; round < 12; round++) {
      for (const [w, dx] of [
        [careful, 0],
        [spammer, 17],
      ] as const) {
        const l = (
          await t.app.inject({ method: 'POST', url: `/api/projects/${projectId}/lease`, headers: w.headers })
        ).json().lease;
        if (!l) continue;
        await t.app.inject({
          method: 'POST',
          url: `/api/assignments/${l.assignmentId}/submit`,
          headers: w.headers,
          payload: { clientSubmissionId: randomUUID(), data: face5Answer(64, 48, dx) },
        });
      }
    }
    browser = await launchBrowser();
    fs.mkdirSync(screenshotDir, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function login(page: Page, username: string) {
    await page.goto(base + '/');
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.topbar, .project-list');
  }

  it('shows accuracy, charts and reinstates a suspended worker', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await login(page, 'manager');
    await page.goto(`${base}/projects/${projectId}/quality`);
    await page.waitForSelector('[data-testid=worker-table]');
    await page.waitForSelector('[data-testid=chart-points][data-ready="1"]');
    await page.waitForSelector('[data-testid=chart-agreement][data-ready="1"]');
    const rows = await page.locator('[data-testid=worker-table] tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('spammer') && r.includes('已暂停'))).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, 'quality-page.png'), fullPage: true });
    await page.click(`[data-testid=reinstate-${spammerId}]`);
    await expect.poll(async () => (await t.ctx.repos.quality.standing(projectId, spammerId))?.status).toBe('active');
    await page.close();
  }, 60_000);

  it('lets a reviewer reject an answer, and the worker reads why', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await login(page, 'reviewer');
    await page.goto(`${base}/projects/${projectId}/review`);
    await page.waitForSelector('[data-testid^=reject-]');
    await page.screenshot({ path: path.join(screenshotDir, 'review-page.png') });
    // Reject the first answer still waiting for a verdict.
    const button = page.locator('button[data-testid^=reject-]').first();
    const annotationId = Number((await button.getAttribute('data-testid'))!.slice('reject-'.length));
    await page.selectOption('[data-testid=reject-reason]', 'wrong_points');
    await page.fill('[data-testid=reject-comment]', '鼻尖偏右了');
    await button.click();
    await expect
      .poll(
        async () =>
          (
            await t.ctx.db
              .selectFrom('annotations')
              .select('status')
              .where('id', '=', annotationId)
              .executeTakeFirstOrThrow()
          ).status,
      )
      .toBe('rejected');
    await page.close();
    const author = await t.ctx.db
      .selectFrom('annotations')
      .innerJoin('users', 'users.id', 'annotations.worker_id')
      .select('users.username')
      .where('annotations.id', '=', annotationId)
      .executeTakeFirstOrThrow();

    const worker = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await login(worker, author.username);
    const box = worker.locator(`[data-testid=my-quality-${projectId}]`);
    await box.waitFor();
    expect(await box.textContent()).toContain('鼻尖偏右了');
    await worker.screenshot({ path: path.join(screenshotDir, 'worker-quality.png') });
    await worker.close();
  }, 60_000);
});
