/**
 * Training in Chromium, on the demo face-68 course: a worker who may not work yet is
 * sent to training, reads the lessons, practises and sees every point's error drawn
 * and listed, fails the exam, waits out the cool-down on the test clock, passes, and
 * may then start the project.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { face68 } from '../../src/core/templates/index.js';
import { seedDemoTraining } from '../../src/server/seed/training-demo.js';
import { sampleImagesDir } from '../../src/server/services/seed.service.js';
import { buildWeb, hasBrowser, launchBrowser, screenshotDir } from '../helpers/browser.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

describe.skipIf(!hasBrowser)('training in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let courseId: number;
  let projectId: number;

  beforeAll(async () => {
    const webDir = await buildWeb();
    t = await startTestApp('sqlite', {}, { webDir });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const manager = await t.newUser('manager', 'manager');
    await t.newUser('learner', 'worker', undefined, { certified: false });
    courseId = await seedDemoTraining(t.ctx, t.vendor.id, manager.id, sampleImagesDir());
    projectId = (await t.newProject(manager.headers, { templateId: 'face-68', name: '人脸 68 点' })).id;
    await t.addImages(manager.headers, projectId, 2);
    browser = await launchBrowser();
    fs.mkdirSync(screenshotDir, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Loads an answer into the page's editor (placing 68 points by hand is the worker test's job). */
  const loadAnswer = (page: Page, data: unknown) => page.evaluate((d) => (window as any).shuguEditor.load(d), data);

  const referenceOf = async (itemId: number) =>
    JSON.parse((await t.ctx.repos.training.item(itemId))!.reference!) as {
      instances: { bbox: number[]; points: [number, number, number][] }[];
    };

  it('takes a new worker from the home page through lessons, practice and the exam to work', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    await page.goto(base + '/');
    await page.fill('input[name=username]', 'learner');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    // Not certified: the home page points to training instead of offering the project.
    await page.waitForSelector(`[data-testid=needs-training-${projectId}]`);
    expect(await page.locator(`[data-testid=start-${projectId}]`).count()).toBe(0);
    await page.click(`[data-testid=needs-training-${projectId}] a`);
    await page.waitForSelector('[data-testid=course]');
    await page.click('[data-testid=next-step]');

    // Three lessons, the first with the numbered diagram.
    await page.waitForSelector('[data-testid=lesson] h1');
    expect(await page.locator('[data-testid=lesson] img').count()).toBe(1);
    await expect
      .poll(() => page.locator('[data-testid=lesson] img').evaluate((i: HTMLImageElement) => i.naturalWidth))
      .toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshotDir, 'training-lesson.png'), fullPage: true });
    for (const title of ['可见', '快捷键']) {
      await page.click('[data-testid=next-lesson]');
      await expect.poll(() => page.locator('[data-testid=lesson] h1').first().textContent()).toContain(title);
    }
    expect(await page.locator('[data-testid=lesson]').textContent()).toContain('模型生成的演示答案');

    // Practice: the answer is the reference with the left eye's outer corner 12 px off.
    await page.click('[data-testid=next-lesson]');
    await page.waitForSelector('[data-testid=practice-submit]');
    const itemId = Number(/\/training\/practice\/(\d+)/.exec(page.url())![1]);
    const answer = await referenceOf(itemId);
    answer.instances[0].points[45][0] += 12;
    await loadAnswer(page, answer);
    await page.click('[data-testid=practice-submit]');
    const first = page.locator('[data-testid=practice-error-list] li').first();
    await expect.poll(() => first.textContent()).toContain('左眼外眼角 偏离 12 px');
    expect(await page.locator('[data-testid=practice-error-list] li').count()).toBe(68);
    expect(await page.locator('[data-testid=feedback-layer]').count()).toBe(1);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(screenshotDir, 'training-practice-feedback.png') });

    // The exam, handed in empty: every item needs a second press, then the result and the cool-down.
    await page.goto(`${base}/training/courses/${courseId}/exam`);
    for (let i = 0; i < 10; i++) {
      await expect.poll(() => page.locator('[data-testid=exam-progress]').textContent()).toContain(`${i + 1} / 10`);
      await page.click('[data-testid=exam-submit]');
      await page.waitForSelector('[data-testid=exam-incomplete]');
      await page.click('[data-testid=exam-submit]');
    }
    await page.waitForSelector('[data-testid=exam-result][data-status=failed]');
    expect(await page.locator('[data-testid=cooldown]').textContent()).toMatch(/\d\d:\d\d/);
    await page.screenshot({ path: path.join(screenshotDir, 'training-exam-failed.png') });
    await page.click('[data-testid=exam-retry]');
    await page.waitForSelector('[data-testid=cooldown]');

    // Thirty minutes later (the server's clock), the exam again, answered with care.
    t.clock.advance(30 * 60_000);
    await page.click('[data-testid=exam-retry]');
    for (let i = 0; i < 10; i++) {
      await expect.poll(() => page.locator('[data-testid=exam-progress]').textContent()).toContain(`${i + 1} / 10`);
      await page.waitForFunction(() => (window as any).shuguEditor);
      const attempt = await t.ctx.db
        .selectFrom('training_attempts')
        .select('item_ids')
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow();
      const examItem = (JSON.parse(attempt.item_ids) as number[])[i];
      await page.waitForFunction(
        (h) => (window as any).shuguEditor?.imageSize.height === h,
        (await t.ctx.repos.training.item(examItem))!.height,
      );
      await loadAnswer(page, await referenceOf(examItem));
      await page.click('[data-testid=exam-submit]');
    }
    await page.waitForSelector('[data-testid=exam-result][data-status=passed]');
    expect(await page.locator('[data-testid=exam-result] h2').textContent()).toContain('3 级');
    await page.screenshot({ path: path.join(screenshotDir, 'training-exam-passed.png') });

    // Certified: the project can be started.
    await page.click('[data-testid=exam-to-work]');
    await page.waitForSelector(`[data-testid=start-${projectId}]`);
    expect(face68.points[45].name.zh).toBe('左眼外眼角');
    await page.close();
  }, 300_000);
});
