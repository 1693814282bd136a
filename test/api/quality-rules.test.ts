/**
 * Rules on what a manager may store as quality settings and gold references:
 * consistent thresholds, complete references, COCO gold files read by category.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { face5, face68 } from '../../src/core/templates/index.js';
import { dialects } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/harness.js';

type Pt = [number, number, 0 | 1 | 2];

/** A face-68 reference of a 64 × 48 image with every point placed. */
function face68Reference(): { instances: { bbox: null; points: Pt[] }[] } {
  const points = face68.points.map((_, j): Pt => {
    const angle = (2 * Math.PI * j) / 68;
    return [32 + 20 * Math.cos(angle), 24 + 15 * Math.sin(angle), 2];
  });
  return { instances: [{ bbox: null, points }] };
}

const face5Keypoints = [20, 16, 2, 44, 16, 2, 32, 26, 2, 24, 36, 1, 40, 36, 2];
const face5Category = { id: 1, name: 'face', keypoints: face5.points.map((p) => p.id), skeleton: [] };

describe.each(dialects)('quality rules on %s', (dialect) => {
  let t: TestApp;
  let manager: { headers: Record<string, string> };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  const inject = (method: string, url: string, payload?: unknown) =>
    t.app.inject({ method: method as 'GET', url, headers: manager.headers, payload: payload as object });
  const goldRows = async () =>
    (await t.ctx.db.selectFrom('gold_answers').select('item_id').orderBy('item_id').execute()).map((r) => r.item_id);

  it('refuses a suspension threshold above the warning threshold, on create and on patch', async () => {
    const create = (body: Record<string, unknown>) =>
      inject('POST', '/api/projects', { name: 'Faces', templateId: 'face-5', ...body });
    const bad = await create({ warnBelow: 0.1, suspendBelow: 0.9 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.id).toBe('thresholds_contradict');
    expect(bad.json().error.message).toMatch(/suspended below 90 %.*warned only below 10 %/);
    // Against the default warning threshold (75 %).
    expect((await create({ suspendBelow: 0.8 })).json().error.id).toBe('thresholds_contradict');
    expect(await t.ctx.db.selectFrom('projects').select('id').execute()).toEqual([]);
    const equal = await create({ warnBelow: 0.7, suspendBelow: 0.7 });
    expect(equal.statusCode).toBe(201);
    const id = equal.json().id;

    // A patch is judged with the stored value of the threshold it leaves alone.
    for (const patch of [{ suspendBelow: 0.9 }, { warnBelow: 0.5 }, { warnBelow: 0.2, suspendBelow: 0.3 }]) {
      const res = await inject('PATCH', `/api/projects/${id}`, patch);
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json().error.id).toBe('thresholds_contradict');
    }
    const stored = await t.ctx.repos.projects.get(id);
    expect(stored).toMatchObject({ warn_below: 0.7, suspend_below: 0.7 });
    const ok = await inject('PATCH', `/api/projects/${id}`, { warnBelow: 0.9 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().quality).toMatchObject({ warnBelow: 0.9, suspendBelow: 0.7 });
  });

  it('refuses an empty or incomplete gold reference and names the missing points', async () => {
    const project = await t.newProject(manager.headers, { templateId: 'face-68' });
    const [item] = await t.addImages(manager.headers, project.id, 1);
    const put = (body: unknown) => inject('PUT', `/api/items/${item.id}/gold`, body);

    const empty = await put({ data: { instances: [] } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.id).toBe('gold_incomplete');

    // 60 of 68 points placed; the mouth's inner lip (60–67) left at visibility 0.
    const partial = face68Reference();
    for (let j = 60; j < 68; j++) partial.instances[0].points[j] = [0, 0, 0];
    const incomplete = await put({ data: partial });
    expect(incomplete.statusCode).toBe(400);
    const err = incomplete.json().error;
    expect(err.id).toBe('gold_incomplete');
    expect(err.message).toContain('lacks 8 of 68 points');
    expect(err.message).toContain(face68.points[60].id);
    expect(err.details.missing).toEqual([
      { instance: 0, points: [60, 61, 62, 63, 64, 65, 66, 67], ids: face68.points.slice(60).map((p) => p.id) },
    ]);
    // Only some of them marked not in the image: the rest are still named.
    const some = await put({ data: partial, notInImage: [[60, 61, 62, 63]] });
    expect(some.json().error.details.missing[0].points).toEqual([64, 65, 66, 67]);
    expect(await goldRows()).toEqual([]);

    // Every unplaced point marked not in the image: a complete reference.
    const marked = await put({ data: partial, notInImage: [[60, 61, 62, 63, 64, 65, 66, 67]] });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(await goldRows()).toEqual([item.id]);
    const full = await put({ data: face68Reference() });
    expect(full.statusCode).toBe(200);
  });

  it('reads COCO gold by category: crowd and other categories skipped, undeclared ones refused', async () => {
    const project = await t.newProject(manager.headers);
    const items = await t.addImages(manager.headers, project.id, 3);
    const images = [
      { id: 10, file_name: 'img0.png', width: 64, height: 48 },
      { id: 11, file_name: 'img1.png', width: 64, height: 48 },
      { id: 12, file_name: 'nowhere.png', width: 64, height: 48 },
    ];
    const categories = [face5Category, { id: 2, name: 'person', keypoints: ['nose'], skeleton: [] }];
    const ann = (id: number, imageId: number, more: Record<string, unknown> = {}) => ({
      id,
      image_id: imageId,
      category_id: 1,
      iscrowd: 0,
      bbox: [4, 4, 50, 36],
      keypoints: face5Keypoints,
      ...more,
    });
    const good = {
      images,
      categories,
      annotations: [
        ann(1, 10),
        ann(2, 10, { iscrowd: 1, keypoints: [] }),
        ann(3, 10, { category_id: 2, keypoints: [5, 5, 2] }),
        ann(4, 11, { iscrowd: 1 }),
      ],
    };
    const res = await inject('POST', `/api/projects/${project.id}/gold/coco`, good);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      marked: 1,
      unmatched: ['nowhere.png'],
      // img1 had only a crowd region: nothing to check a worker against.
      empty: ['img1.png'],
      skipped: {
        crowd: [
          { at: 'annotations[1]', id: 2, imageId: 10 },
          { at: 'annotations[3]', id: 4, imageId: 11 },
        ],
        otherCategory: [{ at: 'annotations[2]', id: 3, imageId: 10 }],
      },
    });
    expect(await goldRows()).toEqual([items[0].id]);
    const ref = (await inject('GET', `/api/items/${items[0].id}/gold`)).json();
    expect(ref.data.instances).toHaveLength(1);
    expect(ref.source).toBe('coco');

    // A category the file does not declare: refused with where and why, nothing stored.
    const unknown = await inject('POST', `/api/projects/${project.id}/gold/coco`, {
      images,
      categories,
      annotations: [ann(1, 11), ann(7, 11, { category_id: 9 })],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.id).toBe('unknown_category');
    expect(unknown.json().error.message).toBe(
      "annotations[1] (id 7): category_id 9 is not one of the file's categories.",
    );
    expect(unknown.json().error.details).toEqual([
      { code: 'unknown_category', at: 'annotations[1]', id: 7, message: unknown.json().error.message },
    ]);
    expect(await goldRows()).toEqual([items[0].id]);

    // A file none of whose categories is the project's.
    const mismatch = await inject('POST', `/api/projects/${project.id}/gold/coco`, {
      images,
      categories: [{ id: 1, name: 'person', keypoints: ['nose', 'left_eye'] }],
      annotations: [ann(1, 11)],
    });
    expect(mismatch.json().error.id).toBe('category_mismatch');

    // Broken entries are 400s with their place, not 500s.
    for (const body of [
      { images: [null], annotations: [] },
      { images: [{ id: 1 }], annotations: [] },
    ]) {
      const r = await inject('POST', `/api/projects/${project.id}/gold/coco`, body);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.id).toBe('invalid_image');
      expect(r.json().error.details[0].at).toBe('images[0]');
    }
    const nulls = await inject('POST', `/api/projects/${project.id}/gold/coco`, { images, annotations: [null] });
    expect(nulls.json().error).toMatchObject({ id: 'invalid_annotation', details: [{ at: 'annotations[0]' }] });
    expect(await goldRows()).toEqual([items[0].id]);
  });

  it('counts keypoints, not keypoint values, in wrong_point_count', async () => {
    const project = await t.newProject(manager.headers);
    await t.addImages(manager.headers, project.id, 1);
    const images = [{ id: 1, file_name: 'img0.png', width: 64, height: 48 }];
    const send = (keypoints: number[]) =>
      inject('POST', `/api/projects/${project.id}/gold/coco`, {
        images,
        annotations: [{ id: 5, image_id: 1, category_id: 1, keypoints }],
      });
    const one = await send([1, 2, 2]);
    expect(one.statusCode).toBe(400);
    expect(one.json().error.id).toBe('wrong_point_count');
    expect(one.json().error.message).toBe('annotations[0] (id 5) has 1 keypoints; the template has 5.');
    const six = await send([...face5Keypoints, 1, 1, 2]);
    expect(six.json().error.message).toBe('annotations[0] (id 5) has 6 keypoints; the template has 5.');
    const ragged = await send([1, 2]);
    expect(ragged.json().error.message).toBe(
      'annotations[0] (id 5) has 2 keypoint values (not a multiple of 3); the template has 5.',
    );
    expect(await goldRows()).toEqual([]);
  });
});
