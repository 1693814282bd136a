import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { it } from 'vitest';
import { buildWeb, launchBrowser, screenshotDir } from '../helpers/browser.js';
import { PASSWORD, startTestApp } from '../helpers/harness.js';
import { seedNovember } from '../helpers/report-seed.js';
void chromium;
it('debug', async () => {
  const webDir = await buildWeb();
  const t = await startTestApp('sqlite', {}, { webDir });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const manager = await t.newUser('manager', 'manager');
  const project = await t.newProject(manager.headers);
  await seedNovember(t.ctx, t.vendor.id, project.id);
  const browser = await launchBrowser();
  for (const url of ['/reports/employment', '/pay', '/workers', '/training', '/']) {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await page.goto(base + '/');
    await page.fill('input[name=username]', 'manager');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.topbar');
    await page.goto(base + url);
    await page.waitForTimeout(2000);
    if (url.includes('report')) await page.fill('[data-testid=report-month]', '2026-11');
    await page.waitForTimeout(1500);
    const res = await page.evaluate(() => {
      const out: string[] = [];
      const W = window.innerWidth;
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        if (r.right > W + 1) {
          let p = el.parentElement; let clipped = false;
          while (p) { const s = getComputedStyle(p); if (s.overflowX !== 'visible') { clipped = true; break; } p = p.parentElement; }
          if (!clipped) out.push(`${el.tagName}.${(el as HTMLElement).className} right=${Math.round(r.right)} w=${Math.round(r.width)}`);
        }
      }
      return { sw: document.documentElement.scrollWidth, W, out: out.slice(0, 15) };
    });
    console.log(url, JSON.stringify(res, null, 1));
    await page.screenshot({ path: path.join(screenshotDir, `zz-${url.replace(/\//g, '_')}.png`) });
    await page.close();
  }
  await browser.close();
  await t.close();
}, 200_000);
