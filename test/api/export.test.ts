import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXPORT_OPTIONS, type ExportOptions } from '../../src/core/api/export-options.js';
import { face5, face68 } from '../../src/core/templates/index.js';
import type { KeypointTemplate } from '../../src/core/templates/template.js';
import { dialects } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/harness.js';

/** Uploads images that are then leased in id order, as the stories below assume (migration 0010 makes it random). */
async function addInIdOrder(t: TestApp, ...args: Parameters<TestApp['addImages']>) {
  const items = await t.addImages(...args);
  await t.leaseInIdOrder();
  return items;
}

type Pt = [number, number, 0 | 1 | 2];
type Answer = { instances: { bbox: [number, number, number, number] | null; points: Pt[] }[] };

interface Coco {
  info: Record<string, unknown> & { shugu: { mode: string; unfinished: string; includeGold: boolean } };
  images: {
    id: number;
    file_name: string;
    width: number;
    height: number;
    shugu_finished?: boolean;
    shugu_gold?: boolean;
  }[];
  annotations: {
    id: number;
    image_id: number;
    category_id: number;
    keypoints: number[];
    num_keypoints: number;
    bbox: number[];
    area: number;
    iscrowd: number;
    shugu_worker_id?: number;
    shugu_annotation_id?: number;
    shugu_status?: string;
    shugu_rejected_by?: string;
    shugu_reject_reason?: string;
    shugu_created_at?: string;
    shugu_gold_reference?: boolean;
  }[];
  categories: { id: number; name: string; keypoints: string[]; skeleton: number[][] }[];
}

/** Checks the invariants every COCO keypoints consumer relies on. */
function expectValidCoco(coco: Coco, template: KeypointTemplate) {
  expect(Array.isArray(coco.images)).toBe(true);
  expect(Array.isArray(coco.annotations)).toBe(true);
  expect(Array.isArray(coco.categories)).toBe(true);
  expect(coco.categories).toHaveLength(1);
  const cat = coco.categories[0];
  const K = template.points.length;
  expect(cat.keypoints).toEqual(template.points.map((p) => p.id));
  expect(cat.skeleton).toEqual(template.skeleton.map(([a, b]) => [a + 1, b + 1]));
  for (const edge of cat.skeleton) {
    expect(edge).toHaveLength(2);
    for (const i of edge) {
      expect(Number.isInteger(i)).toBe(true);
      expect(i).toBeGreaterThanOrEqual(1);
      expect(i).toBeLessThanOrEqual(K);
    }
  }
  const imageIds = new Set(coco.images.map((i) => i.id));
  expect(imageIds.size).toBe(coco.images.length);
  for (const img of coco.images) {
    expect(img.width).toBeGreaterThan(0);
    expect(img.height).toBeGreaterThan(0);
    expect(typeof img.file_name).toBe('string');
  }
  const annIds = new Set(coco.annotations.map((a) => a.id));
  expect(annIds.size).toBe(coco.annotations.length);
  const catIds = new Set(coco.categories.map((c) => c.id));
  for (const a of coco.annotations) {
    expect(imageIds.has(a.image_id), `annotation ${a.id} → image ${a.image_id}`).toBe(true);
    expect(catIds.has(a.category_id)).toBe(true);
    expect(a.keypoints).toHaveLength(3 * K);
    let labelled = 0;
    for (let j = 0; j < K; j++) {
      const [x, y, v] = a.keypoints.slice(3 * j, 3 * j + 3);
      expect([0, 1, 2]).toContain(v);
      if (v === 0) expect([x, y]).toEqual([0, 0]);
      else labelled++;
    }
    expect(a.num_keypoints).toBe(labelled);
    expect(a.bbox).toHaveLength(4);
    for (const n of a.bbox) expect(Number.isFinite(n)).toBe(true);
    expect(a.bbox[2]).toBeGreaterThanOrEqual(0);
    expect(a.bbox[3]).toBeGreaterThanOrEqual(0);
    expect(a.area).toBeCloseTo(a.bbox[2] * a.bbox[3], 1);
    expect(a.iscrowd).toBe(0);
  }
}

/** A face-68 answer: a ring of points, some hidden (v = 0, with junk coordinates) and some occluded. */
function face68Answer(): Answer {
  const points: Pt[] = face68.points.map((_, j) => {
    if (j % 10 === 3) return [-50, 9999, 0];
    const angle = (2 * Math.PI * j) / 68;
    return [32 + 20 * Math.cos(angle) + 0.123, 24 + 15 * Math.sin(angle), j % 7 === 0 ? 1 : 2];
  });
  return { instances: [{ bbox: null, points }] };
}

describe.each(dialects)('COCO export on %s', (dialect) => {
  let t: TestApp;
  let manager: { headers: Record<string, string> };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  async function leaseAndSubmit(worker: { headers: Record<string, string> }, projectId: number, data: Answer) {
    const l = await t.app.inject({ method: 'POST', url: `/api/projects/${projectId}/lease`, headers: worker.headers });
    const lease = l.json().lease;
    expect(lease).not.toBeNull();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/assignments/${lease.assignmentId}/submit`,
      headers: worker.headers,
      payload: { clientSubmissionId: randomUUID(), data },
    });
    expect(res.statusCode, res.body).toBe(200);
    // Workers see opaque ids (services/worker-ids.ts): the export is checked by row id.
    return { itemId: await t.leasedItemId(lease), annotationId: await t.annotationRowId(res.json().annotationId) };
  }

  /** `GET …/export/coco` with a query string such as `?mode=all`; checks status and headers. */
  const exportHttp = async (projectId: number, query = '', headers = manager.headers) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/projects/${projectId}/export/coco${query}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const mode = new URLSearchParams(query).get('mode') ?? 'final';
    const suffix = mode === 'final' ? '' : `-${mode}`;
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="shugu-project-${projectId}-coco${suffix}.json"`,
    );
    return { text: res.body, coco: JSON.parse(res.body) as Coco };
  };
  const exportCli = async (projectId: number, options: Partial<ExportOptions> = {}) => {
    const { filename, chunks } = await t.ctx.services.exports.coco(null, projectId, {
      ...DEFAULT_EXPORT_OPTIONS,
      ...options,
    });
    let text = '';
    for await (const c of chunks) text += c;
    return { filename, text, coco: JSON.parse(text) as Coco };
  };

  it('exports face-5 answers with two instances, hidden and occluded points', async () => {
    // The two answers disagree; with no review asked for, the item is finished all the same.
    const project = await t.newProject(manager.headers, { overlap: 2, lowAgreementAction: 'none' });
    const items = await addInIdOrder(t, manager.headers, project.id, 3);
    const w1 = await t.newUser('w1', 'worker');
    const w2 = await t.newUser('w2', 'worker');
    const two: Answer = {
      instances: [
        {
          bbox: [2.004, 3.996, 30, 20],
          points: [
            [10.126, 10, 2],
            [20, 10, 2],
            [15, 15, 1],
            [12, 20, 2],
            [18, 20, 2],
          ],
        },
        {
          bbox: null,
          points: [
            [40, 12, 2],
            [50, 12, 1],
            [777, -5, 0],
            [45, 20, 2],
            [0, 0, 0],
          ],
        },
      ],
    };
    const none: Answer = { instances: [] };
    const one: Answer = {
      instances: [
        {
          bbox: [4, 4, 56, 40],
          points: [
            [20, 16, 2],
            [44, 16, 2],
            [32, 26, 2],
            [24, 36, 1],
            [40, 36, 2],
          ],
        },
      ],
    };
    const s1 = await leaseAndSubmit(w1, project.id, two);
    await leaseAndSubmit(w1, project.id, none);
    await leaseAndSubmit(w2, project.id, one);

    // The individual answers of the one finished item (two answers, overlap 2), every image listed.
    const { coco, text } = await exportHttp(project.id, '?mode=accepted&unfinished=empty');
    expectValidCoco(coco, face5);
    expect(coco.info.shugu).toEqual({ mode: 'accepted', unfinished: 'empty', includeGold: false });
    expect(coco.images.map((i) => i.shugu_finished)).toEqual([true, false, false]);
    expect(coco.categories[0]).toMatchObject({ id: 1, name: 'face' });
    expect(coco.images.map((i) => [i.id, i.file_name, i.width, i.height])).toEqual(
      items.map((i, n) => [i.id, `img${n}.png`, 64, 48]),
    );
    // Two instances from w1's first answer, none from the empty one, one from w2.
    expect(coco.annotations).toHaveLength(3);
    const [a, b, c] = coco.annotations;
    expect(a).toMatchObject({
      image_id: s1.itemId,
      category_id: 1,
      num_keypoints: 5,
      bbox: [2, 4, 30, 20],
      area: 600,
      shugu_annotation_id: s1.annotationId,
    });
    expect(a.keypoints).toEqual([10.13, 10, 2, 20, 10, 2, 15, 15, 1, 12, 20, 2, 18, 20, 2]);
    expect(b.image_id).toBe(s1.itemId);
    expect(b.keypoints).toEqual([40, 12, 2, 50, 12, 1, 0, 0, 0, 45, 20, 2, 0, 0, 0]);
    expect(b.num_keypoints).toBe(3);
    // No box drawn: the box of the placed points (hidden ones left out).
    expect(b.bbox).toEqual([40, 12, 10, 8]);
    expect(c.num_keypoints).toBe(5);
    expect(c.shugu_worker_id).not.toBe(a.shugu_worker_id);
    expect(a.shugu_worker_id).toBe(b.shugu_worker_id);

    // The CLI's path gives the same file.
    const cli = await exportCli(project.id, { mode: 'accepted', unfinished: 'empty' });
    expect(cli.filename).toBe(`shugu-project-${project.id}-coco-accepted.json`);
    expect(cli.coco).toEqual(coco);
    expect(cli.text).toBe(text);
  });

  it('exports face-68 with a 1-based skeleton, and an empty project as empty arrays', async () => {
    const project = await t.newProject(manager.headers, { templateId: 'face-68' });
    await addInIdOrder(t, manager.headers, project.id, 2);
    const w = await t.newUser('w1', 'worker');
    const data = face68Answer();
    await leaseAndSubmit(w, project.id, data);
    // Overlap 1: the one answer is the item's consensus, so the final dataset carries it.
    const { coco } = await exportHttp(project.id, '?unfinished=empty');
    expectValidCoco(coco, face68);
    expect(coco.info.shugu).toEqual({ mode: 'final', unfinished: 'empty', includeGold: false });
    expect(coco.images.map((i) => i.shugu_finished)).toEqual([true, false]);
    expect(coco.categories[0].skeleton.length).toBeGreaterThan(0);
    expect(Math.max(...coco.categories[0].skeleton.flat())).toBe(68);
    expect(Math.min(...coco.categories[0].skeleton.flat())).toBe(1);
    expect(coco.images).toHaveLength(2);
    expect(coco.annotations).toHaveLength(1);
    const ann = coco.annotations[0];
    const placed = data.instances[0].points.filter((p) => p[2] > 0).length;
    expect(placed).toBeLessThan(68);
    expect(ann.num_keypoints).toBe(placed);
    expect(ann.keypoints.slice(9, 12)).toEqual([0, 0, 0]);
    expect(ann.keypoints.slice(0, 3)).toEqual([52.12, 24, 1]);
    expect(ann.bbox.every((n) => n >= 0 && n <= 64)).toBe(true);
    expect(ann.shugu_worker_id).toBeUndefined();
    expect((await exportCli(project.id, { unfinished: 'empty' })).coco).toEqual(coco);
    // By default the unfinished item is left out.
    expect((await exportHttp(project.id)).coco.images).toHaveLength(1);

    const empty = await t.newProject(manager.headers, { name: 'Empty', templateId: 'face-68' });
    const e = await exportHttp(empty.id);
    expect(e.coco.images).toEqual([]);
    expect(e.coco.annotations).toEqual([]);
    expectValidCoco(e.coco, face68);
    expect(e.coco.info).toMatchObject({ shugu_project_id: empty.id, shugu_template: 'face-68' });
  });

  it('streams more than a page of items and annotations as one valid file', async () => {
    const project = await t.newProject(manager.headers);
    const w = await t.newUser('w1', 'worker');
    const now = t.clock.now();
    const N = 2_100;
    await t.ctx.repos.items.insertMany(
      Array.from({ length: N }, (_, i) => ({
        project_id: project.id,
        blob_sha256: null,
        source_path: null,
        name: `bulk/${i}.jpg`,
        width: 64,
        height: 48,
        meta: null,
        is_gold: 0,
        claimed: 1,
        open: 0,
        submitted: 1,
        created_at: now,
      })),
    );
    const items = await t.ctx.db.selectFrom('items').select('id').orderBy('id').execute();
    const answer = JSON.stringify({
      instances: [
        {
          bbox: null,
          points: [
            [20, 16, 2],
            [44, 16, 2],
            [32, 26, 0],
            [24, 36, 1],
            [40, 36, 2],
          ],
        },
      ],
    });
    for (let i = 0; i < N; i += 500) {
      const slice = items.slice(i, i + 500);
      const assignments = await t.ctx.db
        .insertInto('assignments')
        .values(
          slice.map((it) => ({
            project_id: project.id,
            item_id: it.id,
            worker_id: w.id,
            status: 'submitted' as const,
            leased_at: now,
            expires_at: now + 1000,
            ended_at: now,
            skip_reason: null,
          })),
        )
        .returning(['id', 'item_id'])
        .execute();
      await t.ctx.db
        .insertInto('annotations')
        .values(
          assignments.map((a) => ({
            project_id: project.id,
            item_id: a.item_id,
            assignment_id: a.id,
            worker_id: w.id,
            client_submission_id: `bulk-${a.id}`,
            data: answer,
            instance_count: 1,
            active_ms: 0,
            created_at: now,
          })),
        )
        .execute();
      // Each item is finished: its overlap of 1 is in, with its consensus.
      await t.ctx.db
        .insertInto('consensus')
        .values(
          slice.map((it) => ({
            item_id: it.id,
            project_id: project.id,
            data: answer,
            agreement: 1,
            details: '{"instances":[],"unmerged":0}',
            submissions: 1,
            created_at: now,
          })),
        )
        .execute();
    }
    for (const query of ['', '?mode=accepted', '?mode=all']) {
      const { coco } = await exportHttp(project.id, query);
      expectValidCoco(coco, face5);
      expect(coco.images).toHaveLength(N);
      expect(coco.annotations).toHaveLength(N);
      expect(new Set(coco.annotations.map((a) => a.image_id)).size).toBe(N);
      expect(coco.annotations.every((a) => a.num_keypoints === 4)).toBe(true);
      expect(coco.annotations[N - 1].bbox).toEqual([20, 16, 24, 20]);
    }
  });

  it('refuses bad export options with a 400', async () => {
    const project = await t.newProject(manager.headers);
    for (const query of ['?mode=raw', '?unfinished=keep', '?includeGold=maybe']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/projects/${project.id}/export/coco${query}`,
        headers: manager.headers,
      });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.id).toBe('invalid_request');
    }
    expect((await exportHttp(project.id, '?includeGold=false')).coco.info.shugu.includeGold).toBe(false);
  });

  it('refuses an unknown project on both paths', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/projects/4242/export/coco', headers: manager.headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.id).toBe('project_not_found');
    await expect(t.ctx.services.exports.coco(null, 4242)).rejects.toMatchObject({ id: 'project_not_found' });
  });
});

/** A face-5 face at `x0`, shifted `dx` pixels: each careful worker draws with their own small offset. */
function face(x0: number, dx: number): Answer['instances'][number] {
  return {
    bbox: [x0 - 2 + dx, 4, 24, 36],
    points: [
      [x0 + 4 + dx, 12, 2],
      [x0 + 16 + dx, 12, 2],
      [x0 + 10 + dx, 20, 2],
      [x0 + 6 + dx, 30, 1],
      [x0 + 14 + dx, 30, 2],
    ],
  };
}
/** Two faces side by side on a 64 × 48 image. */
const twoFaces = (dx: number): Answer => ({ instances: [face(4, dx), face(36, dx)] });
/** The COCO keypoints of one face, as the export writes them. */
const cocoKeypoints = (inst: Answer['instances'][number]) => inst.points.flatMap(([x, y, v]) => [x, y, v]);
const GOLD: Answer = {
  instances: [
    {
      bbox: [6.25, 5.5, 40.5, 36.75],
      points: [
        [16.125, 14.375, 2],
        [35.625, 14.875, 2],
        [26.375, 24.125, 2],
        [18.875, 33.625, 1],
        [33.125, 33.375, 2],
      ],
    },
  ],
};

describe.each(dialects)('the final dataset on %s', (dialect) => {
  let t: TestApp;
  let manager: { id: number; headers: Record<string, string> };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  const inject = (method: string, url: string, headers: Record<string, string>, payload?: unknown) =>
    t.app.inject({ method: method as 'GET', url, headers, payload: payload as object });
  const exportAs = async (projectId: number, query: string, headers = manager.headers) => {
    const res = await inject('GET', `/api/projects/${projectId}/export/coco${query}`, headers);
    expect(res.statusCode, res.body).toBe(200);
    return { text: res.body, coco: JSON.parse(res.body) as Coco };
  };

  /**
   * Leases and answers until the worker has answered `regular` regular items (or the
   * project has nothing left for them); gold items get `goldAnswer`. Returns the
   * answer ids by item.
   */
  async function work(
    worker: { headers: Record<string, string> },
    projectId: number,
    golds: Set<number>,
    regular: number,
    answer: Answer,
    goldAnswer: Answer,
  ) {
    const ids = new Map<number, number>();
    for (let done = 0; done < regular;) {
      const l = (await inject('POST', `/api/projects/${projectId}/lease`, worker.headers)).json().lease;
      if (!l) break;
      const item = await t.leasedItemId(l);
      const isGold = golds.has(item);
      const res = await inject('POST', `/api/assignments/${l.assignmentId}/submit`, worker.headers, {
        clientSubmissionId: randomUUID(),
        data: isGold ? goldAnswer : answer,
      });
      expect(res.statusCode, res.body).toBe(200);
      ids.set(item, await t.annotationRowId(res.json().annotationId));
      if (!isGold) done++;
    }
    return ids;
  }

  it('delivers one result per face of each finished item; accepted and all hold the answers', async () => {
    const project = await t.newProject(manager.headers, {
      overlap: 3,
      goldRate: 0.25,
      minGold: 2,
      warnBelow: 0.8,
      suspendBelow: 0.5,
      lowAgreementAction: 'none',
    });
    const items = await addInIdOrder(t, manager.headers, project.id, 6);
    const [g1, g2, r1, r2, r3, r4] = items.map((i) => i.id);
    const golds = new Set([g1, g2]);
    for (const g of golds) {
      const res = await inject('PUT', `/api/items/${g}/gold`, manager.headers, { data: GOLD });
      expect(res.statusCode, res.body).toBe(200);
    }

    // Gold and regular leases in turn, gold first (gold is random otherwise: services/gold-placement.ts).
    let turn = 0;
    t.ctx.services.quality.goldDraw = () => (turn++ % 2 === 0 ? 0 : 0.99);

    // A spammer answers one regular item (r1), fails two gold checks and is suspended:
    // that answer is discarded and its slot goes back.
    const spammer = await t.newUser('spammer', 'worker');
    const junk: Answer = { instances: [face(20, 0), face(20, 3), face(36, 0)] };
    const farOff: Answer = { instances: [face(36, 2)] };
    const spam = await work(spammer, project.id, golds, 5, junk, farOff);
    expect([...spam.keys()].filter((id) => !golds.has(id))).toEqual([r1]);
    const refused = await inject('POST', `/api/projects/${project.id}/lease`, spammer.headers);
    expect(refused.json().error.id).toBe('worker_suspended');

    // Three careful workers, each with their own small offset; w3 stops after r3.
    const w1 = await t.newUser('w1', 'worker');
    const w2 = await t.newUser('w2', 'worker');
    const w3 = await t.newUser('w3', 'worker');
    const a1 = await work(w1, project.id, golds, 4, twoFaces(0), GOLD);
    const a2 = await work(w2, project.id, golds, 4, twoFaces(1), GOLD);
    const a3 = await work(w3, project.id, golds, 3, twoFaces(2), GOLD);
    expect([...a3.keys()].filter((id) => !golds.has(id))).toEqual([r1, r2, r3]);

    // A reviewer accepts w1 on r1 and rejects w3 on r2 and w2 on r3; r2 is redone by w4.
    const reviewer = await t.newUser('reviewer', 'reviewer');
    const review = async (annotationId: number, verdict: 'accept' | 'reject') => {
      const body = verdict === 'reject' ? { verdict, reasonCode: 'wrong_points' } : { verdict };
      const res = await inject('POST', `/api/annotations/${annotationId}/review`, reviewer.headers, body);
      expect(res.statusCode, res.body).toBe(200);
    };
    await review(a1.get(r1)!, 'accept');
    await review(a3.get(r2)!, 'reject');
    await review(a2.get(r3)!, 'reject');
    const w4 = await t.newUser('w4', 'worker');
    const a4 = await work(w4, project.id, golds, 1, twoFaces(3), GOLD);
    expect([...a4.keys()].filter((id) => !golds.has(id))).toEqual([r2]);
    // Now: r1 (w1, w2, w3) and r2 (w1, w2, w4) are finished; r3 lost w2's answer and r4
    // has two of three, so both are unfinished.

    const rejectedIds = [spam.get(r1)!, a3.get(r2)!, a2.get(r3)!];
    const stored = await t.ctx.db
      .selectFrom('annotations')
      .select(['id', 'item_id', 'worker_id', 'status', 'instance_count'])
      .where('project_id', '=', project.id)
      .execute();
    expect(
      stored
        .filter((a) => a.status === 'rejected')
        .map((a) => a.id)
        .sort((a, b) => a - b),
    ).toEqual([...rejectedIds].sort((a, b) => a - b));

    // --- final (the default): exactly one annotation per face per finished item.
    const final = await exportAs(project.id, '');
    expectValidCoco(final.coco, face5);
    expect(final.coco.info.shugu).toEqual({ mode: 'final', unfinished: 'omit', includeGold: false });
    expect(final.coco.images.map((i) => [i.id, i.shugu_finished])).toEqual([
      [r1, true],
      [r2, true],
    ]);
    expect(final.coco.annotations).toHaveLength(4);
    for (const item of [r1, r2]) {
      const anns = final.coco.annotations.filter((a) => a.image_id === item).sort((a, b) => a.bbox[0] - b.bbox[0]);
      // The median of three careful answers is the middle one: w2's (offset 1) on both
      // items. Had w3's rejected answer counted on r2, it would not be.
      expect(anns.map((a) => a.keypoints)).toEqual(twoFaces(1).instances.map(cocoKeypoints));
      expect(anns.map((a) => a.bbox)).toEqual(twoFaces(1).instances.map((i) => i.bbox));
    }
    for (const a of final.coco.annotations) {
      expect(a.shugu_worker_id).toBeUndefined();
      expect(a.shugu_status).toBeUndefined();
    }
    // Nothing of the gold items: neither the images nor the reference.
    expect(final.text).not.toContain('16.125');
    expect(final.coco.images.some((i) => golds.has(i.id))).toBe(false);

    // --- unfinished items listed without annotations, on request.
    const empty = await exportAs(project.id, '?unfinished=empty');
    expect(empty.coco.info.shugu).toEqual({ mode: 'final', unfinished: 'empty', includeGold: false });
    expect(empty.coco.images.map((i) => [i.id, i.shugu_finished])).toEqual([
      [r1, true],
      [r2, true],
      [r3, false],
      [r4, false],
    ]);
    expect(empty.coco.annotations).toEqual(final.coco.annotations);

    // --- gold on request: the reference, marked, and nothing else of gold.
    const withGold = await exportAs(project.id, '?includeGold=true');
    expectValidCoco(withGold.coco, face5);
    expect(withGold.coco.info.shugu).toEqual({ mode: 'final', unfinished: 'omit', includeGold: true });
    expect(withGold.coco.images.map((i) => i.id)).toEqual([g1, g2, r1, r2]);
    expect(withGold.coco.images.filter((i) => i.shugu_gold).map((i) => i.id)).toEqual([g1, g2]);
    const refs = withGold.coco.annotations.filter((a) => a.shugu_gold_reference);
    expect(refs.map((a) => a.image_id)).toEqual([g1, g2]);
    for (const r of refs)
      expect(r.keypoints).toEqual(cocoKeypoints(GOLD.instances[0]).map((x) => Math.round(x * 100) / 100));
    expect(withGold.coco.annotations.filter((a) => !a.shugu_gold_reference)).toHaveLength(4);

    // --- accepted: every answer that counts on the finished items, none rejected or discarded.
    const accepted = await exportAs(project.id, '?mode=accepted');
    expectValidCoco(accepted.coco, face5);
    expect(accepted.coco.info.shugu).toEqual({ mode: 'accepted', unfinished: 'omit', includeGold: false });
    const acceptedAnswers = new Set(accepted.coco.annotations.map((a) => a.shugu_annotation_id));
    expect([...acceptedAnswers].sort((a, b) => a! - b!)).toEqual(
      [a1.get(r1), a2.get(r1), a3.get(r1), a1.get(r2), a2.get(r2), a4.get(r2)].sort((a, b) => a! - b!),
    );
    expect(accepted.coco.annotations).toHaveLength(12);
    expect(accepted.coco.annotations.some((a) => a.shugu_worker_id === spammer.id)).toBe(false);
    for (const id of rejectedIds) expect(acceptedAnswers.has(id)).toBe(false);

    // --- all: every stored answer of every item, each with its status, worker and time.
    const all = await exportAs(project.id, '?mode=all');
    expectValidCoco(all.coco, face5);
    expect(all.coco.info.shugu).toEqual({ mode: 'all', unfinished: 'listed', includeGold: false });
    expect(all.coco.images.map((i) => i.id)).toEqual(items.map((i) => i.id));
    expect(all.coco.images.filter((i) => i.shugu_gold).map((i) => i.id)).toEqual([g1, g2]);
    expect(all.coco.annotations).toHaveLength(stored.reduce((n, a) => n + a.instance_count, 0));
    expect(all.coco.annotations.some((a) => a.shugu_gold_reference)).toBe(false);
    const byAnswer = new Map(stored.map((a) => [a.id, a]));
    for (const a of all.coco.annotations) {
      const answer = byAnswer.get(a.shugu_annotation_id!)!;
      expect(a.shugu_status).toBe(answer.status);
      expect(a.shugu_worker_id).toBe(answer.worker_id);
      expect(a.image_id).toBe(answer.item_id);
      expect(a.shugu_created_at).toBe(new Date(t.clock.now()).toISOString());
    }
    const statusOf = (id: number) =>
      all.coco.annotations
        .filter((a) => a.shugu_annotation_id === id)
        .map((a) => [a.shugu_status, a.shugu_rejected_by, a.shugu_reject_reason]);
    expect(statusOf(a3.get(r2)!)).toEqual([
      ['rejected', 'review', 'wrong_points'],
      ['rejected', 'review', 'wrong_points'],
    ]);
    expect(statusOf(spam.get(r1)!)).toEqual(Array(3).fill(['rejected', 'suspension', undefined]));
    expect(statusOf(a1.get(r1)!)).toEqual(Array(2).fill(['accepted', undefined, undefined]));
    expect(statusOf(a2.get(r1)!)).toEqual(Array(2).fill(['submitted', undefined, undefined]));
    // Rejected answers appear here only.
    for (const id of rejectedIds) {
      expect(all.coco.annotations.some((a) => a.shugu_annotation_id === id)).toBe(true);
      expect(withGold.text).not.toContain(`"shugu_annotation_id":${id},`);
    }

    // The command line's path writes the same files.
    const cli = async (options: Partial<ExportOptions>) => {
      const { chunks } = await t.ctx.services.exports.coco(null, project.id, { ...DEFAULT_EXPORT_OPTIONS, ...options });
      let text = '';
      for await (const c of chunks) text += c;
      return JSON.parse(text) as Coco;
    };
    expect(await cli({})).toEqual(final.coco);
    expect(await cli({ mode: 'all' })).toEqual(all.coco);
    expect(await cli({ includeGold: true })).toEqual(withGold.coco);
  });

  it('waits for a pending review, then delivers the answer the reviewer accepted', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, reviewRate: 1 });
    const [item] = await addInIdOrder(t, manager.headers, project.id, 1);
    const w = await t.newUser('w1', 'worker');
    const [answerId] = [...(await work(w, project.id, new Set(), 1, twoFaces(2), GOLD)).values()];
    // Sampled for review: not finished yet.
    expect((await exportAs(project.id, '')).coco.images).toEqual([]);
    const pending = await exportAs(project.id, '?unfinished=empty');
    expect(pending.coco.images.map((i) => [i.id, i.shugu_finished])).toEqual([[item.id, false]]);
    expect(pending.coco.annotations).toEqual([]);

    const reviewer = await t.newUser('reviewer', 'reviewer');
    const res = await inject('POST', `/api/annotations/${answerId}/review`, reviewer.headers, { verdict: 'accept' });
    expect(res.statusCode, res.body).toBe(200);
    const final = await exportAs(project.id, '');
    expect(final.coco.images.map((i) => [i.id, i.shugu_finished])).toEqual([[item.id, true]]);
    expect(final.coco.annotations.map((a) => a.keypoints)).toEqual(twoFaces(2).instances.map(cocoKeypoints));
  });

  it('keeps the audit to staff and gold references to managers', async () => {
    const admin = await t.newUser('admin', 'admin');
    const org = await inject('POST', '/api/orgs', admin.headers, { name: 'Client', kind: 'client' });
    expect(org.statusCode, org.body).toBe(201);
    const client = await t.newUser('client', 'client', org.json().id);
    const reviewer = await t.newUser('reviewer', 'reviewer');
    const project = await t.newProject(manager.headers, { clientOrgId: org.json().id });
    await addInIdOrder(t, manager.headers, project.id, 1);
    expect((await exportAs(project.id, '', client.headers)).coco.info.shugu.mode).toBe('final');
    expect((await exportAs(project.id, '?mode=accepted', client.headers)).coco.info.shugu.mode).toBe('accepted');
    expect((await exportAs(project.id, '?mode=all', reviewer.headers)).coco.info.shugu.mode).toBe('all');
    for (const [who, query] of [
      [client, '?mode=all'],
      [client, '?includeGold=true'],
      [reviewer, '?includeGold=true'],
    ] as const) {
      const res = await inject('GET', `/api/projects/${project.id}/export/coco${query}`, who.headers);
      expect(res.statusCode, query).toBe(403);
      expect(res.json().error.id).toBe('role_not_allowed');
    }
    const worker = await t.newUser('w1', 'worker');
    expect((await inject('GET', `/api/projects/${project.id}/export/coco`, worker.headers)).statusCode).toBe(403);
  });
});
