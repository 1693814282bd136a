import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { face5Answer, startTestApp, type TestApp } from '../helpers/harness.js';

describe.each(dialects)('work loop on %s', (dialect) => {
  let t: TestApp;
  let manager: { headers: Record<string, string> };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  const lease = async (headers: Record<string, string>, projectId: number) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/projects/${projectId}/lease`, headers });
    expect(res.statusCode).toBe(200);
    return res.json().lease as { assignmentId: number; item: { id: number; width: number; height: number } } | null;
  };
  const submit = (headers: Record<string, string>, assignmentId: number, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/assignments/${assignmentId}/submit`, headers, payload: body });
  const count = async (table: 'annotations' | 'assignments') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('leases, submits, and stores an identical retry once', async () => {
    const project = await t.newProject(manager.headers);
    await t.addImages(manager.headers, project.id, 2);
    const w = await t.newUser('w1', 'worker');
    const l = await lease(w.headers, project.id);
    expect(l).not.toBeNull();
    expect(l!.item).toMatchObject({ width: 64, height: 48 });
    const body = { clientSubmissionId: randomUUID(), data: face5Answer(), activeMs: 12_345 };
    const first = await submit(w.headers, l!.assignmentId, body);
    expect(first.statusCode).toBe(200);
    expect(first.json().duplicate).toBe(false);
    const retry = await submit(w.headers, l!.assignmentId, body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ annotationId: first.json().annotationId, duplicate: true });
    expect(await count('annotations')).toBe(1);
    const stored = await t.ctx.db.selectFrom('annotations').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(stored.data)).toEqual(body.data);
    expect(stored.active_ms).toBe(12_345);
    const today = await t.app.inject({ method: 'GET', url: '/api/work/today', headers: w.headers });
    expect(today.json()).toEqual({ submitted: 1, activeMs: 12_345 });
  });

  it('refuses an answer that does not fit the template or the image, and writes nothing', async () => {
    const project = await t.newProject(manager.headers);
    await t.addImages(manager.headers, project.id, 1);
    const w = await t.newUser('w1', 'worker');
    const l = (await lease(w.headers, project.id))!;
    const short = face5Answer();
    short.instances[0].points.pop();
    const cases: [unknown, string][] = [
      [short, 'wrong_point_count'],
      [face5Answer(64, 48, 100), 'point_out_of_bounds'],
      [{ instances: [{ bbox: null, points: [[1, 2, 7]] }] }, 'invalid_request'],
      [{ nope: true }, 'invalid_request'],
    ];
    for (const [data, id] of cases) {
      const res = await submit(w.headers, l.assignmentId, { clientSubmissionId: randomUUID(), data });
      expect(res.statusCode, JSON.stringify(data)).toBe(400);
      expect(res.json().error.id).toBe(id);
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: `/api/assignments/${l.assignmentId}/submit`,
      headers: { ...w.headers, 'content-type': 'application/json' },
      payload: '{"clientSubmissionId": "abcdefgh", "data": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.id).toBe('invalid_json');
    expect(await count('annotations')).toBe(0);
    const a = await t.ctx.db.selectFrom('assignments').selectAll().executeTakeFirstOrThrow();
    expect(a.status).toBe('leased');
  });

  it('never gives a worker the same item twice, and respects overlap', async () => {
    const project = await t.newProject(manager.headers, { overlap: 2 });
    await t.addImages(manager.headers, project.id, 3);
    const w1 = await t.newUser('w1', 'worker');
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) {
      const l = (await lease(w1.headers, project.id))!;
      const item = await t.leasedItemId(l);
      expect(seen.has(item)).toBe(false);
      seen.add(item);
      expect(
        (await submit(w1.headers, l.assignmentId, { clientSubmissionId: randomUUID(), data: face5Answer() }))
          .statusCode,
      ).toBe(200);
    }
    expect(await lease(w1.headers, project.id)).toBeNull();
    // A second worker gets each item once more; a third gets nothing (overlap 2).
    const w2 = await t.newUser('w2', 'worker');
    const seen2 = new Set<number>();
    for (let i = 0; i < 3; i++) {
      const l = (await lease(w2.headers, project.id))!;
      seen2.add(await t.leasedItemId(l));
      await submit(w2.headers, l.assignmentId, { clientSubmissionId: randomUUID(), data: face5Answer() });
    }
    expect(seen2).toEqual(seen);
    const w3 = await t.newUser('w3', 'worker');
    expect(await lease(w3.headers, project.id)).toBeNull();
  });

  it('keeps overlap under 50 concurrent workers', async () => {
    const project = await t.newProject(manager.headers, { overlap: 3 });
    await t.addImages(manager.headers, project.id, 20);
    const workers = [];
    for (let i = 0; i < 50; i++) workers.push(await t.newUser(`cw${i}`, 'worker'));
    const submitted: { worker: number; item: number }[] = [];
    await Promise.all(
      workers.map(async (w) => {
        for (;;) {
          const l = await lease(w.headers, project.id);
          if (!l) return;
          const res = await submit(w.headers, l.assignmentId, {
            clientSubmissionId: randomUUID(),
            data: face5Answer(),
          });
          expect(res.statusCode).toBe(200);
          submitted.push({ worker: w.id, item: await t.leasedItemId(l) });
        }
      }),
    );
    expect(submitted).toHaveLength(60);
    const perItem = new Map<number, Set<number>>();
    for (const s of submitted) {
      const set = perItem.get(s.item) ?? new Set();
      expect(set.has(s.worker)).toBe(false);
      set.add(s.worker);
      perItem.set(s.item, set);
    }
    expect([...perItem.values()].every((s) => s.size === 3)).toBe(true);
    const rows = await t.ctx.db.selectFrom('items').select(['claimed', 'submitted', 'open']).execute();
    expect(rows.every((r) => r.claimed === 3 && r.submitted === 3 && r.open === 0)).toBe(true);
  });

  it('returns an expired lease to the pool, and still takes a late answer while a slot is free', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, leaseSeconds: 60 });
    await t.addImages(manager.headers, project.id, 1);
    const w1 = await t.newUser('w1', 'worker');
    const w2 = await t.newUser('w2', 'worker');
    const l1 = (await lease(w1.headers, project.id))!;
    expect(await lease(w2.headers, project.id)).toBeNull();
    t.clock.advance(61_000);
    const l2 = (await lease(w2.headers, project.id))!;
    expect(await t.leasedItemId(l2)).toBe(await t.leasedItemId(l1));
    // w1's answer is late and the only slot is taken: refused, and nothing stored.
    const late = await submit(w1.headers, l1.assignmentId, { clientSubmissionId: randomUUID(), data: face5Answer() });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.id).toBe('lease_expired');
    // w2 lets its lease expire too; now the slot is free and w2's late answer is taken.
    t.clock.advance(61_000);
    await t.ctx.services.work.sweep();
    const ok = await submit(w2.headers, l2.assignmentId, { clientSubmissionId: randomUUID(), data: face5Answer() });
    expect(ok.statusCode).toBe(200);
    const item = await t.ctx.db.selectFrom('items').selectAll().executeTakeFirstOrThrow();
    expect(item).toMatchObject({ claimed: 1, submitted: 1, open: 0 });
  });

  it('skip gives the item back to others, not at once to the same worker', async () => {
    const project = await t.newProject(manager.headers);
    await t.addImages(manager.headers, project.id, 1);
    const w1 = await t.newUser('w1', 'worker');
    const w2 = await t.newUser('w2', 'worker');
    const l = (await lease(w1.headers, project.id))!;
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/assignments/${l.assignmentId}/skip`,
      headers: w1.headers,
      payload: { reason: 'bored' },
    });
    expect(bad.statusCode).toBe(400);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/assignments/${l.assignmentId}/skip`,
      headers: w1.headers,
      payload: { reason: 'no_face' },
    });
    expect(res.statusCode).toBe(200);
    expect(await lease(w1.headers, project.id)).toBeNull();
    expect(await t.leasedItemId((await lease(w2.headers, project.id))!)).toBe(await t.leasedItemId(l));
  });

  it("refuses what is not the caller's", async () => {
    const project = await t.newProject(manager.headers);
    await t.addImages(manager.headers, project.id, 2);
    const w1 = await t.newUser('w1', 'worker');
    const w2 = await t.newUser('w2', 'worker');
    const l = (await lease(w1.headers, project.id))!;
    const other = await submit(w2.headers, l.assignmentId, { clientSubmissionId: randomUUID(), data: face5Answer() });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.id).toBe('assignment_not_found');
    const img = await t.app.inject({
      method: 'GET',
      url: `/api/assignments/${l.assignmentId}/image`,
      headers: w2.headers,
    });
    expect(img.statusCode).toBe(404);
    const own = await t.app.inject({
      method: 'GET',
      url: `/api/assignments/${l.assignmentId}/image`,
      headers: w1.headers,
    });
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('image/png');
    // Workers cannot browse items, manage projects or export.
    for (const [method, url] of [
      ['GET', `/api/items/${l.item.id}`],
      ['GET', `/api/projects/${project.id}/items`],
      ['GET', `/api/projects/${project.id}/export/coco`],
      ['PATCH', `/api/projects/${project.id}`],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: w1.headers,
        payload: method === 'PATCH' ? { overlap: 3 } : undefined,
      });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.id).toBe('role_not_allowed');
    }
    // A manager cannot lease; nobody without a session gets anything.
    const m = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/lease`,
      headers: manager.headers,
    });
    expect(m.json().error.id).toBe('role_not_allowed');
    const anon = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/lease` });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.id).toBe('unauthorized');
  });
});
