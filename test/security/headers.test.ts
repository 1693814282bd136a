/**
 * Hole 7, second half: no browser protections were sent, and a stored JPEG/HTML
 * polyglot could be opened as a page. Every response now carries a CSP (with
 * frame-ancestors), nosniff and a referrer policy; stored images are served so that
 * they can only ever be images.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { multipart, startTestApp, type TestApp } from '../helpers/harness.js';

/** A real JPEG that is also an HTML document to a sniffing browser. */
async function polyglotJpeg(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 9, g: 90, b: 200 } } })
    .jpeg()
    .toBuffer();
  const html = Buffer.from('<html><body><script>fetch("/api/auth/tokens",{method:"POST"})</script></body></html>');
  return Buffer.concat([jpeg, html]);
}

function expectBrowserHeaders(headers: Record<string, unknown>, what: string) {
  const csp = String(headers['content-security-policy'] ?? '');
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toMatch(/script-src 'self'(;|$)/);
  // Village networks are plain HTTP: upgrading requests would break every page.
  expect(csp, what).not.toContain('upgrade-insecure-requests');
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toBe('same-origin');
  expect(headers['x-frame-options'], what).toBe('DENY');
}

describe.each(dialects)('browser protections on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('sends CSP, nosniff and a referrer policy on the API, the web app and errors', async () => {
    const webDir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'shugu-web-'));
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
    t = await startTestApp(dialect, {}, { webDir });
    const m = await t.newUser('manager', 'manager');
    const responses = {
      api: await t.app.inject({ method: 'GET', url: '/api/me', headers: m.headers }),
      unauthorized: await t.app.inject({ method: 'GET', url: '/api/me' }),
      page: await t.app.inject({ method: 'GET', url: '/' }),
      clientRoute: await t.app.inject({ method: 'GET', url: '/projects/1' }),
      missing: await t.app.inject({ method: 'GET', url: '/api/nothing-here' }),
    };
    expect(responses.page.statusCode).toBe(200);
    expect(responses.clientRoute.statusCode).toBe(200);
    for (const [what, res] of Object.entries(responses)) expectBrowserHeaders(res.headers, what);
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('serves the API docs under a CSP too', async () => {
    t = await startTestApp(dialect);
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).not.toMatch(/<script>(?!\s*<\/script>)/);
    expect(String(docs.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves a stored JPEG/HTML polyglot only as an image that cannot become a page', async () => {
    t = await startTestApp(dialect);
    const m = await t.newUser('manager', 'manager');
    const project = await t.newProject(m.headers);
    const mp = multipart([{ filename: 'face.jpg', content: await polyglotJpeg() }]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/images`,
      headers: { ...m.headers, ...mp.headers },
      payload: mp.payload,
    });
    expect(up.statusCode).toBe(201);
    const itemId = up.json().items[0].id as number;
    // A name a header could choke on, or be split by.
    await t.ctx.db
      .updateTable('items')
      .set({ name: '人脸 "one";\r\nX-Evil: 1 ../../a.html' })
      .where('id', '=', itemId)
      .execute();
    for (const url of [`/api/items/${itemId}/image`, `/api/items/${itemId}/preview`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: m.headers });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toBe('image/jpeg');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none'; sandbox");
      expect(res.headers['x-evil'], url).toBeUndefined();
      const disposition = String(res.headers['content-disposition']);
      expect(disposition, url).toMatch(/^inline; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[A-Za-z0-9%._~-]+$/);
      expect(disposition, url).toMatch(/\.jpg"/);
      expect(disposition, url).not.toContain('/');
    }
    // The stored bytes are unchanged: the protection is in how they are served.
    const res = await t.app.inject({ method: 'GET', url: `/api/items/${itemId}/image`, headers: m.headers });
    expect(res.rawPayload.includes(Buffer.from('<script>'))).toBe(true);
  });
});
