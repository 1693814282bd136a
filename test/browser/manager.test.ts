/**
 * A manager in Chromium creates a project, uploads images through the file picker of
 * the drop zone, browses an item with a submission drawn over it, and downloads the
 * COCO export.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleImagesDir } from '../../src/server/services/seed.service.js';
import { buildWeb, hasBrowser, launchBrowser, screenshotDir } from '../helpers/browser.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

describe.skipIf(!hasBrowser)('manager console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

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
  });

  it('creates a project, uploads images, sees a submission and downloads the export', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    await page.goto(base + '/');
    await page.fill('input[name=username]', 'manager');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.click('[data-testid=new-project]');
    await page.fill('[data-testid=project-form] input[name=name]', '村级基地 人脸 68 点');
    await page.selectOption('[data-testid=project-form] select[name=template]', 'face-68');
    await page.fill('[data-testid=project-form] input[name=overlap]', '2');
    await page.fill('[data-testid=project-form] input[name=pieceRate]', '0.80');
    await page.screenshot({ path: path.join(screenshotDir, 'console-new-project.png') });
    await page.click('[data-testid=project-form] button[type=submit]');
    await page.waitForURL(/\/projects\/\d+$/);
    const projectId = Number(new URL(page.url()).pathname.split('/').pop());
    const project = await t.ctx.repos.projects.get(projectId);
    expect(project).toMatchObject({ name: '村级基地 人脸 68 点', overlap: 2, piece_rate_fen: 80 });

    const files = ['sample4.jpg', 'sample5.jpg', 'sample6.jpg'].map((f) => path.join(sampleImagesDir(), f));
    await page.setInputFiles('[data-testid=file-input]', files);
    await expect
      .poll(() => page.locator('[data-testid=upload-result]').textContent(), { timeout: 30_000 })
      .toContain('3');
    await expect.poll(() => page.locator('.thumbs li').count()).toBe(3);
    await page.screenshot({ path: path.join(screenshotDir, 'console-project.png') });

    // A worker's answer, then the manager looks at it drawn over the image.
    const worker = await t.newUser('w1', 'worker');
    const lease = (
      await t.app.inject({ method: 'POST', url: `/api/projects/${projectId}/lease`, headers: worker.headers })
    ).json().lease;
    const { width: w, height: h } = lease.item;
    const points = Array.from({ length: 68 }, (_, i) => [
      w * 0.3 + (i % 10) * w * 0.04,
      h * 0.3 + Math.floor(i / 10) * h * 0.05,
      2,
    ]);
    const sub = await t.app.inject({
      method: 'POST',
      url: `/api/assignments/${lease.assignmentId}/submit`,
      headers: worker.headers,
      payload: {
        clientSubmissionId: randomUUID(),
        data: { instances: [{ bbox: [w * 0.25, h * 0.25, w * 0.5, h * 0.5], points }] },
      },
    });
    expect(sub.statusCode).toBe(200);
    // The worker saw an opaque id (services/worker-ids.ts); the manager's page takes the row id.
    await page.goto(`${base}/projects/${projectId}/items/${await t.leasedItemId(lease)}`);
    await page.locator('[data-testid=submission-overlay] circle').first().waitFor();
    expect(await page.locator('[data-testid=submission-overlay] circle').count()).toBe(68);
    await page.screenshot({ path: path.join(screenshotDir, 'console-item.png') });

    await page.goto(`${base}/projects/${projectId}`);
    const download = async () => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')]);
      return JSON.parse(fs.readFileSync((await d.path())!, 'utf8'));
    };
    // The final dataset: no image has its two answers yet, so nothing is finished.
    const final = await download();
    expect(final.info.shugu).toEqual({ mode: 'final', unfinished: 'omit', includeGold: false });
    expect(final.images).toEqual([]);
    // Unfinished images listed without annotations.
    await page.selectOption('[data-testid=export-form] select[name=unfinished]', 'empty');
    const listed = await download();
    expect(listed.images).toHaveLength(3);
    expect(listed.annotations).toEqual([]);
    // The audit: every image and every answer, with its status.
    await page.selectOption('[data-testid=export-form] select[name=mode]', 'all');
    await page.check('[data-testid=export-form] input[name=includeGold]');
    const coco = await download();
    expect(coco.info.shugu).toEqual({ mode: 'all', unfinished: 'listed', includeGold: true });
    expect(coco.images).toHaveLength(3);
    expect(coco.annotations).toHaveLength(1);
    expect(coco.annotations[0]).toMatchObject({ shugu_status: 'submitted', shugu_worker_id: worker.id });
    expect(coco.annotations[0].keypoints).toHaveLength(68 * 3);
    expect(coco.categories[0].keypoints).toHaveLength(68);
    await page.close();
  }, 120_000);
});
