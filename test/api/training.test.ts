/**
 * Training and certification through the API on every dialect: practice feedback,
 * exam secrecy, fail → cool-down → pass with the test clock, the certification gate on
 * leasing, re-certification of a suspended worker, and training items kept out of work.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { checkAnnotation } from '../../src/core/annotation.js';
import { goldReferenceProblem } from '../../src/core/quality/gold-reference.js';
import { face68 } from '../../src/core/templates/index.js';
import { demoReferences, seedDemoTraining, type DemoReference } from '../../src/server/seed/training-demo.js';
import { sampleImagesDir } from '../../src/server/services/seed.service.js';
import { face5Answer, solidPng, startTestApp, type TestApp } from '../helpers/harness.js';

type Headers = Record<string, string>;

/** A face-5 reference on a 64 × 48 image, with coordinates no answer or id holds by chance. */
function reference(seed: number) {
  const f = (x: number) => Math.round((x + seed * 0.0137) * 1e4) / 1e4;
  return {
    instances: [
      {
        bbox: [3.7311, 4.2293, 56.1187, 39.3371],
        points: [
          [f(19.6173), f(15.4419), 2],
          [f(43.8291), f(16.2237), 2],
          [f(31.4467), f(25.8813), 2],
          [f(23.9129), f(35.3347), 2],
          [f(40.2281), f(35.7763), 2],
        ],
      },
    ],
  };
}

/** The same face moved `dx` px: a poor answer with every point placed. */
function shifted(seed: number, dx: number) {
  const r = reference(seed);
  return {
    instances: [{ bbox: null, points: r.instances[0].points.map(([x, y, v]) => [Math.min(64, x + dx), y, v]) }],
  };
}

/** Every coordinate of a reference as it would be printed in JSON. */
function secretsOf(ref: ReturnType<typeof reference>) {
  return ref.instances[0].points.flatMap((p) => [String(p[0]), String(p[1])]);
}

describe.each(dialects)('training on %s', (dialect) => {
  let t: TestApp;
  let manager: { id: number; headers: Headers };

  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  const inject = (method: string, url: string, headers: Headers, payload?: unknown) =>
    t.app.inject({ method: method as any, url, headers, payload: payload as any });

  /** Uploads `n` generated photos as practice or exam items. */
  async function uploadItems(courseId: number, kind: string, n: number, seed = 0) {
    const boundary = '----training' + Math.random().toString(16).slice(2);
    const parts: Buffer[] = [
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`),
    ];
    for (let i = 0; i < n; i++) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${kind}${i}.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        await solidPng(64, 48, 1000 + seed + i),
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return t.app.inject({
      method: 'POST',
      url: `/api/training/courses/${courseId}/items`,
      headers: { ...manager.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat(parts),
    });
  }

  /** A published face-5 course: one lesson, `practice` practice items, `exam` exam items, all with references. */
  async function newCourse(opts: { practice?: number; exam?: number; cooldownMinutes?: number } = {}) {
    const res = await inject('POST', '/api/training/courses', manager.headers, {
      templateId: 'face-5',
      title: '五点人脸入门',
      cooldownMinutes: opts.cooldownMinutes ?? 60,
    });
    expect(res.statusCode, res.body).toBe(201);
    const course = res.json();
    const lesson = await inject('POST', `/api/training/courses/${course.id}/lessons`, manager.headers, {
      title: '第 1 课',
      body: '# 五个点\n\n双眼、鼻尖、两个嘴角。',
    });
    expect(lesson.statusCode).toBe(201);
    const practice = (await uploadItems(course.id, 'practice', opts.practice ?? 2, 0)).json().items;
    const exam = (await uploadItems(course.id, 'exam', opts.exam ?? 3, 100)).json().items;
    for (const [i, it] of practice.entries()) {
      const r = await inject('PUT', `/api/training/items/${it.id}/reference`, manager.headers, { data: reference(i) });
      expect(r.statusCode, r.body).toBe(200);
    }
    for (const [i, it] of exam.entries()) {
      const r = await inject('PUT', `/api/training/items/${it.id}/reference`, manager.headers, {
        data: reference(50 + i),
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    expect(
      (await inject('PATCH', `/api/training/courses/${course.id}`, manager.headers, { status: 'published' }))
        .statusCode,
    ).toBe(200);
    return {
      id: course.id as number,
      lessonId: lesson.json().id as number,
      practice: practice as { id: number }[],
      exam: exam as { id: number }[],
    };
  }

  /** Sits the whole exam with `answerFor(position)`; returns the finish response. */
  async function sitExam(headers: Headers, courseId: number, answerFor: (i: number) => unknown) {
    const start = await inject('POST', `/api/training/courses/${courseId}/exam`, headers);
    expect(start.statusCode, start.body).toBe(201);
    const attempt = start.json();
    const responses = [start];
    for (const [i, item] of attempt.items.entries()) {
      const a = await inject('PUT', `/api/training/attempts/${attempt.id}/answers/${item.id}`, headers, {
        data: answerFor(i),
      });
      expect(a.statusCode, a.body).toBe(200);
      responses.push(a);
    }
    const finish = await inject('POST', `/api/training/attempts/${attempt.id}/finish`, headers);
    expect(finish.statusCode, finish.body).toBe(200);
    responses.push(finish);
    return { attempt, finish: finish.json(), responses };
  }

  it('answers a practice item with the reference and every point named with its error in pixels', async () => {
    const course = await newCourse();
    const w = await t.newUser('w1', 'worker', undefined, { certified: false });
    const answer = reference(0);
    answer.instances[0].points[1] = [answer.instances[0].points[1][0] + 12, answer.instances[0].points[1][1], 2];
    const res = await inject('POST', `/api/training/practice/${course.practice[0].id}/answer`, w.headers, {
      data: answer,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.reference).toEqual(reference(0));
    expect(body.errors[0]).toMatchObject({
      index: 1,
      id: 'left_eye',
      kind: 'offset',
      px: 12,
      name: { zh: expect.stringContaining('左眼'), en: expect.stringMatching(/left eye/i) },
    });
    expect(body.errors.slice(1).every((e: { px: number }) => e.px === 0)).toBe(true);
    expect(body.complete).toBe(true);
    expect(body.score).toBeGreaterThan(0.5);
    // The course page now knows the item was tried, and names the weak point.
    const page = (await inject('GET', `/api/training/courses/${course.id}`, w.headers)).json();
    expect(page.practice[0]).toMatchObject({ id: course.practice[0].id, tries: 1 });
    expect(page.weakPoints[0]).toMatchObject({ index: 1, meanPx: 12 });
    expect(page.next).toEqual({ kind: 'practice', itemId: course.practice[1].id });
    // An exam item is not a practice item: no reference through this route, ever.
    const exam = await inject('POST', `/api/training/practice/${course.exam[0].id}/answer`, w.headers, {
      data: reference(50),
    });
    expect(exam.statusCode).toBe(404);
    expect(exam.json().error.id).toBe('training_item_not_found');
    // A malformed answer is refused and stores nothing.
    const bad = await inject('POST', `/api/training/practice/${course.practice[0].id}/answer`, w.headers, {
      data: { instances: [{ bbox: null, points: [[1, 1, 2]] }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.id).toBe('wrong_point_count');
    const stored = await t.ctx.db.selectFrom('training_answers').select('id').execute();
    expect(stored).toHaveLength(1);
  });

  it('never lets an exam reference or another worker’s exam answer reach a worker', async () => {
    const course = await newCourse({ exam: 3 });
    const secrets = [0, 1, 2].flatMap((i) => secretsOf(reference(50 + i)));
    const w = await t.newUser('w1', 'worker', undefined, { certified: false });
    const other = await t.newUser('w2', 'worker', undefined, { certified: false });
    const bodies: string[] = [];
    const record = (r: { body: string; rawPayload: Buffer }) => bodies.push(r.body, r.rawPayload.toString('latin1'));
    for (const url of [
      '/api/training/me',
      '/api/training/courses',
      `/api/training/courses/${course.id}`,
      `/api/training/lessons/${course.lessonId}`,
      `/api/training/practice/${course.practice[0].id}`,
    ]) {
      const r = await inject('GET', url, w.headers);
      expect(r.statusCode, url).toBe(200);
      record(r);
    }
    record(
      await inject('POST', `/api/training/practice/${course.practice[0].id}/answer`, w.headers, {
        data: face5Answer(),
      }),
    );
    // Half right, half wrong: the exam fails, and nothing about the answers comes back but scores.
    const sat = await sitExam(w.headers, course.id, (i) => (i === 0 ? reference(50) : shifted(50 + i, 9)));
    sat.responses.forEach(record);
    for (const item of sat.attempt.items) {
      const img = await inject('GET', `/api/training/items/${item.id}/image`, w.headers);
      record(img);
      // Manager-only views of items and attempts are refused to workers.
      const view = await inject('GET', `/api/training/items/${item.id}`, w.headers);
      expect([403, 404]).toContain(view.statusCode);
      record(view);
    }
    const again = await inject('GET', `/api/training/attempts/${sat.attempt.id}`, w.headers);
    expect(again.statusCode).toBe(200);
    record(again);
    for (const url of [
      `/api/training/attempts/${sat.attempt.id}/detail`,
      `/api/training/courses/${course.id}/manage`,
      `/api/training/courses/${course.id}/results`,
    ]) {
      const r = await inject('GET', url, w.headers);
      expect(r.statusCode, url).toBe(403);
      record(r);
    }
    record(await inject('GET', '/api/training/me', w.headers));
    const all = bodies.join('\n');
    for (const s of secrets) expect(all.includes(s), `exam reference value ${s} reached the worker`).toBe(false);
    expect(sat.finish).toMatchObject({ status: 'failed', passed: false, level: null });
    expect(sat.finish.items.map((i: { score: number }) => i.score > 0.99)).toEqual([true, false, false]);
    expect(sat.finish).not.toHaveProperty('reference');
    // Another worker cannot read, answer or finish her attempt.
    const theirs = await inject('GET', `/api/training/attempts/${sat.attempt.id}`, other.headers);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().error.id).toBe('attempt_not_found');
    const sneak = await inject('POST', `/api/training/attempts/${sat.attempt.id}/finish`, other.headers);
    expect(sneak.statusCode).toBe(404);
    for (const b of [theirs.body, sneak.body]) for (const s of secretsOf(reference(51))) expect(b).not.toContain(s);
    // Her manager sees her answers and per-item scores.
    const detail = await inject('GET', `/api/training/attempts/${sat.attempt.id}/detail`, manager.headers);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().items[0]).toMatchObject({ answered: true, score: 1, complete: true });
    const results = (await inject('GET', `/api/training/courses/${course.id}/results`, manager.headers)).json();
    expect(results.workers).toEqual([
      expect.objectContaining({ username: 'w1', attempts: [expect.objectContaining({ status: 'failed' })] }),
    ]);
  });

  it('fails, waits out the cool-down on the test clock, passes, and is certified with a level', async () => {
    const course = await newCourse({ exam: 3, cooldownMinutes: 30 });
    const project = await t.newProject(manager.headers, { templateId: 'face-5' });
    await t.addImages(manager.headers, project.id, 2);
    const w = await t.newUser('w1', 'worker', undefined, { certified: false });
    // Not certified: no items.
    const refused = await inject('POST', `/api/projects/${project.id}/lease`, w.headers);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.id).toBe('not_certified');
    const me = (await inject('GET', '/api/training/me', w.headers)).json();
    expect(me.projects).toEqual([expect.objectContaining({ id: project.id, certified: false })]);
    expect(me.courses[0]).toMatchObject({ id: course.id, needed: true, certification: null });

    // An incomplete exam: accurate points, but one item left out entirely.
    const first = await sitExam(w.headers, course.id, (i) => (i < 2 ? reference(50 + i) : { instances: [] }));
    expect(first.finish).toMatchObject({ status: 'failed', passed: false });
    expect(first.finish.completeness).toBeCloseTo(2 / 3, 6);
    expect(first.finish.retryAt).toBe(new Date(t.clock.now() + 30 * 60_000).toISOString());

    const early = await inject('POST', `/api/training/courses/${course.id}/exam`, w.headers);
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ id: 'exam_cooldown', details: { retryAt: first.finish.retryAt } });
    t.clock.advance(30 * 60_000 - 1000);
    expect((await inject('POST', `/api/training/courses/${course.id}/exam`, w.headers)).statusCode).toBe(409);
    expect((await inject('POST', `/api/projects/${project.id}/lease`, w.headers)).statusCode).toBe(403);
    t.clock.advance(1000);

    const second = await sitExam(w.headers, course.id, (i) => reference(50 + i));
    expect(second.finish).toMatchObject({ status: 'passed', passed: true, accuracy: 1, completeness: 1, level: 3 });
    expect(second.finish.retryAt).toBeNull();
    const certs = (await inject('GET', '/api/training/certifications', w.headers)).json().certifications;
    expect(certs).toEqual([
      expect.objectContaining({ templateId: 'face-5', level: 3, status: 'active', byExam: true }),
    ]);
    // Certified: the project's items come.
    const lease = await inject('POST', `/api/projects/${project.id}/lease`, w.headers);
    expect(lease.statusCode).toBe(200);
    expect(lease.json().lease).not.toBeNull();
    // Finishing again changes nothing.
    const twice = await inject('POST', `/api/training/attempts/${second.attempt.id}/finish`, w.headers);
    expect(twice.json()).toMatchObject({ status: 'passed', level: 3 });
    // A revoked certification closes the gate again.
    const revoke = await inject('POST', '/api/training/certifications/revoke', manager.headers, {
      userId: w.id,
      templateId: 'face-5',
    });
    expect(revoke.statusCode).toBe(200);
    const gated = await inject('POST', `/api/projects/${project.id}/lease`, w.headers);
    expect(gated.statusCode).toBe(403);
    expect(gated.json().error.id).toBe('not_certified');
  });

  it('lets a suspended worker re-certify through the same exam, which lifts the suspension', async () => {
    const course = await newCourse({ exam: 2 });
    const project = await t.newProject(manager.headers, { templateId: 'face-5' });
    await t.addImages(manager.headers, project.id, 3);
    const w = await t.newUser('w1', 'worker');
    expect((await inject('POST', `/api/projects/${project.id}/lease`, w.headers)).statusCode).toBe(200);
    // Her gold accuracy fell below the project's line (as quality.test.ts walks through).
    await t.ctx.repos.quality.upsertStanding(t.ctx.db, {
      project_id: project.id,
      worker_id: w.id,
      status: 'suspended',
      accuracy: 0.2,
      gold_count: 6,
      reason: 'accuracy_below_suspension',
      updated_at: t.clock.now(),
    });
    const suspended = await inject('POST', `/api/projects/${project.id}/lease`, w.headers);
    expect(suspended.statusCode).toBe(403);
    expect(suspended.json().error.id).toBe('worker_suspended');
    const me = (await inject('GET', '/api/training/me', w.headers)).json();
    expect(me.courses[0].suspendedProjects).toEqual([{ id: project.id, name: 'Faces' }]);
    expect(me.courses[0].next.kind).not.toBe('done');

    // A failed retake lifts nothing.
    const fail = await sitExam(w.headers, course.id, (i) => shifted(50 + i, 20));
    expect(fail.finish.status).toBe('failed');
    expect((await inject('POST', `/api/projects/${project.id}/lease`, w.headers)).statusCode).toBe(403);
    t.clock.advance(60 * 60_000);
    const pass = await sitExam(w.headers, course.id, (i) => reference(50 + i));
    expect(pass.finish).toMatchObject({ status: 'passed', liftedSuspensions: [project.id] });
    const standing = await t.ctx.repos.quality.standing(project.id, w.id);
    expect(standing).toMatchObject({ status: 'active', gold_count: 0, reason: 'recertified' });
    expect((await inject('POST', `/api/projects/${project.id}/lease`, w.headers)).statusCode).toBe(200);
  });

  it('keeps training items out of work and gold: never leased, never in items', async () => {
    const course = await newCourse({ practice: 2, exam: 3 });
    const project = await t.newProject(manager.headers, { templateId: 'face-5', goldRate: 0.5 });
    const items = await t.addImages(manager.headers, project.id, 3);
    const trainingShas = (
      await t.ctx.db.selectFrom('training_items').select('blob_sha256').where('course_id', '=', course.id).execute()
    ).map((r) => r.blob_sha256);
    expect(trainingShas).toHaveLength(5);
    const inItems = await t.ctx.db.selectFrom('items').select('id').where('blob_sha256', 'in', trainingShas).execute();
    expect(inItems).toEqual([]);
    // Certified workers drain the project: only its own items ever come.
    const seen = new Set<number>();
    for (const name of ['wa', 'wb']) {
      const w = await t.newUser(name, 'worker');
      // Sitting the exam first puts exam answers on record; they must not turn into work or gold.
      await sitExam(w.headers, course.id, (i) => reference(50 + i));
      for (;;) {
        const r = await inject('POST', `/api/projects/${project.id}/lease`, w.headers);
        expect(r.statusCode).toBe(200);
        const l = r.json().lease;
        if (!l) break;
        seen.add(await t.leasedItemId(l));
        const s = await inject('POST', `/api/assignments/${l.assignmentId}/submit`, w.headers, {
          clientSubmissionId: randomUUID(),
          data: face5Answer(),
        });
        expect(s.statusCode).toBe(200);
      }
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(items.map((i) => i.id).sort((a, b) => a - b));
    expect(await t.ctx.db.selectFrom('gold_answers').select('item_id').execute()).toEqual([]);
    // An exam photo is shown only inside an open exam of one's own.
    const outsider = await t.newUser('wc', 'worker');
    const img = await inject('GET', `/api/training/items/${course.exam[0].id}/image`, outsider.headers);
    expect(img.statusCode).toBe(404);
    expect(
      (await inject('GET', `/api/training/items/${course.practice[0].id}/image`, outsider.headers)).statusCode,
    ).toBe(200);
    await inject('POST', `/api/training/courses/${course.id}/exam`, outsider.headers);
    expect((await inject('GET', `/api/training/items/${course.exam[0].id}/image`, outsider.headers)).statusCode).toBe(
      200,
    );
  });

  it('lets managers author courses and refuses bad input with stable ids, changing nothing', async () => {
    const course = await newCourse({ practice: 1, exam: 1 });
    const dup = await inject('POST', '/api/training/courses', manager.headers, { templateId: 'face-5', title: 'x' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.id).toBe('course_exists');
    const unknown = await inject('POST', '/api/training/courses', manager.headers, { templateId: 'nope', title: 'x' });
    expect(unknown.json().error.id).toBe('unknown_template');
    const badMark = await inject('PATCH', `/api/training/courses/${course.id}`, manager.headers, { passAccuracy: 2 });
    expect(badMark.statusCode).toBe(400);
    expect(badMark.json().error.id).toBe('invalid_request');

    const item = course.practice[0].id;
    const before = (await inject('GET', `/api/training/items/${item}`, manager.headers)).json().reference;
    const wrongCount = await inject('PUT', `/api/training/items/${item}/reference`, manager.headers, {
      data: { instances: [{ bbox: null, points: [[1, 1, 2]] }] },
    });
    expect(wrongCount.json().error.id).toBe('wrong_point_count');
    const off = reference(0);
    off.instances[0].points[0] = [20, 480, 2];
    const offImage = await inject('PUT', `/api/training/items/${item}/reference`, manager.headers, { data: off });
    expect(offImage.json().error.id).toBe('point_out_of_bounds');
    const gap = reference(0);
    gap.instances[0].points[2] = [0, 0, 0];
    const incomplete = await inject('PUT', `/api/training/items/${item}/reference`, manager.headers, { data: gap });
    expect(incomplete.json().error.id).toBe('reference_incomplete');
    // Marked deliberately as not in the image, the same reference is accepted.
    const marked = await inject('PUT', `/api/training/items/${item}/reference`, manager.headers, {
      data: gap,
      notInImage: [[2]],
    });
    expect(marked.statusCode).toBe(200);
    expect(before).toEqual(reference(0));

    const noKind = await uploadItems(course.id, 'both', 1);
    expect(noKind.statusCode).toBe(400);
    expect(noKind.json().error.id).toBe('invalid_kind');

    const w = await t.newUser('w1', 'worker', undefined, { certified: false });
    const byWorker = await inject('POST', '/api/training/courses', w.headers, { templateId: 'face-68', title: 'x' });
    expect(byWorker.statusCode).toBe(403);
    expect((await inject('PATCH', `/api/training/courses/${course.id}`, w.headers, { title: 'x' })).statusCode).toBe(
      403,
    );
    // A draft course is invisible to workers; another organisation's manager finds nothing.
    await inject('PATCH', `/api/training/courses/${course.id}`, manager.headers, { status: 'draft' });
    expect((await inject('GET', `/api/training/courses/${course.id}`, w.headers)).statusCode).toBe(404);
    expect((await inject('GET', '/api/training/me', w.headers)).json().courses).toEqual([]);
    const otherOrg = await t.ctx.repos.orgs.create('Other base', 'vendor', t.clock.now());
    const stranger = await t.newUser('stranger', 'manager', otherOrg.id);
    const foreign = await inject('GET', `/api/training/courses/${course.id}/manage`, stranger.headers);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.id).toBe('course_not_found');
    const grant = await inject('POST', '/api/training/certifications', stranger.headers, {
      userId: w.id,
      templateId: 'face-5',
    });
    expect(grant.statusCode).toBe(404);
    expect(await t.ctx.repos.certifications.isActive(w.id, 'face-5')).toBe(false);

    // Lessons: edit, reorder, delete.
    const l2 = (
      await inject('POST', `/api/training/courses/${course.id}/lessons`, manager.headers, {
        title: '第 2 课',
        body: '…',
      })
    ).json();
    expect(l2.position).toBe(2);
    const moved = await inject('PATCH', `/api/training/lessons/${l2.id}`, manager.headers, { position: 0 });
    expect(moved.statusCode).toBe(400);
    await inject('PATCH', `/api/training/lessons/${course.lessonId}`, manager.headers, {
      title: '第一课',
      position: 3,
    });
    const view = (await inject('GET', `/api/training/courses/${course.id}/manage`, manager.headers)).json();
    expect(view.lessons.map((l: { title: string }) => l.title)).toEqual(['第 2 课', '第一课']);
    expect((await inject('DELETE', `/api/training/lessons/${l2.id}`, manager.headers)).statusCode).toBe(200);
    // A manager grants a certification by hand.
    const granted = await inject('POST', '/api/training/certifications', manager.headers, {
      userId: w.id,
      templateId: 'face-68',
      level: 2,
    });
    expect(granted.statusCode).toBe(200);
    expect(await t.ctx.repos.certifications.isActive(w.id, 'face-68')).toBe(true);
  });
});

describe('the demo face-68 course', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(dialects[0]);
  });
  afterEach(async () => t.close());

  it('seeds three lessons, ten practice items and a ten-item exam with model-made references', async () => {
    const manager = await t.newUser('manager', 'manager');
    const courseId = await seedDemoTraining(t.ctx, t.vendor.id, manager.id, sampleImagesDir());
    const view = (
      await t.app.inject({ method: 'GET', url: `/api/training/courses/${courseId}/manage`, headers: manager.headers })
    ).json();
    expect(view.course).toMatchObject({ templateId: 'face-68', status: 'published' });
    expect(view.course.description).toContain('模型生成的演示答案');
    expect(view.lessons).toHaveLength(3);
    const practice = view.items.filter((i: { kind: string }) => i.kind === 'practice');
    const exam = view.items.filter((i: { kind: string }) => i.kind === 'exam');
    expect([practice.length, exam.length]).toEqual([10, 10]);
    for (const it of view.items) {
      expect(it.source).toBe('model');
      expect(checkAnnotation(face68, it.width, it.height, it.reference)).toEqual([]);
      expect(goldReferenceProblem(face68, it.reference)).toBeNull();
    }
    // No face is in both sets.
    const key = (r: DemoReference) => `${r.photo}:${r.crop.join(',')}`;
    const examFaces = new Set(demoReferences.filter((r) => r.kind === 'exam').map(key));
    expect(demoReferences.filter((r) => r.kind === 'practice').some((r) => examFaces.has(key(r)))).toBe(false);
    // The lessons' diagram is served to a worker of the organisation.
    const w = await t.newUser('w1', 'worker', undefined, { certified: false });
    const url = /\]\((\/api\/training\/courses\/\d+\/assets\/[0-9a-f]{64})\)/.exec(view.lessons[0].body)![1];
    const img = await t.app.inject({ method: 'GET', url, headers: w.headers });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    // The mirrored practice photo's reference fits it: answering with it scores 1.
    const mirrored = practice[9];
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/training/practice/${mirrored.id}/answer`,
      headers: w.headers,
      payload: { data: mirrored.reference },
    });
    expect(res.json()).toMatchObject({ score: 1, complete: true });
    expect(res.json().errors.find((e: { index: number }) => e.index === 36).name.zh).toBe('右眼外眼角');
  });
});
