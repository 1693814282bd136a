import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { face68 } from '../../src/core/templates/index.js';
import { dialects } from '../helpers/databases.js';
import {
  blobFiles,
  face5Answer,
  multipart,
  PASSWORD,
  SAME_ORIGIN,
  solidPng,
  startTestApp,
  type TestApp,
} from '../helpers/harness.js';

const customTemplate = () => ({
  id: 'leaf-3',
  name: { zh: '叶子', en: 'Leaf' },
  kind: 'custom',
  points: ['tip', 'middle', 'stem'].map((id, i) => ({
    id,
    name: { zh: id, en: id },
    group: 'leaf',
    side: 'center',
    color: '#0a0',
    sigma: 0.05,
    ref: [0.5, i / 2],
  })),
  skeleton: [
    [0, 1],
    [1, 2],
  ],
  flipPairs: [],
  normalization: [0, 2],
  refAspect: 0.5,
});

describe.each(dialects)('projects on %s', (dialect) => {
  let t: TestApp;
  let manager: { id: number; headers: Record<string, string> };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  const createProject = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/projects', headers, payload });
  const count = async (table: 'projects' | 'items' | 'blobs' | 'annotations') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const storedFiles = () => blobFiles(t.config.blobDir);

  it('creates a project from a built-in template and from a valid custom one', async () => {
    const res = await createProject(manager.headers, { name: '  Faces 68  ', templateId: 'face-68', overlap: 3 });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      name: 'Faces 68',
      orgId: t.vendor.id,
      clientOrgId: null,
      overlap: 3,
      leaseSeconds: 1800,
      status: 'active',
    });
    expect(p.template.id).toBe('face-68');
    expect(p.template.points).toHaveLength(68);
    expect(p.template).toEqual(JSON.parse(JSON.stringify(face68)));
    const row = await t.ctx.db.selectFrom('projects').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.created_by).toBe(manager.id);
    expect(JSON.parse(row.template).points).toHaveLength(68);

    const custom = await createProject(manager.headers, { name: 'Leaves', template: customTemplate() });
    expect(custom.statusCode).toBe(201);
    expect(custom.json().template).toEqual(customTemplate());
    const got = await t.app.inject({
      method: 'GET',
      url: `/api/projects/${custom.json().id}`,
      headers: manager.headers,
    });
    expect(got.statusCode).toBe(200);
    expect(got.json().template.skeleton).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(got.json().progress).toEqual({ items: 0, submissions: 0, itemsFullyClaimed: 0, gold: 0 });
  });

  it('refuses bad templates and bad bodies, creating nothing', async () => {
    const outOfRange = customTemplate();
    outOfRange.skeleton.push([1, 3]);
    const duplicateIds = customTemplate();
    duplicateIds.points[2].id = 'tip';
    const selfEdge = customTemplate();
    selfEdge.skeleton = [[1, 1]];
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: 'x', template: outOfRange }, 400, 'invalid_request'],
      [{ name: 'x', template: duplicateIds }, 400, 'invalid_request'],
      [{ name: 'x', template: selfEdge }, 400, 'invalid_request'],
      [{ name: 'x', template: { ...customTemplate(), points: [] } }, 400, 'invalid_request'],
      [{ name: 'x', templateId: 'face-1000' }, 400, 'unknown_template'],
      [{ name: 'x' }, 400, 'invalid_request'],
      [{ name: 'x', templateId: 'face-5', template: customTemplate() }, 400, 'invalid_request'],
      [{ name: '   ', templateId: 'face-5' }, 400, 'invalid_request'],
      [{ name: 'x', templateId: 'face-5', overlap: 0 }, 400, 'invalid_request'],
      [{ name: 'x', templateId: 'face-5', leaseSeconds: 5 }, 400, 'invalid_request'],
      [{ name: 'x', templateId: 'face-5', clientOrgId: t.vendor.id }, 400, 'invalid_client_org'],
      [{ name: 'x', templateId: 'face-5', clientOrgId: 999_999 }, 400, 'invalid_client_org'],
    ];
    for (const [payload, status, id] of cases) {
      const res = await createProject(manager.headers, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.id, JSON.stringify(payload)).toBe(id);
    }
    const outOfRangeRes = await createProject(manager.headers, { name: 'x', template: outOfRange });
    expect(outOfRangeRes.json().error.message).toMatch(/skeleton/);
    expect(await count('projects')).toBe(0);
  });

  it('lets only admins and managers create projects', async () => {
    for (const role of ['worker', 'reviewer'] as const) {
      const u = await t.newUser(`a-${role}`, role);
      const res = await createProject(u.headers, { name: 'Nope', templateId: 'face-5' });
      expect(res.statusCode, role).toBe(403);
      expect(res.json().error.id).toBe('role_not_allowed');
    }
    const anon = await createProject({}, { name: 'Nope', templateId: 'face-5' });
    expect(anon.statusCode).toBe(401);
    expect(await count('projects')).toBe(0);
    const admin = await t.newUser('admin', 'admin');
    expect((await createProject(admin.headers, { name: 'Yes', templateId: 'face-5' })).statusCode).toBe(201);
  });

  describe('client organisations', () => {
    async function clientUser(admin: Record<string, string>, orgName: string, username: string) {
      const org = await t.app.inject({
        method: 'POST',
        url: '/api/orgs',
        headers: admin,
        payload: { name: orgName, kind: 'client' },
      });
      expect(org.statusCode).toBe(201);
      expect(org.json()).toMatchObject({ name: orgName, kind: 'client' });
      const user = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin,
        payload: { orgId: org.json().id, username, password: PASSWORD, role: 'client' },
      });
      expect(user.statusCode).toBe(201);
      expect(user.json()).toMatchObject({ username, role: 'client', org_id: org.json().id });
      expect(user.json()).not.toHaveProperty('password_hash');
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      return { orgId: org.json().id as number, headers: { cookie, origin: SAME_ORIGIN } };
    }

    it('shows a client its own projects only; another client sees none of them', async () => {
      const admin = await t.newUser('admin', 'admin');
      const a = await clientUser(admin.headers, 'Client A', 'client-a');
      const b = await clientUser(admin.headers, 'Client B', 'client-b');
      const project = await t.newProject(manager.headers, { name: 'For A', clientOrgId: a.orgId });
      await t.newProject(manager.headers, { name: 'Internal' });
      expect(project).toMatchObject({ id: expect.any(Number) });

      // Client A sees it, uploads to it, lists its items and exports it.
      const listA = await t.app.inject({ method: 'GET', url: '/api/projects', headers: a.headers });
      expect(listA.statusCode).toBe(200);
      expect(listA.json().projects.map((p: { name: string }) => p.name)).toEqual(['For A']);
      const getA = await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}`, headers: a.headers });
      expect(getA.statusCode).toBe(200);
      expect(getA.json().clientOrgId).toBe(a.orgId);
      const items = await t.addImages(a.headers, project.id, 2);
      expect(items).toHaveLength(2);
      const itemsA = await t.app.inject({
        method: 'GET',
        url: `/api/projects/${project.id}/items`,
        headers: a.headers,
      });
      expect(itemsA.statusCode).toBe(200);
      expect(itemsA.json().items.map((i: { id: number }) => i.id)).toEqual(items.map((i) => i.id));
      const exportA = await t.app.inject({
        method: 'GET',
        url: `/api/projects/${project.id}/export/coco?unfinished=empty`,
        headers: a.headers,
      });
      expect(exportA.statusCode).toBe(200);
      expect(exportA.json().images).toHaveLength(2);
      // A client reads but does not manage.
      const patchA = await t.app.inject({
        method: 'PATCH',
        url: `/api/projects/${project.id}`,
        headers: a.headers,
        payload: { overlap: 5 },
      });
      expect(patchA.statusCode).toBe(403);
      expect(patchA.json().error.id).toBe('role_not_allowed');

      // Client B: an empty list and "not found" everywhere, nothing written.
      const listB = await t.app.inject({ method: 'GET', url: '/api/projects', headers: b.headers });
      expect(listB.statusCode).toBe(200);
      expect(listB.json().projects).toEqual([]);
      const itemsBefore = await count('items');
      const blobsBefore = await count('blobs');
      const filesBefore = storedFiles();
      const mp = multipart([{ filename: 'sneaky.png', content: await solidPng(32, 32, 999) }]);
      const refusals = [
        await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}`, headers: b.headers }),
        await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/items`, headers: b.headers }),
        await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/export/coco`, headers: b.headers }),
        await t.app.inject({
          method: 'POST',
          url: `/api/projects/${project.id}/images`,
          headers: { ...b.headers, ...mp.headers },
          payload: mp.payload,
        }),
        await t.app.inject({
          method: 'PATCH',
          url: `/api/projects/${project.id}`,
          headers: b.headers,
          payload: { overlap: 5 },
        }),
      ];
      for (const res of refusals) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json().error.id).toBe('project_not_found');
      }
      // Another's item answers like a missing item.
      for (const url of [`/api/items/${items[0].id}`, `/api/items/${items[0].id}/image`]) {
        const res = await t.app.inject({ method: 'GET', url, headers: b.headers });
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json().error.id).toBe('item_not_found');
      }
      // The same answer as for a project that does not exist at all.
      const missing = await t.app.inject({ method: 'GET', url: '/api/projects/999999', headers: b.headers });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.id).toBe('project_not_found');
      expect(await count('items')).toBe(itemsBefore);
      expect(await count('blobs')).toBe(blobsBefore);
      expect(storedFiles()).toEqual(filesBefore);
      const stillOverlap = await t.ctx.db
        .selectFrom('projects')
        .select('overlap')
        .where('id', '=', project.id)
        .execute();
      expect(stillOverlap).toEqual([{ overlap: 1 }]);
    });

    it('refuses a client user in a vendor organisation and a non-admin creating orgs', async () => {
      const admin = await t.newUser('admin', 'admin');
      const mixed = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin.headers,
        payload: { orgId: t.vendor.id, username: 'c1', password: PASSWORD, role: 'client' },
      });
      expect(mixed.statusCode).toBe(400);
      expect(mixed.json().error.id).toBe('role_org_mismatch');
      const org = await t.app.inject({
        method: 'POST',
        url: '/api/orgs',
        headers: manager.headers,
        payload: { name: 'Sneaky', kind: 'client' },
      });
      expect(org.statusCode).toBe(403);
      expect(org.json().error.id).toBe('role_not_allowed');
      const users = await t.ctx.db.selectFrom('users').select('username').execute();
      expect(users.map((u) => u.username).sort()).toEqual(['admin', 'manager']);
    });
  });

  it("changing overlap moves the items' open flags", async () => {
    const project = await t.newProject(manager.headers, { overlap: 1 });
    const items = await t.addImages(manager.headers, project.id, 2);
    const w = await t.newUser('w1', 'worker');
    const lease = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/lease`, headers: w.headers });
    const l = lease.json().lease;
    const sub = await t.app.inject({
      method: 'POST',
      url: `/api/assignments/${l.assignmentId}/submit`,
      headers: w.headers,
      payload: { clientSubmissionId: randomUUID(), data: face5Answer() },
    });
    expect(sub.statusCode).toBe(200);
    const done = await t.leasedItemId(l);
    const other = items.map((i) => i.id).find((id) => id !== done)!;
    const flags = async () =>
      Object.fromEntries(
        (await t.ctx.db.selectFrom('items').select(['id', 'open', 'claimed']).execute()).map((r) => [
          r.id,
          [r.open, r.claimed],
        ]),
      );
    expect(await flags()).toEqual({ [done]: [0, 1], [other]: [1, 0] });

    const patch = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: `/api/projects/${project.id}`, headers: manager.headers, payload });
    const up = await patch({ overlap: 2 });
    expect(up.statusCode).toBe(200);
    expect(up.json().overlap).toBe(2);
    expect(await flags()).toEqual({ [done]: [1, 1], [other]: [1, 0] });
    // The worker who answered never gets it again; a second worker now can.
    const w2 = await t.newUser('w2', 'worker');
    const seen = new Set<number>();
    for (let i = 0; i < 2; i++) {
      const r = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/lease`, headers: w2.headers });
      seen.add(await t.leasedItemId(r.json().lease));
    }
    expect(seen).toEqual(new Set([done, other]));

    const down = await patch({ overlap: 1 });
    expect(down.statusCode).toBe(200);
    // w2 holds a lease on each, so both are full at overlap 1.
    expect(await flags()).toEqual({ [done]: [0, 2], [other]: [0, 1] });

    const bad = await patch({ overlap: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.id).toBe('invalid_request');
    const row = await t.ctx.db.selectFrom('projects').select('overlap').where('id', '=', project.id).execute();
    expect(row).toEqual([{ overlap: 1 }]);
  });
});
