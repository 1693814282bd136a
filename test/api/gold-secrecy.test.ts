/**
 * Invariant 9: nothing a worker can read tells gold from regular work — not order,
 * timing, counts or ids — and skipping gold is no way around it. Plus: items always
 * finish (a cap on extra answers, the requirement recomputed after a discard, review
 * when nobody is left, flags that clear).
 *
 * The runs test drives WorkService directly (10,000 leases in seconds); everything a
 * worker reads is read over HTTP, as her browser would.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withTx } from '../../src/server/db/tx.js';
import type { NewItem } from '../../src/server/db/types.js';
import type { Actor } from '../../src/server/services/access.js';
import { dialects } from '../helpers/databases.js';
import { face5Answer, startTestApp, type TestApp } from '../helpers/harness.js';

type Headers = Record<string, string>;

/**
 * Wald–Wolfowitz runs test: z of the number of runs in a two-valued sequence. Random
 * placement gives |z| of a standard normal; gold spread evenly (the old share rule)
 * gives far too many runs, clustered gold far too few.
 */
function runsZ(seq: boolean[]): number {
  const n1 = seq.filter(Boolean).length;
  const n2 = seq.length - n1;
  const n = seq.length;
  let runs = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) if (seq[i] !== seq[i - 1]) runs++;
  const mu = (2 * n1 * n2) / n + 1;
  const variance = ((mu - 1) * (mu - 2)) / (n - 1);
  return (runs - mu) / Math.sqrt(variance);
}

/** Spearman's rank correlation of two equally long lists of distinct numbers. */
function spearman(a: number[], b: number[]): number {
  const rank = (xs: number[]) => {
    const order = xs.map((x, i) => [x, i]).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const n = a.length;
  const d2 = ra.reduce((s, r, i) => s + (r - rb[i]) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/** Mann–Whitney z of `xs` ranked among `xs` and `ys` together: far from 0 when one group sits apart. */
function mannWhitneyZ(xs: number[], ys: number[]): number {
  const all = [...xs.map((v) => [v, 1]), ...ys.map((v) => [v, 0])].sort((p, q) => p[0] - q[0]);
  let rankSum = 0;
  all.forEach(([, g], k) => (rankSum += g === 1 ? k + 1 : 0));
  const n1 = xs.length;
  const n2 = ys.length;
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  return (u - (n1 * n2) / 2) / Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
}

describe.each(dialects)('gold secrecy on %s', (dialect) => {
  let t: TestApp;
  let manager: { id: number; headers: Headers };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  const inject = (method: string, url: string, headers: Headers, payload?: unknown) =>
    t.app.inject({ method: method as 'GET', url, headers, payload: payload as never });
  const lease = async (headers: Headers, projectId: number) => {
    const res = await inject('POST', `/api/projects/${projectId}/lease`, headers);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().lease as { assignmentId: number; item: { id: number } } | null;
  };
  const submit = async (headers: Headers, assignmentId: number, data: unknown = face5Answer()) => {
    const res = await inject('POST', `/api/assignments/${assignmentId}/submit`, headers, {
      clientSubmissionId: randomUUID(),
      data,
      activeMs: 30_000,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().annotationId as number;
  };
  const skip = async (headers: Headers, assignmentId: number) => {
    const res = await inject('POST', `/api/assignments/${assignmentId}/skip`, headers, { reason: 'too_hard' });
    expect(res.statusCode, res.body).toBe(200);
  };

  /** `regular` plain items and `gold` gold items (a face-5 reference each), inserted straight into the project. */
  async function fill(projectId: number, regular: number, gold: number) {
    const now = t.clock.now();
    const rows: NewItem[] = Array.from({ length: regular + gold }, (_, i) => ({
      project_id: projectId,
      name: `f${i}.png`,
      width: 64,
      height: 48,
      is_gold: 0,
      claimed: 0,
      open: 1,
      submitted: 0,
      created_at: now,
    }));
    const made = await withTx(t.ctx.db, (trx) => t.ctx.repos.items.insertReturning(trx, rows));
    // Gold made last in one batch: its row ids cluster, as a real upload's would.
    const golds = made.slice(regular).map((r) => r.id);
    await withTx(t.ctx.db, async (trx) => {
      for (const id of golds)
        await t.ctx.repos.quality.setGold(trx, id, projectId, JSON.stringify(face5Answer()), 'editor', manager.id, now);
    });
    return { regular: made.slice(0, regular).map((r) => r.id), gold: new Set(golds) };
  }

  const actorOf = async (id: number) => (await t.ctx.repos.users.get(id)) as Actor;

  it('places gold at random over 10,000 leases (runs test), at the project rate, in no fixed position', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, goldRate: 0.1, minGold: 1 });
    const { gold } = await fill(project.id, 1000, 200);
    const workers = await Promise.all(Array.from({ length: 10 }, (_, k) => t.newUser(`rw${k}`, 'worker')));
    // Past the warm-up: each has her min_gold checks.
    for (const w of workers) {
      await t.ctx.db
        .insertInto('worker_standing')
        .values({
          project_id: project.id,
          worker_id: w.id,
          status: 'active',
          accuracy: 1,
          gold_count: 1,
          reason: null,
          updated_at: t.clock.now(),
        })
        .execute();
    }
    // 10,000 real leases on SQLite; PostgreSQL's round trips make that a minute on a busy box, so there
    // it is 2,000 real leases plus 10,000 draws of the same decision (QualityService.wantsGold).
    const perWorker = dialect === 'sqlite' ? 1000 : 200;
    const work = t.ctx.services.work;
    const seqs = await Promise.all(
      workers.map(async (w) => {
        const actor = await actorOf(w.id);
        const seq: boolean[] = [];
        for (let i = 0; i < perWorker; i++) {
          const l = (await work.lease(actor, project.id))!;
          const isGold = gold.has(l.item.id);
          seq.push(isGold);
          // Handed straight back: the next lease is a fresh draw (a given-back item returns only after 20 minutes).
          await t.ctx.db
            .updateTable('assignments')
            .set({ status: 'released', ended_at: t.clock.now() })
            .where('id', '=', l.assignmentId)
            .execute();
          if (!isGold) await t.ctx.repos.assignments.unclaim(t.ctx.db, l.item.id, 1);
        }
        return seq;
      }),
    );
    const leased = seqs.flat();
    expect(leased).toHaveLength(10 * perWorker);
    let pooled = leased;
    if (dialect !== 'sqlite') {
      const row = (await t.ctx.repos.projects.get(project.id))!;
      const draws: boolean[] = [];
      await withTx(t.ctx.db, async (trx) => {
        for (let i = 0; i < 10_000; i++) draws.push(await t.ctx.services.quality.wantsGold(trx, row, workers[0].id));
      });
      expect(Math.abs(runsZ(leased))).toBeLessThan(4);
      pooled = draws;
    }
    expect(pooled).toHaveLength(10_000);
    const share = pooled.filter(Boolean).length / pooled.length;
    expect(Math.abs(share - 0.1)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / 10_000));
    expect(Math.abs(runsZ(pooled))).toBeLessThan(4);
    for (const s of seqs) expect(Math.abs(runsZ(s))).toBeLessThan(4.5);
    // No fixed positions: the first 30 leases put gold in different places for different workers.
    expect(new Set(seqs.map((s) => s.slice(0, 30).join(''))).size).toBeGreaterThan(5);
    // The test has teeth: the old share rule (gold while gold < rate × leases) fails it badly.
    const old: boolean[] = [];
    let g = 0;
    for (let i = 0; i < 10_000; i++) {
      const isGold = g < 0.1 * (i + 1);
      if (isGold) g++;
      old.push(isGold);
    }
    expect(Math.abs(runsZ(old))).toBeGreaterThan(10);
  }, 60_000);

  it('keeps the warm-up (twice the rate until min_gold checks), randomised too', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, goldRate: 0.1, minGold: 5 });
    const w = await t.newUser('fresh', 'worker');
    const row = (await t.ctx.repos.projects.get(project.id))!;
    const seq: boolean[] = [];
    await withTx(t.ctx.db, async (trx) => {
      for (let i = 0; i < 5000; i++) seq.push(await t.ctx.services.quality.wantsGold(trx, row, w.id));
    });
    const share = seq.filter(Boolean).length / seq.length;
    expect(Math.abs(share - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / 5000));
    expect(Math.abs(runsZ(seq))).toBeLessThan(4);
  });

  it('walks regular and gold in one shuffled order, under ids that say nothing', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, goldRate: 0.2, minGold: 1 });
    const { regular, gold } = await fill(project.id, 150, 40);
    const w = await t.newUser('w1', 'worker');
    const seen: { handle: number; row: number; gold: boolean }[] = [];
    for (;;) {
      const l = await lease(w.headers, project.id);
      if (!l) break;
      const row = await t.leasedItemId(l);
      seen.push({ handle: l.item.id, row, gold: gold.has(row) });
      await submit(w.headers, l.assignmentId);
    }
    const reg = seen.filter((s) => !s.gold);
    expect(reg).toHaveLength(regular.length);
    // Regular items do not come in upload (id) order: rank correlation near 0 (random: σ ≈ 0.08).
    expect(
      Math.abs(
        spearman(
          reg.map((_, i) => i),
          reg.map((s) => s.row),
        ),
      ),
    ).toBeLessThan(0.4);
    const golds = seen.filter((s) => s.gold);
    expect(golds.length).toBeGreaterThan(10);
    // Gold row ids cluster (made in one batch, after the rest) — the test can tell them apart …
    expect(
      Math.abs(
        mannWhitneyZ(
          golds.map((s) => s.row),
          reg.map((s) => s.row),
        ),
      ),
    ).toBeGreaterThan(5);
    // … but the ids the worker sees do not.
    expect(
      Math.abs(
        mannWhitneyZ(
          golds.map((s) => s.handle),
          reg.map((s) => s.handle),
        ),
      ),
    ).toBeLessThan(4);
    // Where gold came among her leases is no clue either: not bunched at the end or the start.
    const goldPositions = seen.flatMap((s, i) => (s.gold ? [i] : []));
    const regularPositions = seen.flatMap((s, i) => (s.gold ? [] : [i]));
    expect(Math.abs(mannWhitneyZ(goldPositions, regularPositions))).toBeLessThan(4);
  });

  it('shows her checks, status and pay only as of her last completed batch, gold pending like regular', async () => {
    const project = await t.newProject(manager.headers, {
      overlap: 3,
      goldRate: 0.3,
      minGold: 2,
      pieceRateFen: 50,
      warnBelow: 0.99,
      suspendBelow: 0,
      feedbackBatch: 5,
    });
    const { gold } = await fill(project.id, 20, 6);
    const w = await t.newUser('w1', 'worker');
    // Gold at her 2nd, 3rd and 4th lease (gold is random otherwise).
    const plan = [0.99, 0, 0, 0];
    let k = 0;
    t.ctx.services.quality.goldDraw = () => plan[k++] ?? 0.99;
    const mine = async () => (await inject('GET', `/api/projects/${project.id}/my-quality`, w.headers)).json();
    const earnings = async () => (await inject('GET', '/api/me/earnings', w.headers)).json();
    const answers: { id: number; gold: boolean }[] = [];
    for (let i = 0; i < 4; i++) {
      const l = (await lease(w.headers, project.id))!;
      const isGold = gold.has(await t.leasedItemId(l));
      // A sloppy answer to each check: she is below the warning line at once.
      const id = await submit(w.headers, l.assignmentId, face5Answer(64, 48, isGold ? 6 : 0));
      answers.push({ id, gold: isGold });
      // Right after each answer, check or not, her page has not moved: no batch is complete.
      expect(await mine()).toMatchObject({ checked: 0, accuracy: null, status: 'active', feedback: [] });
      const pay = await earnings();
      expect(pay.todayFen).toBe(0);
      expect(pay.practise).toBeNull();
      // Every answer is pending, the checks as much as the regular ones (their items wait for two more workers).
      for (const h of pay.history) expect(h).toMatchObject({ status: 'pending', accuracy: null, amountFen: 0 });
    }
    expect(answers.map((a) => a.gold)).toEqual([false, true, true, true]);
    // The standing itself moved at once (the rules must not wait): she is warned.
    const standing = await t.ctx.repos.quality.standing(project.id, w.id);
    expect(standing).toMatchObject({ gold_count: 3, status: 'warned' });
    // Her 5th answer completes the batch: now the page shows the three checks and the warning, not which answers they were.
    const l5 = (await lease(w.headers, project.id))!;
    await submit(w.headers, l5.assignmentId);
    const shown = await mine();
    expect(shown).toMatchObject({ checked: 3, status: 'warned', asOf: { answers: 5, every: 5 } });
    expect(shown.feedback).toHaveLength(3);
    for (const f of shown.feedback) expect(Object.keys(f).sort()).toEqual(['problems', 'score']);
    // The checks stay pending until a regular answer would have been decided; then they are decided.
    t.clock.advance(3 * 3_600_000);
    await t.ctx.services.work.sweep();
    const later = await earnings();
    const byId = new Map(later.history.map((h: { annotationId: number; status: string }) => [h.annotationId, h]));
    for (const a of answers) {
      if (a.gold) expect(byId.get(a.id)).toMatchObject({ status: 'rejected', reason: 'low_accuracy' });
      else expect(byId.get(a.id)).toMatchObject({ status: 'pending' });
    }
  });

  it('decides a check at once where regular answers are decided at once (overlap 1)', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, goldRate: 0.5, minGold: 1, pieceRateFen: 10 });
    const { gold } = await fill(project.id, 5, 2);
    const w = await t.newUser('w1', 'worker');
    const plan = [0.99, 0];
    let k = 0;
    t.ctx.services.quality.goldDraw = () => plan[k++] ?? 0.99;
    const first = (await lease(w.headers, project.id))!;
    expect(gold.has(await t.leasedItemId(first))).toBe(false);
    const a1 = await submit(w.headers, first.assignmentId);
    const second = (await lease(w.headers, project.id))!;
    expect(gold.has(await t.leasedItemId(second))).toBe(true);
    const a2 = await submit(w.headers, second.assignmentId);
    const pay = (await inject('GET', '/api/me/earnings', w.headers)).json();
    const byId = new Map(pay.history.map((h: { annotationId: number }) => [h.annotationId, h]));
    expect(byId.get(a1)).toMatchObject({ status: 'accepted', amountFen: 10 });
    expect(byId.get(a2)).toMatchObject({ status: 'accepted', amountFen: 10 });
  });

  it('suspends a worker who skips checks far more than other items, and leaves an even skipper alone', async () => {
    const project = await t.newProject(manager.headers, {
      overlap: 1,
      goldRate: 0.25,
      minGold: 3,
      goldSkipAction: 'suspend',
      goldSkipMargin: 0.25,
    });
    const { gold } = await fill(project.id, 120, 40);
    const skipper = await t.newUser('skipper', 'worker');
    const even = await t.newUser('even', 'worker');
    let goldLeases = 0;
    let suspendedAt: number | null = null;
    for (let i = 0; i < 60 && suspendedAt === null; i++) {
      const res = await inject('POST', `/api/projects/${project.id}/lease`, skipper.headers);
      if (res.statusCode === 403) {
        expect(res.json().error.id).toBe('worker_suspended');
        suspendedAt = goldLeases;
        break;
      }
      const l = res.json().lease;
      if (gold.has(await t.leasedItemId(l))) {
        goldLeases++;
        await skip(skipper.headers, l.assignmentId);
      } else await submit(skipper.headers, l.assignmentId);
    }
    expect(suspendedAt).not.toBeNull();
    expect(suspendedAt!).toBeLessThanOrEqual(20);
    expect(await t.ctx.repos.quality.standing(project.id, skipper.id)).toMatchObject({
      status: 'suspended',
      reason: 'gold_skips',
    });
    const events = await t.ctx.db
      .selectFrom('quality_events')
      .select(['rule', 'action', 'count'])
      .where('worker_id', '=', skipper.id)
      .execute();
    expect(events).toContainEqual(expect.objectContaining({ rule: 'skip', action: 'suspended' }));
    // Her regular answers were discarded with the suspension.
    const kept = await t.ctx.db
      .selectFrom('annotations')
      .select('status')
      .where('worker_id', '=', skipper.id)
      .where('status', '!=', 'rejected')
      .execute();
    expect(kept).toEqual([]);

    // A worker who skips every third item, check or not, is never touched by the rule.
    for (let i = 0; i < 60; i++) {
      const l = await lease(even.headers, project.id);
      if (!l) break;
      if (i % 3 === 2) await skip(even.headers, l.assignmentId);
      else await submit(even.headers, l.assignmentId);
    }
    expect((await t.ctx.repos.quality.standing(project.id, even.id))?.status ?? 'active').toBe('active');
  });

  it('warns instead when the project says so', async () => {
    const project = await t.newProject(manager.headers, {
      overlap: 1,
      goldRate: 0.5,
      minGold: 3,
      goldSkipAction: 'warn',
    });
    const { gold } = await fill(project.id, 60, 30);
    const w = await t.newUser('skipper', 'worker');
    for (let i = 0; i < 40; i++) {
      const l = (await lease(w.headers, project.id))!;
      if (gold.has(await t.leasedItemId(l))) await skip(w.headers, l.assignmentId);
      else await submit(w.headers, l.assignmentId);
    }
    expect(await t.ctx.repos.quality.standing(project.id, w.id)).toMatchObject({
      status: 'warned',
      reason: 'gold_skips',
    });
  });

  it('brings a skipped check back to the same worker later, as it does a skipped regular item', async () => {
    const project = await t.newProject(manager.headers, { overlap: 2, goldRate: 0.1, minGold: 1 });
    const { gold } = await fill(project.id, 6, 1);
    const [goldId] = [...gold];
    const w = await t.newUser('w1', 'worker');
    t.ctx.services.quality.goldDraw = () => 0; // gold whenever one is there for her
    const first = (await lease(w.headers, project.id))!;
    expect(await t.leasedItemId(first)).toBe(goldId);
    await skip(w.headers, first.assignmentId);
    const regular = (await lease(w.headers, project.id))!;
    const regularId = await t.leasedItemId(regular);
    expect(gold.has(regularId)).toBe(false);
    await skip(w.headers, regular.assignmentId);
    // Not at once …
    for (let i = 0; i < 3; i++) {
      const l = (await lease(w.headers, project.id))!;
      const id = await t.leasedItemId(l);
      expect([goldId, regularId]).not.toContain(id);
      await submit(w.headers, l.assignmentId);
    }
    // … but after a while both come back to her.
    t.clock.advance(21 * 60_000);
    const back = (await lease(w.headers, project.id))!;
    expect(await t.leasedItemId(back)).toBe(goldId);
    await submit(w.headers, back.assignmentId);
    const again: number[] = [];
    for (let i = 0; i < 3; i++) {
      const l = await lease(w.headers, project.id);
      if (!l) break;
      again.push(await t.leasedItemId(l));
      await submit(w.headers, l.assignmentId);
    }
    expect(again).toContain(regularId);
    // The row is the same (never twice is still a unique key), leased twice and given back once.
    const rows = await t.ctx.db
      .selectFrom('assignments')
      .select(['status', 'lease_count', 'skip_count'])
      .where('worker_id', '=', w.id)
      .where('item_id', '=', goldId)
      .execute();
    expect(rows).toEqual([{ status: 'submitted', lease_count: 2, skip_count: 1 }]);
  });

  describe('items always finish', () => {
    const near = face5Answer();
    const far = face5Answer(64, 48, 14);
    const row = (id: number) => t.ctx.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    /** Suspends a worker and discards her unreviewed answers, as a rule would. */
    async function suspend(projectId: number, workerId: number) {
      const p = (await t.ctx.repos.projects.get(projectId))!;
      await withTx(t.ctx.db, async (trx) => {
        await trx
          .updateTable('worker_standing')
          .set({ status: 'suspended', reason: 'test' })
          .where('project_id', '=', projectId)
          .where('worker_id', '=', workerId)
          .execute();
        await t.ctx.services.quality.discardUnreviewedAnswers(trx, p, workerId);
      });
    }
    async function answerBy(headers: Headers, projectId: number, data: unknown) {
      const l = (await lease(headers, projectId))!;
      await submit(headers, l.assignmentId, data);
      return t.leasedItemId(l);
    }

    it('caps the extra answers of a disagreeing item, then sends it to review', async () => {
      const project = await t.newProject(manager.headers, {
        overlap: 2,
        agreementThreshold: 0.99,
        lowAgreementAction: 'more_overlap',
        maxExtraOverlap: 1,
      });
      await fill(project.id, 1, 0);
      const ws = await Promise.all([0, 1, 2, 3].map((k) => t.newUser(`cw${k}`, 'worker')));
      const id = await answerBy(ws[0].headers, project.id, near);
      await answerBy(ws[1].headers, project.id, far);
      expect(await row(id)).toMatchObject({ extra_overlap: 1, open: 1, review_state: 'none' });
      await answerBy(ws[2].headers, project.id, face5Answer(64, 48, 7));
      // The cap is reached: no fourth answer is asked for; a reviewer decides.
      expect(await row(id)).toMatchObject({ extra_overlap: 1, open: 0, review_state: 'flagged' });
      expect(await lease(ws[3].headers, project.id)).toBeNull();
    });

    it('recomputes the requirement from the answers left after a discard; flags clear when agreement is good', async () => {
      const project = await t.newProject(manager.headers, {
        overlap: 2,
        agreementThreshold: 0.9,
        lowAgreementAction: 'review',
      });
      await fill(project.id, 1, 0);
      const careful = await t.newUser('careful', 'worker');
      const spammer = await t.newUser('spammer', 'worker');
      const other = await t.newUser('other', 'worker');
      await t.ctx.db
        .insertInto('worker_standing')
        .values({
          project_id: project.id,
          worker_id: spammer.id,
          status: 'active',
          accuracy: null,
          gold_count: 0,
          reason: null,
          updated_at: 0,
        })
        .execute();
      const id = await answerBy(careful.headers, project.id, near);
      await answerBy(spammer.headers, project.id, far);
      expect(await row(id)).toMatchObject({ review_state: 'flagged', open: 0 });
      await suspend(project.id, spammer.id);
      // One valid answer of two: the flag is off and one more answer is asked for.
      expect(await row(id)).toMatchObject({ review_state: 'none', open: 1, submitted: 1, extra_overlap: 0 });
      await answerBy(other.headers, project.id, face5Answer(64, 48, 1));
      expect(await row(id)).toMatchObject({ review_state: 'none', open: 0, submitted: 2 });
      const c = (await inject('GET', `/api/items/${id}/consensus`, manager.headers)).json();
      expect(c.submissions).toBe(2);
      expect(c.agreement).toBeGreaterThanOrEqual(0.9);
    });

    it('asks for no extra answer the discarded one caused: merged and decided from the valid ones', async () => {
      const project = await t.newProject(manager.headers, {
        overlap: 2,
        agreementThreshold: 0.9,
        lowAgreementAction: 'more_overlap',
        maxExtraOverlap: 2,
      });
      await fill(project.id, 1, 0);
      const [a, s, b] = await Promise.all(['wa', 'spam', 'wb'].map((n) => t.newUser(n, 'worker')));
      await t.ctx.db
        .insertInto('worker_standing')
        .values({
          project_id: project.id,
          worker_id: s.id,
          status: 'active',
          accuracy: null,
          gold_count: 0,
          reason: null,
          updated_at: 0,
        })
        .execute();
      const id = await answerBy(a.headers, project.id, near);
      await answerBy(s.headers, project.id, far);
      expect(await row(id)).toMatchObject({ extra_overlap: 1, open: 1 });
      await answerBy(b.headers, project.id, face5Answer(64, 48, 1));
      await suspend(project.id, s.id);
      // Two valid answers that agree: the overlap is met, nothing more is asked, the answers are accepted.
      expect(await row(id)).toMatchObject({ extra_overlap: 0, open: 0, submitted: 2, review_state: 'none' });
      const accepted = await t.ctx.db
        .selectFrom('annotations')
        .select('worker_id')
        .where('item_id', '=', id)
        .where('accepted_at', 'is not', null)
        .execute();
      expect(accepted.map((r) => r.worker_id).sort()).toEqual([a.id, b.id].sort());
    });

    it('sends an item to review when nobody is left to give it the answers it lost', async () => {
      const project = await t.newProject(manager.headers, { overlap: 2, agreementThreshold: 0.5 });
      await fill(project.id, 1, 0);
      const careful = await t.newUser('careful', 'worker');
      const spammer = await t.newUser('spammer', 'worker');
      await t.ctx.db
        .insertInto('worker_standing')
        .values({
          project_id: project.id,
          worker_id: spammer.id,
          status: 'active',
          accuracy: null,
          gold_count: 0,
          reason: null,
          updated_at: 0,
        })
        .execute();
      const id = await answerBy(careful.headers, project.id, near);
      await answerBy(spammer.headers, project.id, far);
      await suspend(project.id, spammer.id);
      // Nobody else could answer it: closed short at the answer it holds, merged, flagged for review.
      expect(await row(id)).toMatchObject({ open: 0, submitted: 1, extra_overlap: -1, review_state: 'flagged' });
      const c = await inject('GET', `/api/items/${id}/consensus`, manager.headers);
      expect(c.json().submissions).toBe(1);
      const reviewer = await t.newUser('rev', 'reviewer');
      const next = (await inject('GET', `/api/projects/${project.id}/review/next`, reviewer.headers)).json().review;
      expect(next.item).toMatchObject({ id, reason: 'flagged' });
      const ok = await inject('POST', `/api/annotations/${next.submissions[0].annotationId}/review`, reviewer.headers, {
        verdict: 'accept',
      });
      expect(ok.statusCode).toBe(200);
      expect(await row(id)).toMatchObject({ review_state: 'reviewed' });
    });
  });
});
