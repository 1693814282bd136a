/**
 * Holes 7 in a real browser: the web app and the API docs work under the CSP (no
 * violation reported), and a page on another port of the same host, which shares the
 * Lax session cookie, can neither lease work with a text/plain form POST nor add an
 * image with a no-cors multipart upload.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, hasBrowser, launchBrowser } from '../helpers/browser.js';
import { PASSWORD, solidPng, startTestApp, type TestApp } from '../helpers/harness.js';

/** Collects CSP violations the page reports, from the first script on. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  return async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...console];
}

describe.skipIf(!hasBrowser)('browser protections in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let evil: http.Server;
  let evilBase: string;
  let projectId: number;

  beforeAll(async () => {
    const webDir = await buildWeb();
    t = await startTestApp('sqlite', {}, { webDir });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const manager = await t.newUser('manager', 'manager');
    projectId = (await t.newProject(manager.headers)).id;
    await t.addImages(manager.headers, projectId, 1);
    await t.newUser('w1', 'worker');
    const png = (await solidPng(16, 16, 4242)).toString('base64');
    // The attacker's page: same host, another port.
    evil = http.createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      if (req.url === '/form') {
        res.end(
          `<form id="f" method="POST" enctype="text/plain" action="${base}/api/projects/${projectId}/lease">` +
            `<input name="a" value="b"></form><script>document.getElementById('f').submit()</script>`,
        );
      } else {
        res.end(
          `<script>
            const fd = new FormData();
            fd.append('file', new Blob([Uint8Array.from(atob('${png}'), (c) => c.charCodeAt(0))], { type: 'image/png' }), 'planted.png');
            fetch('${base}/api/projects/${projectId}/images', { method: 'POST', mode: 'no-cors', credentials: 'include', body: fd })
              .finally(() => { document.title = 'settled'; });
          </script>`,
        );
      }
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilBase = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => evil?.close(resolve));
    await t?.close();
  });

  const login = async (page: Page, username: string) => {
    await page.goto(base + '/');
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
  };
  const count = async (table: 'items' | 'assignments') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('runs the web app and the API docs without a CSP violation', async () => {
    const page = await browser.newPage();
    const violations = await watchViolations(page);
    await login(page, 'manager');
    await page.waitForSelector('[data-testid=new-project]');
    await page.goto(`${base}/projects/${projectId}`);
    await expect.poll(() => page.locator('.thumbs li img').count(), { timeout: 15_000 }).toBe(1);
    expect(await violations()).toEqual([]);

    const docs = await browser.newPage();
    const docViolations = await watchViolations(docs);
    await docs.goto(base + '/docs');
    await docs.waitForSelector('.swagger-ui .info .title', { timeout: 30_000 });
    await expect.poll(() => docs.locator('.opblock').count(), { timeout: 15_000 }).toBeGreaterThan(10);
    expect(await docViolations()).toEqual([]);
    await page.close();
    await docs.close();
  }, 90_000);

  it('a page on another port cannot lease work with a text/plain form POST', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, 'w1');
    await page.waitForSelector(`[data-testid=start-${projectId}]`);
    const assignments = await count('assignments');
    await page.goto(evilBase + '/form');
    await page.waitForURL(/\/lease$/);
    expect(await page.textContent('body')).toContain('csrf_origin_mismatch');
    expect(await count('assignments')).toBe(assignments);
    await context.close();
  }, 90_000);

  it('a page on another port cannot upload an image with a no-cors multipart fetch', async () => {
    const context = await browser.newContext();
    const manager = await context.newPage();
    await login(manager, 'manager');
    await manager.waitForSelector('[data-testid=new-project]');
    const items = await count('items');
    // The request does reach the server (its answer is then hidden from the page by CORP).
    const seen: string[] = [];
    const onRequest = (req: http.IncomingMessage) => seen.push(`${req.method} ${req.url} ${req.headers.origin}`);
    t.app.server.on('request', onRequest);
    await manager.goto(evilBase + '/upload');
    await expect.poll(() => manager.title(), { timeout: 10_000 }).toBe('settled');
    t.app.server.off('request', onRequest);
    expect(seen).toEqual([`POST /api/projects/${projectId}/images ${evilBase}`]);
    expect(await count('items')).toBe(items);
    await context.close();
  }, 90_000);
});
