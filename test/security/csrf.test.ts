/**
 * Hole 7: a page on another port of the same host (same site, so the Lax session
 * cookie rides along) leased work with a text/plain form POST and added an image
 * with a no-cors multipart upload. Every state-changing request that a browser could
 * have sent with ambient credentials must now come from the server's own origin.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { blobFiles, multipart, solidPng, startTestApp, type TestApp } from '../helpers/harness.js';

const EVIL = 'http://localhost:9999';

describe.each(dialects)('cross-site requests on %s', (dialect) => {
  let t: TestApp;
  let manager: { cookie: string };
  let worker: { cookie: string };
  let projectId: number;
  beforeEach(async () => {
    t = await startTestApp(dialect);
    const m = await t.newUser('manager', 'manager');
    manager = m;
    const p = await t.newProject(m.headers);
    projectId = p.id;
    await t.addImages(m.headers, projectId, 2);
    worker = await t.newUser('w1', 'worker');
  });
  afterEach(async () => t.close());

  const count = async (table: 'items' | 'blobs' | 'assignments' | 'projects' | 'sessions') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const formLease = (headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/lease`,
      headers: { cookie: worker.cookie, 'content-type': 'text/plain', ...headers },
      payload: 'a=b',
    });
  const upload = async (headers: Record<string, string>) => {
    const mp = multipart([{ filename: 'planted.png', content: await solidPng(20, 20, 4242) }]);
    return t.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/images`,
      headers: { cookie: manager.cookie, ...mp.headers, ...headers },
      payload: mp.payload,
    });
  };

  it('refuses a text/plain form POST from another port, leasing nothing', async () => {
    const res = await formLease({ origin: EVIL });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.id).toBe('csrf_origin_mismatch');
    expect(await count('assignments')).toBe(0);
  });

  it('refuses a no-cors multipart upload from another port, storing nothing', async () => {
    const items = await count('items');
    const files = blobFiles(t.config.blobDir).sort();
    const res = await upload({ origin: EVIL });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.id).toBe('csrf_origin_mismatch');
    expect(await count('items')).toBe(items);
    expect(blobFiles(t.config.blobDir).sort()).toEqual(files);
  });

  it('falls back to Referer, and refuses simple bodies that carry neither header', async () => {
    const viaReferer = await formLease({ referer: `${EVIL}/attack.html` });
    expect(viaReferer.statusCode).toBe(403);
    expect(viaReferer.json().error.id).toBe('csrf_origin_mismatch');
    for (const res of [await formLease({}), await upload({})]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.id).toBe('csrf_origin_missing');
    }
    const urlencoded = await formLease({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(urlencoded.statusCode).toBe(403);
    expect(await count('assignments')).toBe(0);
    expect(await count('items')).toBe(2);
    // A same-origin Referer is enough when Origin is absent.
    const ok = await upload({ referer: 'http://localhost/projects/1' });
    expect(ok.statusCode).toBe(201);
  });

  it('compares scheme, host and port: https, another host, and "null" are all foreign', async () => {
    for (const origin of [
      'https://localhost',
      'http://localhost.evil.example',
      'http://127.0.0.1',
      'null',
      'garbage',
    ]) {
      const res = await formLease({ origin });
      expect(res.statusCode, origin).toBe(403);
      expect(res.json().error.id, origin).toBe('csrf_origin_mismatch');
    }
    expect(await count('assignments')).toBe(0);
  });

  it('lets same-origin requests, JSON without Origin, bodiless POSTs and bearer tokens through', async () => {
    // The request's own origin, with or without the default port.
    expect((await formLease({ origin: 'http://localhost' })).statusCode).toBe(200);
    expect((await upload({ origin: 'http://localhost:80' })).statusCode).toBe(201);
    // JSON cannot be sent cross-site without a CORS preflight, which this server never grants.
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { cookie: manager.cookie },
      payload: { name: 'JSON', templateId: 'face-5', overlap: 1, leaseSeconds: 600 },
    });
    expect(json.statusCode).toBe(201);
    // No body at all (what scripts and the CLI send to lease or log out).
    const bare = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/lease`,
      headers: { cookie: worker.cookie },
    });
    expect(bare.statusCode).toBe(200);
    // A bearer token is no ambient credential: Origin does not matter.
    const tok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: { cookie: manager.cookie, origin: 'http://localhost' },
      payload: { name: 'pipeline' },
    });
    expect(tok.statusCode).toBe(201);
    const mp = multipart([{ filename: 'pipeline.png', content: await solidPng(20, 20, 77) }]);
    const viaToken = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/images`,
      headers: { authorization: `Bearer ${tok.json().token}`, origin: EVIL, ...mp.headers },
      payload: mp.payload,
    });
    expect(viaToken.statusCode).toBe(201);
  });

  it('refuses a login posted from another origin (login CSRF), opening no session', async () => {
    const before = await count('sessions');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: EVIL },
      payload: { username: 'manager', password: 'correct horse battery' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.id).toBe('csrf_origin_mismatch');
    expect(res.cookies).toHaveLength(0);
    expect(await count('sessions')).toBe(before);
  });
});

describe.each(dialects)('cross-site requests behind a proxy on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it("takes scheme and host from a trusted proxy's forwarded headers only", async () => {
    t = await startTestApp(dialect, { trustProxy: '127.0.0.1' });
    const m = await t.newUser('manager', 'manager');
    const create = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/projects',
        remoteAddress,
        headers: {
          cookie: m.cookie,
          host: 'shugu.example',
          origin: 'https://shugu.example',
          'x-forwarded-proto': 'https',
          'x-forwarded-for': '198.51.100.7',
        },
        payload: { name: 'Via proxy', templateId: 'face-5', overlap: 1, leaseSeconds: 600 },
      });
    expect((await create('127.0.0.1')).statusCode).toBe(201);
    // The same headers from a peer that is not the proxy: the request is plain http, so https is foreign.
    const direct = await create('203.0.113.5');
    expect(direct.statusCode).toBe(403);
    expect(direct.json().error.id).toBe('csrf_origin_mismatch');
  });
});
