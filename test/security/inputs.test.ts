/**
 * Hole 4 of issue 7: 500s anyone could trigger. Ids past 2^31 (PostgreSQL's integer
 * ends there), NUL bytes and broken Unicode in text (PostgreSQL's text refuses them),
 * an empty PATCH, a COCO file with null images, a manifest with NUL in a path. Every
 * one answers the same 4xx with a stable id on both databases, and changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { multipart, PASSWORD, solidPng, startTestApp, type TestApp } from '../helpers/harness.js';

const BIG = 2 ** 31; // one past PostgreSQL's largest integer

/** Every route with an id in its path, as it stood when the hole was found (26 + the two uploads). */
const ID_ROUTES: [string, string][] = [
  ['GET', '/api/items/:id'],
  ['GET', '/api/items/:id/image'],
  ['GET', '/api/items/:id/preview'],
  ['GET', '/api/projects/:id'],
  ['PATCH', '/api/projects/:id'],
  ['GET', '/api/projects/:id/items'],
  ['POST', '/api/projects/:id/images'],
  ['POST', '/api/projects/:id/manifest'],
  ['GET', '/api/projects/:id/export/coco'],
  ['PUT', '/api/items/:id/gold'],
  ['GET', '/api/items/:id/gold'],
  ['DELETE', '/api/items/:id/gold'],
  ['POST', '/api/items/:id/gold/promote'],
  ['POST', '/api/projects/:id/gold/coco'],
  ['POST', '/api/projects/:id/consensus/attributes'],
  ['GET', '/api/projects/:id/quality'],
  ['GET', '/api/projects/:id/my-quality'],
  ['POST', '/api/projects/:id/workers/:id/reinstate'],
  ['GET', '/api/projects/:id/review/next'],
  ['POST', '/api/annotations/:id/review'],
  ['GET', '/api/items/:id/consensus'],
  ['POST', '/api/projects/:id/lease'],
  ['GET', '/api/projects/:id/leases'],
  ['POST', '/api/assignments/:id/submit'],
  ['POST', '/api/assignments/:id/skip'],
  ['POST', '/api/assignments/:id/release'],
  ['GET', '/api/assignments/:id/image'],
  ['GET', '/api/assignments/:id/preview'],
];

describe.each(dialects)('hostile inputs on %s', (dialect) => {
  let t: TestApp;
  let manager: { id: number; headers: Record<string, string> };
  let worker: { id: number; headers: Record<string, string> };
  let projectId: number;
  let root: string;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-inputs-'));
    t = await startTestApp(dialect, { importRoots: [root] });
    manager = await t.newUser('manager', 'manager');
    worker = await t.newUser('worker', 'worker');
    projectId = (await t.newProject(manager.headers)).id;
    await t.addImages(manager.headers, projectId, 2);
  });
  afterEach(async () => {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const inject = (method: string, url: string, headers: Record<string, string>, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const rows = async () => ({
    users: (await t.ctx.db.selectFrom('users').select('id').execute()).length,
    projects: await t.ctx.db.selectFrom('projects').selectAll().orderBy('id').execute(),
    items: (await t.ctx.db.selectFrom('items').select('id').execute()).length,
    failures: (await t.ctx.db.selectFrom('login_failures').select('username').execute()).length,
  });
  async function expect400(res: Awaited<ReturnType<typeof inject>>, id: string, what: string) {
    expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
    expect(res.json().error.id, what).toBe(id);
  }

  it('answers 400 to an id or cursor past 2^31 on every route, for every role', async () => {
    for (const who of [worker, manager]) {
      for (const [method, route] of ID_ROUTES) {
        for (const bad of [String(BIG), '1e308', String(2 ** 53 + 1), '-1', '0']) {
          const url = route.replace(/:id/g, bad);
          await expect400(
            await inject(method, url, who.headers, method === 'GET' ? undefined : {}),
            'invalid_request',
            `${method} ${url}`,
          );
        }
      }
      // Only the one parameter out of range: the project exists.
      const url = `/api/projects/${projectId}/workers/${BIG}/reinstate`;
      await expect400(await inject('POST', url, who.headers), 'invalid_request', url);
    }
    for (const q of [`after=${BIG}`, 'after=-1', 'after=1e308', `limit=${BIG}`]) {
      const url = `/api/projects/${projectId}/items?${q}`;
      await expect400(await inject('GET', url, manager.headers), 'invalid_request', url);
    }
  });

  it('answers 400 to ids past 2^31 in bodies, creating nothing', async () => {
    const before = await rows();
    const admin = await t.newUser('admin', 'admin');
    const user = { username: 'someone', password: PASSWORD, role: 'worker' };
    await expect400(
      await inject('POST', '/api/users', admin.headers, { ...user, orgId: BIG }),
      'invalid_request',
      'user',
    );
    const project = { name: 'p', templateId: 'face-5', clientOrgId: BIG };
    await expect400(await inject('POST', '/api/projects', manager.headers, project), 'invalid_request', 'project');
    expect({ ...(await rows()), users: before.users }).toEqual(before);
  });

  it('answers 400 to NUL bytes and broken Unicode in text, even before login, writing nothing', async () => {
    const before = await rows();
    for (const username of ['nul\u0000byte', 'half\uD800', '\uDC00tail']) {
      const res = await inject('POST', '/api/auth/login', {}, { username, password: 'whatever1' });
      await expect400(res, 'invalid_text', `login ${JSON.stringify(username)}`);
    }
    const res = await inject('POST', '/api/auth/login', {}, { username: 'manager', password: 'pass\u0000word' });
    await expect400(res, 'invalid_text', 'password with NUL');
    for (const name of ['a\u0000b', '\uD83D', 'x'.repeat(5000)]) {
      // Broken text is refused by the one rule for all text; text that is merely too long, by the field's schema.
      const id = name.length > 1000 ? 'invalid_request' : 'invalid_text';
      const body = { name, templateId: 'face-5' };
      await expect400(await inject('POST', '/api/projects', manager.headers, body), id, 'project name');
      const patch = await inject('PATCH', `/api/projects/${projectId}`, manager.headers, { name });
      await expect400(patch, id, 'project patch');
      const inst = await inject('PATCH', `/api/projects/${projectId}`, manager.headers, {
        instructions: `${name}\u0000`,
      });
      await expect400(inst, 'invalid_text', 'instructions');
      await expect400(await inject('POST', '/api/auth/tokens', manager.headers, { name }), id, 'token');
    }
    const admin = await t.newUser('admin', 'admin');
    await expect400(
      await inject('POST', '/api/orgs', admin.headers, { name: 'Org\u0000', kind: 'client' }),
      'invalid_text',
      'org',
    );
    for (const field of ['username', 'displayName', 'county', 'village']) {
      const body = { username: 'newbie', password: PASSWORD, role: 'worker', [field]: 'Li\u0000' };
      await expect400(await inject('POST', '/api/users', admin.headers, body), 'invalid_text', field);
    }
    const lease = (await inject('POST', `/api/projects/${projectId}/lease`, worker.headers)).json().lease;
    const assignmentId = lease?.assignmentId ?? 1;
    const submit = { clientSubmissionId: 'abc\u0000defgh', data: { instances: [] } };
    await expect400(
      await inject('POST', `/api/assignments/${assignmentId}/submit`, worker.headers, submit),
      'invalid_text',
      'submission id',
    );
    const skip = { reason: 'unclear_rules', comment: 'blurry\u0000' };
    await expect400(
      await inject('POST', `/api/assignments/${assignmentId}/skip`, worker.headers, skip),
      'invalid_text',
      'skip comment',
    );
    const after = await rows();
    expect({ ...after, users: before.users, failures: 0 }).toEqual({ ...before, failures: 0 });
    expect(after.users).toBe(before.users + 1); // the admin
  });

  it('refuses NUL bytes in a session cookie or bearer token as a failed login, not a crash', async () => {
    const cases: Record<string, string>[] = [
      { authorization: 'Bearer shg_abc\u0000def' },
      { authorization: 'Bearer \uD800' },
      { cookie: 'shugu_session=abc%00def' },
      { cookie: 'shugu_session=\u0000' },
    ];
    for (const headers of cases) {
      const res = await inject('GET', '/api/me', headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
    }
  });

  it('answers 400 empty_patch to a PATCH with nothing in it', async () => {
    const before = await rows();
    const res = await inject('PATCH', `/api/projects/${projectId}`, manager.headers, {});
    await expect400(res, 'empty_patch', 'PATCH {}');
    expect(await rows()).toEqual(before);
  });

  it('answers 400 to a COCO gold file with null or malformed entries', async () => {
    const good = { id: 1, file_name: 'img0.png' };
    const bodies = [
      { images: [null], annotations: [] },
      { images: [good], annotations: [null] },
      { images: [{ id: 1, file_name: 'a\u0000b.png' }], annotations: [] },
      { images: [{ id: null, file_name: 'img0.png' }], annotations: [] },
      { images: [good], annotations: [{ image_id: 1, category_id: 1, keypoints: 'nope' }] },
      { images: [good], annotations: [{ image_id: 1, category_id: 1, keypoints: Array(15).fill(null) }] },
      { images: [{ id: 1, file_name: { deep: true } }], annotations: [] },
    ];
    for (const body of bodies) {
      const res = await inject('POST', `/api/projects/${projectId}/gold/coco`, manager.headers, body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(400);
      expect(res.json().error.id).toMatch(/^[a-z_]+$/);
    }
    expect((await t.ctx.db.selectFrom('gold_answers').select('item_id').execute()).length).toBe(0);
  });

  it('answers 400 with the line to manifest rows with NUL bytes, and to file names with them', async () => {
    fs.writeFileSync(path.join(root, 'ok.png'), await solidPng(8, 8, 1));
    const before = await rows();
    const manifests: [string, string][] = [
      ['m.jsonl', `{"path":"ok.png","width":8,"height":8}\n{"path":"ok\\u0000.png","width":8,"height":8}\n`],
      [
        'm.jsonl',
        `{"path":"ok.png","width":8,"height":8}\n{"path":"ok.png","name":"a\\u0000b","width":8,"height":8}\n`,
      ],
      ['m.jsonl', `{"path":"ok.png","width":8,"height":8}\n{"path":"ok.png","name":"\\ud800","width":8,"height":8}\n`],
      ['m.csv', `path,name,width,height\nok.png,a,8,8\nok.png,b\u0000c,8,8\n`],
      ['m.csv', `path,name,width,height\nok.png,a,8,8\nok\u0000.png,b,8,8\n`],
    ];
    for (const [filename, content] of manifests) {
      const mp = multipart([{ filename, content: Buffer.from(content) }]);
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/projects/${projectId}/manifest`,
        headers: { ...manager.headers, ...mp.headers },
        payload: mp.payload,
      });
      await expect400(res, 'manifest_invalid_row', content);
      // The bad row is the second: line 2 of the JSON Lines, line 3 of the CSV (after its header).
      expect(res.json().error.message, content).toMatch(filename.endsWith('.csv') ? /line 3/ : /line 2/);
    }
    const png = await solidPng(10, 10, 99);
    for (const filename of ['a\u0000b.png', 'x'.repeat(2000) + '.png']) {
      const mp = multipart([{ filename, content: png }]);
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/projects/${projectId}/images`,
        headers: { ...manager.headers, ...mp.headers },
        payload: mp.payload,
      });
      await expect400(res, 'invalid_file_name', filename.slice(0, 20));
    }
    expect(await rows()).toEqual(before);
  });
});
