/**
 * A worker in Chromium: places all 68 points of a demo face by clicks in the guided
 * order, drags one, undoes and redoes, marks one occluded and submits; a reload keeps
 * the draft; with the server stopped, the submission waits and lands once it is back.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { face68 } from '../../src/core/templates/index.js';
import { buildApp } from '../../src/server/app.js';
import { sampleImagesDir } from '../../src/server/services/seed.service.js';
import { buildWeb, hasBrowser, launchBrowser, screenshotDir } from '../helpers/browser.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

describe.skipIf(!hasBrowser)('worker workspace in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let port: number;
  let projectId: number;
  let webDir: string;

  beforeAll(async () => {
    webDir = await buildWeb();
    t = await startTestApp('sqlite', {}, { webDir });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    const manager = await t.newUser('manager', 'manager');
    await t.newUser('worker1', 'worker');
    const p = await t.newProject(manager.headers, { templateId: 'face-68', name: '人脸', overlap: 1 });
    projectId = p.id;
    // Sample faces: one per scenario, and one fetched ahead.
    const dir = await t.ctx.store.stagingDir();
    const staged = ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg'].map((f) => {
      fs.copyFileSync(path.join(sampleImagesDir(), f), path.join(dir, f));
      return { name: f, file: path.join(dir, f) };
    });
    const actor = (await t.ctx.repos.users.findByUsername('manager'))!;
    await t.ctx.services.images.ingest((await t.ctx.repos.users.get(actor.id))!, projectId, staged, dir);
    browser = await launchBrowser();
    fs.mkdirSync(screenshotDir, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function login(page: Page) {
    await page.goto(base + '/');
    await page.fill('input[name=username]', 'worker1');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.click(`[data-testid=start-${projectId}]`);
    await page.waitForFunction(() => (window as any).shuguEditor && document.querySelector('[data-testid=next-point]'));
    // Wait for the image, so the canvas shows what the worker sees.
    await page.waitForTimeout(300);
  }

  /** Screen position (page coordinates) of an image point. */
  async function toPage(page: Page, x: number, y: number) {
    const box = (await page.locator('[data-testid=editor-canvas]').boundingBox())!;
    const s = await page.evaluate(([px, py]) => (window as any).shuguEditor.imageToScreen({ x: px, y: py }), [x, y]);
    return { x: box.x + s.x, y: box.y + s.y };
  }

  /** Where we put face point i: the template's reference face scaled into the image. */
  function target(i: number, w: number, h: number) {
    const side = Math.min(w, h) * 0.8;
    const [rx, ry] = face68.points[i].ref;
    return {
      x: Math.round((w - side) / 2 + rx * side),
      y: Math.round((h - side) / 2 + (ry * side) / face68.refAspect),
    };
  }

  const currentLease = async (page: Page) =>
    page.evaluate(() => {
      const e = (window as any).shuguEditor;
      return { w: e.imageSize.width, h: e.imageSize.height };
    });

  it('places 68 points in guided order, drags, undoes, redoes, marks occluded, submits', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await login(page);
    const { w, h } = await currentLease(page);
    const clicked: { x: number; y: number }[] = [];
    for (let i = 0; i < 68; i++) {
      const next = await page.locator('[data-testid=next-point] strong').textContent();
      expect(next).toBe(face68.points[i].name.zh);
      const p = target(i, w, h);
      const s = await toPage(page, p.x, p.y);
      await page.mouse.click(s.x, s.y);
      clicked.push(
        await page.evaluate(
          ([sx, sy]) => (window as any).shuguEditor.screenToImage({ x: sx, y: sy }),
          [
            s.x - (await page.locator('[data-testid=editor-canvas]').boundingBox())!.x,
            s.y - (await page.locator('[data-testid=editor-canvas]').boundingBox())!.y,
          ],
        ),
      );
      if (i === 30) await page.screenshot({ path: path.join(screenshotDir, 'editor-placing.png') });
    }
    await expect.poll(() => page.locator('[data-testid=next-point]').textContent()).toContain('Enter');
    // Drag the nose tip (30) 25 image pixels to the right.
    const from = await toPage(page, clicked[30].x, clicked[30].y);
    const to = await toPage(page, clicked[30].x + 25, clicked[30].y);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, from.y, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    const pointAt = (i: number) => page.evaluate((k) => (window as any).shuguEditor.document.instances[0].points[k], i);
    const dragged = await pointAt(30);
    expect(dragged[0]).toBeCloseTo(clicked[30].x + 25, 0);
    await page.keyboard.press('Control+z');
    expect((await pointAt(30))[0]).toBeCloseTo(clicked[30].x, 1);
    await page.keyboard.press('Control+Shift+z');
    expect((await pointAt(30))[0]).toBeCloseTo(dragged[0], 1);
    // Select the left eye's outer corner (45) with a click and mark it occluded with key 2.
    const eye = await toPage(page, clicked[45].x, clicked[45].y);
    await page.mouse.click(eye.x, eye.y);
    await page.keyboard.press('2');
    expect((await pointAt(45))[2]).toBe(1);
    await page.screenshot({ path: path.join(screenshotDir, 'editor-complete.png') });
    await page.keyboard.press('?');
    await page.locator('[data-testid=help-overlay]').waitFor();
    await page.screenshot({ path: path.join(screenshotDir, 'editor-help.png') });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=help-overlay]').waitFor({ state: 'detached' });

    await page.click('[data-testid=submit]');
    await expect.poll(() => page.locator('[data-testid=outbox-status]').getAttribute('class')).toBe('badge');
    await expect
      .poll(async () =>
        Number(
          (
            await t.ctx.db
              .selectFrom('annotations')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      )
      .toBe(1);
    const row = await t.ctx.db.selectFrom('annotations').selectAll().executeTakeFirstOrThrow();
    const data = JSON.parse(row.data);
    expect(data.instances).toHaveLength(1);
    const pts = data.instances[0].points as [number, number, number][];
    expect(pts).toHaveLength(68);
    pts.forEach(([x, y, v], i) => {
      const want = i === 30 ? { x: dragged[0], y: dragged[1] } : clicked[i];
      expect(Math.abs(x - want.x), `point ${i} x`).toBeLessThan(0.01);
      expect(Math.abs(y - want.y), `point ${i} y`).toBeLessThan(0.01);
      expect(v).toBe(i === 45 ? 1 : 2);
    });
    expect(row.active_ms).toBeGreaterThan(0);
    await page.close();
  }, 120_000);

  it('restores the draft after a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await login(page);
    const { w, h } = await currentLease(page);
    const assignment = await page.evaluate(() => document.title);
    void assignment;
    for (let i = 0; i < 10; i++) {
      const s = await toPage(page, target(i, w, h).x, target(i, w, h).y);
      await page.mouse.click(s.x, s.y);
    }
    const before = await page.evaluate(() => (window as any).shuguEditor.document.instances[0].points.slice(0, 10));
    await page.waitForTimeout(600); // the draft is saved 300 ms after the last change
    await page.reload();
    await page.waitForFunction(() => (window as any).shuguEditor?.document.instances.length === 1);
    const after = await page.evaluate(() => (window as any).shuguEditor.document.instances[0].points.slice(0, 10));
    expect(after).toEqual(before);
    expect(await page.locator('[data-testid=notice]').textContent()).toBe('已恢复上次未提交的草稿');
    expect(await page.locator('[data-testid=next-point] strong').textContent()).toBe(face68.points[10].name.zh);
    await page.screenshot({ path: path.join(screenshotDir, 'editor-restored.png') });
    await page.close();
  }, 120_000);

  it('keeps a submission while the server is down and delivers it once when it is back', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await login(page);
    const count = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('annotations')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    // The draft from the previous test is this item's; complete it.
    const { w, h } = await currentLease(page);
    const placed = await page.evaluate(() => (window as any).shuguEditor.progress().overall.placed);
    for (let i = placed; i < 68; i++) {
      const s = await toPage(page, target(i, w, h).x, target(i, w, h).y);
      await page.mouse.click(s.x, s.y);
    }
    await t.app.close(); // the server goes away
    await page.click('[data-testid=submit]');
    await expect.poll(() => page.locator('[data-testid=outbox-status]').textContent()).toContain('1');
    await page.screenshot({ path: path.join(screenshotDir, 'editor-offline.png') });
    expect(await count()).toBe(before);
    // Back on the same port with the same database.
    t.app = await buildApp(t.ctx, { webDir });
    await t.app.listen({ port, host: '127.0.0.1' });
    await expect.poll(count, { timeout: 30_000 }).toBe(before + 1);
    await expect
      .poll(() => page.locator('[data-testid=outbox-status]').getAttribute('class'), { timeout: 30_000 })
      .toBe('badge');
    await page.waitForTimeout(1500);
    expect(await count()).toBe(before + 1);
    await page.close();
  }, 120_000);

  it('places points by touch on a tablet-sized screen', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const page = await context.newPage();
    await login(page);
    const { w, h } = await currentLease(page);
    const placed = await page.evaluate(() => (window as any).shuguEditor.progress().overall.placed);
    const taps: { x: number; y: number }[] = [];
    for (let i = placed; i < placed + 5; i++) {
      const p = target(i, w, h);
      const s = await toPage(page, p.x, p.y);
      await page.touchscreen.tap(s.x, s.y);
      taps.push(p);
    }
    const points = await page.evaluate(
      ([from, n]) => (window as any).shuguEditor.document.instances[0].points.slice(from, from + n),
      [placed, 5],
    );
    const zoom = await page.evaluate(() => (window as any).shuguEditor.session.camera.zoom);
    points.forEach((pt: [number, number, number], k: number) => {
      expect(Math.abs(pt[0] - taps[k].x)).toBeLessThanOrEqual(1 / zoom);
      expect(Math.abs(pt[1] - taps[k].y)).toBeLessThanOrEqual(1 / zoom);
      expect(pt[2]).toBe(2);
    });
    // The photo itself is on screen (its own canvas layer), not just the points.
    const pixel = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('.image-layer')!;
      return [...c.getContext('2d')!.getImageData(c.width / 2, c.height / 2, 1, 1).data];
    });
    expect(pixel.slice(0, 3)).not.toEqual([29, 35, 43]);
    await page.screenshot({ path: path.join(screenshotDir, 'editor-tablet.png') });
    await context.close();
  }, 120_000);
});
