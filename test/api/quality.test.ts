import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { face5Answer, startTestApp, type TestApp } from '../helpers/harness.js';
import { workerIdsFor } from '../../src/server/services/worker-ids.js';

/** A face-5 reference with coordinates no worker answer or id would contain by chance. */
function goldAnswer(seed: number) {
  const f = (x: number) => Math.round((x + seed * 0.001) * 1e4) / 1e4;
  return {
    instances: [
      {
        bbox: [4.1234, 4.5678, 55.4321, 39.8765],
        points: [
          [f(20.3817), f(16.2941), 2],
          [f(44.5173), f(16.8329), 2],
          [f(32.7761), f(26.1193), 2],
          [f(24.2297), f(36.4417), 1],
          [f(40.6653), f(36.9071), 2],
        ],
      },
    ],
  };
}

describe.each(dialects)('quality on %s', (dialect) => {
  let t: TestApp;
  let manager: { headers: Record<string, string> };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  const inject = (method: string, url: string, headers: Record<string, string>, payload?: unknown) =>
    t.app.inject({ method: method as any, url, headers, payload: payload as any });
  const lease = async (headers: Record<string, string>, projectId: number) => {
    const res = await inject('POST', `/api/projects/${projectId}/lease`, headers);
    return { res, lease: res.statusCode === 200 ? res.json().lease : null };
  };
  const submit = (headers: Record<string, string>, assignmentId: number, data: unknown) =>
    inject('POST', `/api/assignments/${assignmentId}/submit`, headers, { clientSubmissionId: randomUUID(), data });

  it('mixes gold into the queue and never lets its reference, a gold count or a row id reach the worker', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, goldRate: 0.5 });
    const items = await t.addImages(manager.headers, project.id, 8);
    const golds = items.slice(0, 3);
    const secrets: string[] = [];
    for (const [k, g] of golds.entries()) {
      const ref = goldAnswer(k + 1);
      const res = await inject('PUT', `/api/items/${g.id}/gold`, manager.headers, { data: ref });
      expect(res.statusCode).toBe(200);
      for (const p of ref.instances[0].points) secrets.push(String(p[0]), String(p[1]));
      secrets.push('4.1234', '55.4321');
    }
    // Gold and regular in turn, gold first (gold is random otherwise: services/gold-placement.ts).
    let turn = 0;
    t.ctx.services.quality.goldDraw = () => (turn++ % 2 === 0 ? 0 : 0.99);
    const w = await t.newUser('w1', 'worker');
    // Every GET route of the API (from the OpenAPI document, so routes added later are walked too).
    const doc = (await inject('GET', '/docs/json', {})).json() as { paths: Record<string, Record<string, unknown>> };
    const getRoutes = Object.entries(doc.paths)
      .filter(([, ops]) => 'get' in ops)
      .map(([path]) => path.replace(/\{(\w+)\}/g, ':$1'));
    expect(getRoutes.length).toBeGreaterThan(20);
    const responses: string[] = [];
    const bodies: unknown[] = [];
    const record = (r: { body: string; rawPayload: Buffer; statusCode: number; headers: Record<string, unknown> }) => {
      responses.push(r.body, r.rawPayload.toString('latin1'));
      if (r.statusCode === 200 && String(r.headers['content-type']).includes('json')) bodies.push(JSON.parse(r.body));
    };
    /** Every GET route, its first path id filled with each of `ids`, the others with harmless values. */
    const walk = async (ids: number[]) => {
      for (const route of getRoutes) {
        const names = [...route.matchAll(/:(\w+)/g)].map((m) => m[1]);
        const fill = (first: number) => {
          let k = 0;
          return route.replace(/:(\w+)/g, (_, name: string) => {
            if (name === 'period') return '2026-11';
            if (name === 'workerId') return String(w.id);
            return k++ === 0 ? String(first) : '1';
          });
        };
        for (const id of names.length ? ids : [0]) record(await inject('GET', fill(id), w.headers));
      }
    };
    let goldSeen = 0;
    for (let i = 0; i < 8; i++) {
      const { res, lease: l } = await lease(w.headers, project.id);
      record(res);
      if (!l) break;
      const itemRow = await t.leasedItemId(l);
      if (golds.some((g) => g.id === itemRow)) goldSeen++;
      // The ids she sees are not row ids (services/worker-ids.ts).
      expect(l.item.id).not.toBe(itemRow);
      const assignmentRow = await t.ctx.db
        .selectFrom('assignments')
        .select('id')
        .where('item_id', '=', itemRow)
        .where('worker_id', '=', w.id)
        .executeTakeFirstOrThrow();
      expect(l.assignmentId).not.toBe(assignmentRow.id);
      // Every route with this lease's ids; the project's and the row ids once at the end.
      await walk([l.assignmentId, l.item.id]);
      if (i % 4 === 3)
        record(await inject('POST', `/api/assignments/${l.assignmentId}/skip`, w.headers, { reason: 'too_hard' }));
      else record(await submit(w.headers, l.assignmentId, face5Answer()));
    }
    expect(goldSeen).toBe(3);
    await walk([project.id, ...items.map((i) => i.id)]);
    const all = responses.join('\n');
    for (const s of secrets) expect(all.includes(s), `reference value ${s} reached the worker`).toBe(false);
    // No field a worker reads is about gold, apart from the project's settings (the rate, the skip rule).
    const SETTINGS = new Set(['goldRate', 'minGold', 'goldSkipAction', 'goldSkipMargin']);
    const goldKeys = new Set<string>();
    const keys = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(keys);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (/gold/i.test(k) && !SETTINGS.has(k)) goldKeys.add(k);
          keys(x);
        }
    };
    bodies.forEach(keys);
    expect([...goldKeys]).toEqual([]);
    // Her project list counts regular items only: nothing to subtract a gold count from.
    const listed = (await inject('GET', '/api/projects', w.headers)).json().projects;
    expect(listed[0].progress).toEqual({ items: 5, submissions: 3, itemsFullyClaimed: 3 });
    // Gold items never count toward overlap: nothing about them is claimed or open-tracked.
    const goldRows = await t.ctx.db
      .selectFrom('items')
      .select(['claimed', 'is_gold'])
      .where('is_gold', '=', 1)
      .execute();
    expect(goldRows.every((r) => r.claimed === 0)).toBe(true);
    // The manager sees the reference, the worker's scores and the gold count.
    const ref = await inject('GET', `/api/items/${golds[0].id}/gold`, manager.headers);
    expect(ref.json().data).toEqual(goldAnswer(1));
    const stats = (await inject('GET', `/api/projects/${project.id}/quality`, manager.headers)).json();
    expect(stats.workers[0]).toMatchObject({ username: 'w1', checked: 3 });
    const mine = (await inject('GET', '/api/projects', manager.headers)).json().projects;
    expect(mine[0].progress).toMatchObject({ items: 8, gold: 3 });
  }, 120_000);

  it('suspends a worker whose gold answers are poor, names a left/right swap, and reinstates', async () => {
    const project = await t.newProject(manager.headers, {
      overlap: 1,
      goldRate: 0.5,
      minGold: 3,
      suspendBelow: 0.5,
      warnBelow: 0.8,
      feedbackBatch: 5,
    });
    const items = await t.addImages(manager.headers, project.id, 12);
    // Regular and gold in turn (gold is random otherwise: services/gold-placement.ts).
    let turn = 0;
    t.ctx.services.quality.goldDraw = () => (turn++ % 2 === 0 ? 0.99 : 0);
    for (const g of items.slice(0, 6))
      await inject('PUT', `/api/items/${g.id}/gold`, manager.headers, { data: goldAnswer(0) });
    const w = await t.newUser('spammer', 'worker');
    const golds = new Set(items.slice(0, 6).map((i) => i.id));
    let scored = 0;
    for (let i = 0; i < 12 && scored < 3; i++) {
      const { lease: l } = await lease(w.headers, project.id);
      expect(l).not.toBeNull();
      if (golds.has(await t.leasedItemId(l))) {
        // Left and right swapped on every point pair: eyes and mouth corners.
        const ref = goldAnswer(0).instances[0];
        const p = ref.points;
        const swapped = { instances: [{ bbox: ref.bbox, points: [p[1], p[0], p[2], p[4], p[3]] }] };
        expect((await submit(w.headers, l.assignmentId, swapped)).statusCode).toBe(200);
        scored++;
      } else {
        await submit(w.headers, l.assignmentId, face5Answer());
      }
    }
    const refused = await lease(w.headers, project.id);
    // Its answers on regular items are no longer trusted: rejected, and the items reopened.
    const spammerId = (await t.ctx.repos.users.findByUsername('spammer'))!.id;
    const regular = await t.ctx.db
      .selectFrom('annotations')
      .innerJoin('items', 'items.id', 'annotations.item_id')
      .select(['annotations.status', 'items.submitted', 'items.claimed', 'items.open'])
      .where('annotations.worker_id', '=', spammerId)
      .where('items.is_gold', '=', 0)
      .execute();
    expect(regular.length).toBeGreaterThan(0);
    expect(regular.every((r) => r.status === 'rejected' && r.submitted === 0 && r.claimed === 0 && r.open === 1)).toBe(
      true,
    );
    expect(refused.res.statusCode).toBe(403);
    expect(refused.res.json().error.id).toBe('worker_suspended');
    const mine = (await inject('GET', `/api/projects/${project.id}/my-quality`, w.headers)).json();
    expect(mine.status).toBe('suspended');
    // Her page shows her checks as of her 5th answer (feedbackBatch 5): the second check is the latest.
    expect(mine.asOf).toEqual({ answers: 5, every: 5 });
    expect(mine.checked).toBe(2);
    expect(mine.feedback[0].problems).toContainEqual(expect.objectContaining({ code: 'left_right_swap', instance: 0 }));
    const workerId = (await t.ctx.repos.users.findByUsername('spammer'))!.id;
    const re = await inject('POST', `/api/projects/${project.id}/workers/${workerId}/reinstate`, manager.headers);
    expect(re.statusCode).toBe(200);
    expect((await lease(w.headers, project.id)).res.statusCode).toBe(200);
    // Workers cannot reinstate themselves.
    const self = await inject('POST', `/api/projects/${project.id}/workers/${workerId}/reinstate`, w.headers);
    expect(self.statusCode).toBe(403);
  });

  it('merges a consensus when the overlap is reached', async () => {
    const project = await t.newProject(manager.headers, { overlap: 3 });
    const [item] = await t.addImages(manager.headers, project.id, 1);
    const offsets = [0, 1, 2];
    for (const [k, dx] of offsets.entries()) {
      const w = await t.newUser(`w${k}`, 'worker');
      const { lease: l } = await lease(w.headers, project.id);
      expect((await inject('GET', `/api/items/${item.id}/consensus`, manager.headers)).statusCode).toBe(404);
      await submit(w.headers, l.assignmentId, face5Answer(64, 48, dx));
    }
    const c = await inject('GET', `/api/items/${item.id}/consensus`, manager.headers);
    expect(c.statusCode).toBe(200);
    const body = c.json();
    expect(body.submissions).toBe(3);
    // The coordinate-wise median of dx 0, 1, 2 is the middle answer.
    expect(body.data.instances[0].points[0]).toEqual([21, 16, 2]);
    expect(body.agreement).toBeGreaterThan(0.5);
  });

  it('merges per-instance attributes by majority, and project-wide with Dawid–Skene on request', async () => {
    const project = await t.newProject(manager.headers, { overlap: 3 });
    const [item] = await t.addImages(manager.headers, project.id, 1);
    for (const [k, glasses] of ['yes', 'yes', 'no'].entries()) {
      const w = await t.newUser(`aw${k}`, 'worker');
      const { lease: l } = await lease(w.headers, project.id);
      const data = face5Answer(64, 48, k);
      (data.instances[0] as any).attributes = { glasses };
      expect((await submit(w.headers, l.assignmentId, data)).statusCode).toBe(200);
    }
    const c = (await inject('GET', `/api/items/${item.id}/consensus`, manager.headers)).json();
    expect(c.data.instances[0].attributes).toEqual({ glasses: 'yes' });
    const res = await inject('POST', `/api/projects/${project.id}/consensus/attributes`, manager.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ items: 1, observations: 3 });
    const after = (await inject('GET', `/api/items/${item.id}/consensus`, manager.headers)).json();
    expect(after.data.instances[0].attributes).toEqual({ glasses: 'yes' });
    const w = await t.newUser('aw9', 'worker');
    expect((await inject('POST', `/api/projects/${project.id}/consensus/attributes`, w.headers)).statusCode).toBe(403);
  });

  it('sends a poorly agreed item to review; rejection returns it to the pool and tells the worker', async () => {
    const project = await t.newProject(manager.headers, {
      overlap: 2,
      agreementThreshold: 0.9,
      lowAgreementAction: 'review',
    });
    const [item] = await t.addImages(manager.headers, project.id, 1);
    const w1 = await t.newUser('w1', 'worker');
    const w2 = await t.newUser('w2', 'worker');
    const a1 = (await lease(w1.headers, project.id)).lease;
    const a2 = (await lease(w2.headers, project.id)).lease;
    await submit(w1.headers, a1.assignmentId, face5Answer());
    await submit(w2.headers, a2.assignmentId, face5Answer(64, 48, 14));
    const reviewer = await t.newUser('rev', 'reviewer');
    const next = await inject('GET', `/api/projects/${project.id}/review/next`, reviewer.headers);
    const review = next.json().review;
    expect(review.item).toMatchObject({ id: item.id, reason: 'flagged' });
    expect(review.submissions).toHaveLength(2);
    expect(review.consensus).not.toBeNull();
    const bad = review.submissions.find(
      (s: any) => s.workerId !== (w1 as any).id && s.data.instances[0].points[0][0] === 34,
    );
    const noReason = await inject('POST', `/api/annotations/${bad.annotationId}/review`, reviewer.headers, {
      verdict: 'reject',
    });
    expect(noReason.json().error.id).toBe('reason_required');
    const rej = await inject('POST', `/api/annotations/${bad.annotationId}/review`, reviewer.headers, {
      verdict: 'reject',
      reasonCode: 'wrong_points',
      comment: '眼角偏了',
    });
    expect(rej.statusCode).toBe(200);
    const good = review.submissions.find((s: any) => s.annotationId !== bad.annotationId);
    expect(
      (await inject('POST', `/api/annotations/${good.annotationId}/review`, reviewer.headers, { verdict: 'accept' }))
        .statusCode,
    ).toBe(200);
    const again = await inject('POST', `/api/annotations/${good.annotationId}/review`, reviewer.headers, {
      verdict: 'accept',
    });
    expect(again.json().error.id).toBe('already_reviewed');
    // The item is open again for a third worker; the rejected worker sees why.
    const w3 = await t.newUser('w3', 'worker');
    expect(await t.leasedItemId((await lease(w3.headers, project.id)).lease)).toBe(item.id);
    const mine = (await inject('GET', `/api/projects/${project.id}/my-quality`, w2.headers)).json();
    // The item under the id she saw it by (services/worker-ids.ts).
    const herItemId = (await workerIdsFor(t.ctx.db)).item(w2.id, item.id);
    expect(mine.rejections[0]).toMatchObject({ itemId: herItemId, reason: 'wrong_points', comment: '眼角偏了' });
    expect((await inject('GET', `/api/items/${item.id}/consensus`, manager.headers)).statusCode).toBe(404);
    expect((await inject('GET', `/api/projects/${project.id}/review/next`, reviewer.headers)).json().review).toBeNull();
  });

  it('takes gold from a COCO file and from a consensus', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1 });
    const items = await t.addImages(manager.headers, project.id, 2);
    const ref = goldAnswer(3).instances[0];
    const coco = {
      images: [
        { id: 7, file_name: 'img0.png', width: 64, height: 48 },
        { id: 8, file_name: 'missing.png' },
      ],
      annotations: [{ id: 1, image_id: 7, category_id: 1, bbox: ref.bbox, keypoints: ref.points.flat() }],
      categories: [],
    };
    const res = await inject('POST', `/api/projects/${project.id}/gold/coco`, manager.headers, coco);
    expect(res.json()).toEqual({
      marked: 1,
      unmatched: ['missing.png'],
      empty: [],
      skipped: { crowd: [], otherCategory: [] },
    });
    expect(
      (await inject('GET', `/api/items/${items[0].id}/gold`, manager.headers)).json().data.instances[0].points,
    ).toEqual(ref.points);
    const bad = await inject('POST', `/api/projects/${project.id}/gold/coco`, manager.headers, {
      images: coco.images,
      annotations: [{ ...coco.annotations[0], keypoints: [1, 2, 2] }],
    });
    expect(bad.json().error.id).toBe('wrong_point_count');
    const w = await t.newUser('w1', 'worker');
    const l = (await lease(w.headers, project.id)).lease;
    expect(await t.leasedItemId(l)).toBe(items[1].id);
    await submit(w.headers, l.assignmentId, face5Answer());
    const promoted = await inject('POST', `/api/items/${items[1].id}/gold/promote`, manager.headers);
    expect(promoted.statusCode).toBe(200);
    expect((await inject('GET', `/api/items/${items[1].id}/gold`, manager.headers)).json().source).toBe('consensus');
  });
});
