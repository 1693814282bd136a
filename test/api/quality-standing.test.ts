/**
 * Standing beyond gold, through the API: agreement with peers catches careless work
 * between gold checks (and never a careful worker), partial left/right swaps are named
 * and flipped back, answers too fast to be real are discarded, and every rule's action
 * shows in the manager's log.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Instance } from '../../src/core/annotation.js';
import { BROWS, FaceSim } from '../../src/core/quality/face-fixture.js';
import { mergeRobust } from '../../src/core/quality/robust-consensus.js';
import { face68 } from '../../src/core/templates/index.js';
import { dialects } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/harness.js';

const SIZE = [400, 400];
type Headers = Record<string, string>;

describe.each(dialects)('quality standing on %s', (dialect) => {
  let t: TestApp;
  let manager: { headers: Headers };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  const inject = (method: string, url: string, headers: Headers, payload?: unknown) =>
    t.app.inject({ method: method as 'GET', url, headers, payload: payload as object });
  const lease = async (headers: Headers, projectId: number) => {
    const res = await inject('POST', `/api/projects/${projectId}/lease`, headers);
    return res.statusCode === 200 ? (res.json().lease as { assignmentId: number } | null) : res.json().error.id;
  };
  const submit = (headers: Headers, assignmentId: number, inst: Instance, activeMs = 60_000) =>
    inject('POST', `/api/assignments/${assignmentId}/submit`, headers, {
      clientSubmissionId: randomUUID(),
      data: { instances: [inst] },
      activeMs,
    });
  const standing = (projectId: number, workerId: number) =>
    t.ctx.db
      .selectFrom('worker_standing')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .executeTakeFirst();
  const events = (projectId: number) =>
    t.ctx.db.selectFrom('quality_events').selectAll().where('project_id', '=', projectId).orderBy('id').execute();

  it('catches a worker careless between gold checks by peer agreement, and never warns a careful one', async () => {
    const project = await t.newProject(manager.headers, {
      templateId: 'face-68',
      overlap: 3,
      goldRate: 0.2,
      peerMin: 5,
      fastMsPerPoint: 0,
    });
    const items = await t.addImages(manager.headers, project.id, 24, SIZE);
    const sim = new FaceSim(7);
    const truth = new Map(items.map((i) => [i.id, sim.face(200, 100, 100)]));
    const gold = items.slice(0, 4);
    for (const g of gold) {
      const res = await inject('PUT', `/api/items/${g.id}/gold`, manager.headers, {
        data: { instances: [truth.get(g.id)] },
      });
      expect(res.statusCode).toBe(200);
    }
    const careful = await Promise.all([1, 2, 3, 4].map((k) => t.newUser(`careful${k}`, 'worker')));
    const careless = await t.newUser('careless', 'worker');
    const crowd = [...careful, careless];
    const done = new Set<number>();
    let goldForCareless = 0;
    for (let round = 0; round < 40 && done.size < crowd.length; round++) {
      for (const w of crowd) {
        if (done.has(w.id)) continue;
        const l = await lease(w.headers, project.id);
        if (l === null || typeof l === 'string') {
          done.add(w.id);
          continue;
        }
        const itemId = await t.leasedItemId(l);
        const isGold = gold.some((g) => g.id === itemId);
        // He is careful exactly where a check could be, and clicks anywhere elsewhere.
        const inst = w === careless && !isGold ? sim.random(400, 400) : sim.answer(truth.get(itemId)!, 0.012);
        if (w === careless && isGold) goldForCareless++;
        expect((await submit(w.headers, l.assignmentId, inst)).statusCode).toBe(200);
      }
    }
    const his = await standing(project.id, careless.id);
    expect(his).toMatchObject({ status: 'suspended', reason: 'peer_below_suspension' });
    // Gold alone would not have caught him: he passed every check he met.
    if (goldForCareless > 0) expect(his!.accuracy!).toBeGreaterThan(0.8);
    const log = await events(project.id);
    const suspension = log.find((e) => e.worker_id === careless.id && e.action === 'suspended');
    expect(suspension).toMatchObject({ rule: 'peer' });
    expect(suspension!.count).toBeGreaterThan(0);
    for (const w of careful) {
      expect(await standing(project.id, w.id)).toMatchObject({ status: 'active', reason: null });
      expect(log.filter((e) => e.worker_id === w.id)).toEqual([]);
    }
    // Every item finished, from careful answers only.
    const rejected = await t.ctx.db
      .selectFrom('annotations')
      .select('worker_id')
      .where('project_id', '=', project.id)
      .where('status', '=', 'rejected')
      .execute();
    expect(rejected.every((r) => r.worker_id === careless.id)).toBe(true);

    // The manager's log and rule lines say what happened; workers may not read them.
    const page = await inject('GET', `/api/projects/${project.id}/quality/events`, manager.headers);
    expect(page.statusCode).toBe(200);
    expect(page.json().events[0]).toMatchObject({
      rule: 'peer',
      action: 'suspended',
      worker: { id: careless.id },
      count: suspension!.count,
    });
    const rules = (await inject('GET', `/api/projects/${project.id}/quality/rules`, manager.headers)).json().rules;
    expect(rules.find((r: { rule: string }) => r.rule === 'peer')).toMatchObject({
      on: true,
      settings: { warnBelow: 0.5, suspendBelow: 0.3, min: 5 },
      did: { suspended: 1, discarded: suspension!.count },
    });
    for (const url of ['events', 'rules']) {
      const res = await inject('GET', `/api/projects/${project.id}/quality/${url}`, careful[0].headers);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.id).toBe('role_not_allowed');
    }
  });

  it('names a partial swap in gold feedback and flips it back in a consensus', async () => {
    const sim = new FaceSim(11);
    const goldProject = await t.newProject(manager.headers, { templateId: 'face-68', overlap: 1, goldRate: 0.5 });
    const [goldItem] = await t.addImages(manager.headers, goldProject.id, 1, SIZE);
    const ref = sim.face(200, 100, 100);
    await inject('PUT', `/api/items/${goldItem.id}/gold`, manager.headers, { data: { instances: [ref] } });
    const swapper = await t.newUser('swapper', 'worker');
    let l = null;
    // Gold is drawn at random per lease; with nothing else to do, a few tries bring it.
    for (let tries = 0; tries < 60 && !l; tries++) l = await lease(swapper.headers, goldProject.id);
    expect(l).not.toBeNull();
    expect((await submit(swapper.headers, l.assignmentId, sim.answer(ref, 0.008, BROWS))).statusCode).toBe(200);
    const score = await t.ctx.db
      .selectFrom('gold_scores')
      .selectAll()
      .where('worker_id', '=', swapper.id)
      .executeTakeFirstOrThrow();
    expect(score.swapped).toBe(1);
    expect(JSON.parse(score.feedback)).toContainEqual(
      expect.objectContaining({
        code: 'left_right_swap',
        regions: ['brow'],
        label: { zh: '左右眉毛互换', en: 'left and right eyebrows swapped' },
      }),
    );

    const project = await t.newProject(manager.headers, { templateId: 'face-68', overlap: 3 });
    const [item] = await t.addImages(manager.headers, project.id, 1, SIZE);
    const truth = sim.face(200, 100, 100);
    const workers = await Promise.all(['a', 'b', 'c'].map((k) => t.newUser(`w${k}`, 'worker')));
    for (const [k, w] of workers.entries()) {
      const wl = await lease(w.headers, project.id);
      await submit(w.headers, wl.assignmentId, sim.answer(truth, 0.012, k === 2 ? BROWS : []));
    }
    const c = (await inject('GET', `/api/items/${item.id}/consensus`, manager.headers)).json();
    expect(c.details.instances[0].swapped).toEqual([0, 0, 5]);
    for (const i of BROWS) {
      const [x, y] = c.data.instances[0].points[i];
      expect(Math.hypot(x - truth.points[i][0], y - truth.points[i][1])).toBeLessThan(8);
    }
  });

  it('keeps an item agreed when one stray answer joins it', async () => {
    const sim = new FaceSim(5);
    const project = await t.newProject(manager.headers, { templateId: 'face-68', overlap: 4 });
    const [item] = await t.addImages(manager.headers, project.id, 1, [800, 600]);
    const truth = sim.face(200, 100, 100);
    const answers = [sim.answer(truth, 0.012), sim.answer(truth, 0.012), sim.answer(truth, 0.015)];
    // The fourth worker marks a face that is not there, far from the real one.
    const stray = sim.answer(sim.face(150, 550, 350), 0.012, [], 150);
    for (const [k, inst] of [...answers, stray].entries()) {
      const w = await t.newUser(`w${k}`, 'worker');
      const l = await lease(w.headers, project.id);
      expect((await submit(w.headers, l.assignmentId, inst)).statusCode).toBe(200);
    }
    const c = (await inject('GET', `/api/items/${item.id}/consensus`, manager.headers)).json();
    expect(c.data.instances).toHaveLength(1);
    expect(c.details.unmerged).toBe(1);
    const without = mergeRobust(
      answers.map((a) => [a]),
      face68,
    ).agreement;
    expect(Math.abs(c.agreement - without) / without).toBeLessThan(0.1);
    // Not sent to review for it (the default threshold is 0.5).
    const stored = await t.ctx.db
      .selectFrom('items')
      .select('review_state')
      .where('id', '=', item.id)
      .executeTakeFirst();
    expect(stored?.review_state).toBe('none');
  });

  it('discards answers too fast to be real, warns, and logs it', async () => {
    const project = await t.newProject(manager.headers, { templateId: 'face-68', overlap: 1 });
    const [item] = await t.addImages(manager.headers, project.id, 1, SIZE);
    const sim = new FaceSim(3);
    const truth = sim.face(200, 100, 100);
    const hasty = await t.newUser('hasty', 'worker');
    const l = await lease(hasty.headers, project.id);
    // 68 points in 2 s: 29 ms a point, under the default floor of 100 ms.
    expect((await submit(hasty.headers, l.assignmentId, sim.answer(truth, 0.012), 2_000)).statusCode).toBe(200);
    const ann = await t.ctx.db.selectFrom('annotations').select('status').where('worker_id', '=', hasty.id).execute();
    expect(ann).toEqual([{ status: 'rejected' }]);
    expect(await standing(project.id, hasty.id)).toMatchObject({ status: 'warned', reason: 'answers_too_fast' });
    const log = await events(project.id);
    expect(log.map((e) => [e.rule, e.action, e.count, e.item_id])).toEqual([
      ['fast', 'discarded', 1, item.id],
      ['fast', 'warned', 0, null],
    ]);
    // The item is open again, for another worker, and an honest pace is accepted.
    const other = await t.newUser('other', 'worker');
    const again = await lease(other.headers, project.id);
    expect(await t.leasedItemId(again)).toBe(item.id);
    await submit(other.headers, again.assignmentId, sim.answer(truth, 0.012), 45_000);
    expect((await inject('GET', `/api/items/${item.id}/consensus`, manager.headers)).statusCode).toBe(200);
  });

  it('stores the rules as project settings and refuses contradictory ones', async () => {
    const bad = await inject('POST', '/api/projects', manager.headers, {
      name: 'Faces',
      templateId: 'face-68',
      peerWarnBelow: 0.2,
      peerSuspendBelow: 0.6,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.id).toBe('thresholds_contradict');
    expect(
      (await inject('POST', '/api/projects', manager.headers, { name: 'F', templateId: 'face-68', peerMin: 50 }))
        .statusCode,
    ).toBe(400);
    const project = await t.newProject(manager.headers, { templateId: 'face-68' });
    const view = (await inject('GET', `/api/projects/${project.id}`, manager.headers)).json();
    expect(view.quality).toMatchObject({
      peerWarnBelow: 0.5,
      peerSuspendBelow: 0.3,
      peerMin: 10,
      swapSuspendShare: 0.2,
      fastMsPerPoint: 100,
      fastSuspendAfter: 5,
    });
    const patched = await inject('PATCH', `/api/projects/${project.id}`, manager.headers, { fastMsPerPoint: 0 });
    expect(patched.json().quality.fastMsPerPoint).toBe(0);
    const contradict = await inject('PATCH', `/api/projects/${project.id}`, manager.headers, { peerSuspendBelow: 0.9 });
    expect(contradict.json().error.id).toBe('thresholds_contradict');
    const rules = (await inject('GET', `/api/projects/${project.id}/quality/rules`, manager.headers)).json().rules;
    expect(rules.map((r: { rule: string; on: boolean }) => [r.rule, r.on])).toEqual([
      ['gold', false],
      ['peer', true],
      ['swap', true],
      ['fast', false],
      ['skip', true],
      ['review', true],
    ]);
  });
});
