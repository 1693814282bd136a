import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { face5, face68 } from '../../src/core/templates/index.js';
import type { KeypointTemplate } from '../../src/core/templates/template.js';
import { dialects } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/harness.js';

type Pt = [number, number, 0 | 1 | 2];
type Answer = { instances: { bbox: [number, number, number, number] | null; points: Pt[] }[] };

interface Coco {
  info: Record<string, unknown>;
  images: { id: number; file_name: string; width: number; height: number }[];
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
    return { itemId: lease.item.id as number, annotationId: res.json().annotationId as number };
  }

  const exportHttp = async (projectId: number) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/projects/${projectId}/export/coco`,
      headers: manager.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="shugu-project-${projectId}-coco.json"`);
    return { text: res.body, coco: JSON.parse(res.body) as Coco };
  };
  const exportCli = async (projectId: number) => {
    const { filename, chunks } = await t.ctx.services.exports.coco(null, projectId);
    let text = '';
    for await (const c of chunks) text += c;
    return { filename, text, coco: JSON.parse(text) as Coco };
  };

  it('exports face-5 answers with two instances, hidden and occluded points', async () => {
    const project = await t.newProject(manager.headers, { overlap: 2 });
    const items = await t.addImages(manager.headers, project.id, 3);
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

    const { coco, text } = await exportHttp(project.id);
    expectValidCoco(coco, face5);
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
    const cli = await exportCli(project.id);
    expect(cli.filename).toBe(`shugu-project-${project.id}-coco.json`);
    expect(cli.coco).toEqual(coco);
    expect(cli.text).toBe(text);
  });

  it('exports face-68 with a 1-based skeleton, and an empty project as empty arrays', async () => {
    const project = await t.newProject(manager.headers, { templateId: 'face-68' });
    await t.addImages(manager.headers, project.id, 2);
    const w = await t.newUser('w1', 'worker');
    const data = face68Answer();
    await leaseAndSubmit(w, project.id, data);
    const { coco } = await exportHttp(project.id);
    expectValidCoco(coco, face68);
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
    expect((await exportCli(project.id)).coco).toEqual(coco);

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
    }
    const { coco } = await exportHttp(project.id);
    expectValidCoco(coco, face5);
    expect(coco.images).toHaveLength(N);
    expect(coco.annotations).toHaveLength(N);
    expect(new Set(coco.annotations.map((a) => a.image_id)).size).toBe(N);
    expect(coco.annotations.every((a) => a.num_keypoints === 4)).toBe(true);
    expect(coco.annotations[N - 1].bbox).toEqual([20, 16, 24, 20]);
  });

  it('refuses an unknown project on both paths', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/projects/4242/export/coco', headers: manager.headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.id).toBe('project_not_found');
    await expect(t.ctx.services.exports.coco(null, 4242)).rejects.toMatchObject({ id: 'project_not_found' });
  });
});
