/**
 * Invariant 6: every accepted answer is paid exactly once, and every balance equals
 * the sum of its ledger entries — under concurrent acceptance, retried requests and
 * two server contexts on one database. Rejected answers are unpaid; a reversal nets
 * to zero; a closed period takes no entries; the payroll files carry the ledger's
 * figures.
 */
import { randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createContext } from '../../src/server/context.js';
import { withTx } from '../../src/server/db/tx.js';
import { acceptanceFor } from '../../src/server/services/acceptance.js';
import { PAYROLL_COLUMNS, PAYROLL_SHEET } from '../../src/server/services/payroll-sheet.js';
import { dialects } from '../helpers/databases.js';
import { face5Answer, startTestApp, type TestApp } from '../helpers/harness.js';

type Headers = Record<string, string>;

describe.each(dialects)('pay ledger on %s', (dialect) => {
  let t: TestApp;
  let manager: { id: number; headers: Headers };
  let reviewer: { id: number; headers: Headers };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
    reviewer = await t.newUser('reviewer', 'reviewer');
  });
  afterEach(async () => t.close());

  const inject = (method: string, url: string, headers: Headers, payload?: unknown, app = t.app) =>
    app.inject({ method: method as 'GET', url, headers, payload: payload as never });

  /** Leases one item and submits `data`, the same request four times at once as a flaky link might. */
  async function submitOne(w: { headers: Headers }, projectId: number, data: unknown = face5Answer(), activeMs = 0) {
    const res = await inject('POST', `/api/projects/${projectId}/lease`, w.headers);
    expect(res.statusCode).toBe(200);
    const lease = res.json().lease as { assignmentId: number; item: { id: number } } | null;
    if (!lease) return null;
    const body = { clientSubmissionId: randomUUID(), data, activeMs };
    const all = await Promise.all(
      [0, 1, 2, 3].map(() => inject('POST', `/api/assignments/${lease.assignmentId}/submit`, w.headers, body)),
    );
    for (const r of all) expect(r.statusCode, r.body).toBe(200);
    const ids = new Set(all.map((r) => r.json().annotationId as number));
    expect(ids.size).toBe(1);
    // Workers see opaque ids (services/worker-ids.ts): the ledger is checked by row id.
    return { annotationId: await t.annotationRowId([...ids][0]), itemId: await t.leasedItemId(lease) };
  }

  /** The worker's earnings page, its answers listed by row id. */
  async function earningsPage(headers: Headers) {
    const page = (await inject('GET', '/api/me/earnings', headers)).json();
    for (const h of page.history) h.annotationId = await t.annotationRowId(h.annotationId);
    return page;
  }

  const entriesOf = (annotationId: number) =>
    t.ctx.db.selectFrom('ledger_entries').selectAll().where('annotation_id', '=', annotationId).orderBy('id').execute();

  async function sumOf(workerId: number) {
    const row = await t.ctx.db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
      .where('worker_id', '=', workerId)
      .executeTakeFirstOrThrow();
    return Number(row.s ?? 0);
  }

  /** A project whose two answers per item disagree enough to wait for a reviewer. */
  const reviewedProject = () =>
    t.newProject(manager.headers, {
      overlap: 2,
      pieceRateFen: 40,
      agreementThreshold: 1,
      lowAgreementAction: 'review',
    });

  /** Two workers answer `n` items of a reviewed project; returns both answers per item, none accepted. */
  async function pendingAnswers(projectId: number, n: number) {
    const a = await t.newUser(`pa${projectId}`, 'worker');
    const b = await t.newUser(`pb${projectId}`, 'worker');
    const out: { annotationId: number; workerId: number }[] = [];
    for (let i = 0; i < n; i++) {
      const x = await submitOne(a, projectId, face5Answer(64, 48, 0));
      const y = await submitOne(b, projectId, face5Answer(64, 48, 3));
      out.push({ annotationId: x!.annotationId, workerId: a.id }, { annotationId: y!.annotationId, workerId: b.id });
    }
    const paid = await t.ctx.db.selectFrom('ledger_entries').select('id').execute();
    expect(paid).toEqual([]);
    return { a, b, answers: out };
  }

  it('pays each accepted answer exactly once through racing acceptances and retried requests', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, pieceRateFen: 25 });
    await t.addImages(manager.headers, project.id, 6);
    const w1 = await t.newUser('w1', 'worker');
    const w2 = await t.newUser('w2', 'worker');
    const accepted: number[] = [];
    for (const w of [w1, w2, w1, w2, w1, w2])
      accepted.push((await submitOne(w, project.id, face5Answer(), 60_000))!.annotationId);

    // Overlap 1: each answer is its item's final consensus, accepted and paid at submit.
    // Now every other acceptance path at once, several times over, on the same answers.
    const row = (await t.ctx.repos.projects.get(project.id))!;
    const hook = acceptanceFor(t.ctx.db);
    await Promise.all(
      accepted.flatMap((id) => [
        inject('POST', `/api/annotations/${id}/review`, reviewer.headers, { verdict: 'accept' }),
        inject('POST', `/api/annotations/${id}/review`, reviewer.headers, { verdict: 'accept' }),
        withTx(t.ctx.db, (trx) => hook.accept(trx, row, id, 'review', t.clock.now())),
        withTx(t.ctx.db, (trx) => hook.accept(trx, row, id, 'consensus', t.clock.now(), 1)),
      ]),
    );
    for (const id of accepted) {
      const e = await entriesOf(id);
      expect(e.map((x) => [x.kind, x.amount_fen])).toEqual([['earning', 25]]);
    }
    const earnings = await t.ctx.db
      .selectFrom('ledger_entries')
      .select('annotation_id')
      .where('kind', '=', 'earning')
      .execute();
    expect(earnings.length).toBe(6);
    const acceptedRows = await t.ctx.db
      .selectFrom('annotations')
      .select('id')
      .where('accepted_at', 'is not', null)
      .execute();
    expect(acceptedRows.map((r) => r.id).sort()).toEqual([...accepted].sort());

    // A second earning for one answer is refused by the database itself.
    const e0 = (await entriesOf(accepted[0]))[0];
    await expect(
      t.ctx.db
        .insertInto('ledger_entries')
        .values({ ...e0, id: undefined, created_at: t.clock.now() })
        .execute(),
    ).rejects.toThrow();

    // Balances are sums of entries, wherever they are read.
    for (const w of [w1, w2]) {
      const ledger = (await inject('GET', `/api/pay/workers/${w.id}/ledger`, manager.headers)).json();
      expect(ledger.balanceFen).toBe(75);
      expect(ledger.entries.reduce((s: number, e: { amountFen: number }) => s + e.amountFen, 0)).toBe(75);
      expect(await sumOf(w.id)).toBe(75);
      const mine = await earningsPage(w.headers);
      expect(mine).toMatchObject({ todayFen: 75, weekFen: 75, monthFen: 75, balanceFen: 75 });
      expect(mine.history).toHaveLength(3);
      for (const h of mine.history) expect(h).toMatchObject({ status: 'accepted', amountFen: 25, accuracy: 1 });
    }
  });

  it('pays once when two server contexts on one database accept the same answers', async () => {
    const project = await reviewedProject();
    await t.addImages(manager.headers, project.id, 3);
    const { answers } = await pendingAnswers(project.id, 3);
    const ctx2 = await createContext(t.config, t.clock);
    const app2 = await buildApp(ctx2, { webDir: '/nonexistent' });
    try {
      const row = (await t.ctx.repos.projects.get(project.id))!;
      const paths = (id: number) => [
        () => inject('POST', `/api/annotations/${id}/review`, reviewer.headers, { verdict: 'accept' }),
        () => inject('POST', `/api/annotations/${id}/review`, reviewer.headers, { verdict: 'accept' }, app2),
        () => withTx(t.ctx.db, (trx) => acceptanceFor(t.ctx.db).accept(trx, row, id, 'review', t.clock.now())),
        () => withTx(ctx2.db, (trx) => acceptanceFor(ctx2.db).accept(trx, row, id, 'review', t.clock.now())),
      ];
      if (dialect === 'postgres') {
        // Two pools, real concurrency on the server.
        await Promise.all(answers.flatMap((a) => paths(a.annotationId).map((p) => p())));
      } else {
        // Two SQLite connections in one thread cannot wait on each other's lock (the
        // waiting one would block the event loop the other needs), so they take turns;
        // test/process/ runs real processes concurrently on one file.
        for (const a of answers) for (const p of paths(a.annotationId)) await p();
      }
      for (const a of answers) expect((await entriesOf(a.annotationId)).map((e) => e.kind)).toEqual(['earning']);
      const reviews = await t.ctx.db.selectFrom('reviews').select('annotation_id').execute();
      expect(reviews.length).toBe(answers.length);
      // Either context reads the same balances.
      for (const wid of new Set(answers.map((a) => a.workerId))) {
        const one = (await inject('GET', `/api/pay/workers/${wid}/ledger`, manager.headers)).json().balanceFen;
        const two = (await inject('GET', `/api/pay/workers/${wid}/ledger`, manager.headers, undefined, app2)).json()
          .balanceFen;
        expect(one).toBe(120);
        expect(two).toBe(120);
      }
    } finally {
      await app2.close();
      await ctx2.close();
    }
  });

  it('leaves rejected answers unpaid with their reason, and nets a reversal to zero', async () => {
    // Rejected before any acceptance: never paid.
    const reviewed = await reviewedProject();
    await t.addImages(manager.headers, reviewed.id, 1);
    const { a, answers } = await pendingAnswers(reviewed.id, 1);
    const rejected = answers[0].annotationId;
    const r = await inject('POST', `/api/annotations/${rejected}/review`, reviewer.headers, {
      verdict: 'reject',
      reasonCode: 'wrong_points',
    });
    expect(r.statusCode).toBe(200);
    expect(await entriesOf(rejected)).toEqual([]);
    const aPage = await earningsPage(a.headers);
    expect(aPage.history[0]).toMatchObject({
      annotationId: rejected,
      status: 'rejected',
      reason: 'wrong_points',
      amountFen: 0,
    });

    // Accepted by consensus, then rejected by a reviewer: one reversal, however often it is asked.
    const project = await t.newProject(manager.headers, { overlap: 1, pieceRateFen: 30 });
    await t.addImages(manager.headers, project.id, 2);
    const w = await t.newUser('w1', 'worker');
    const kept = (await submitOne(w, project.id))!.annotationId;
    const reversed = (await submitOne(w, project.id))!.annotationId;
    expect(await sumOf(w.id)).toBe(60);
    const tries = await Promise.all(
      [0, 1, 2].map(() =>
        inject('POST', `/api/annotations/${reversed}/review`, reviewer.headers, {
          verdict: 'reject',
          reasonCode: 'careless',
        }),
      ),
    );
    expect(tries.map((x) => x.statusCode).sort()).toEqual([200, 409, 409]);
    for (const x of tries.filter((y) => y.statusCode === 409)) expect(x.json().error.id).toBe('already_reviewed');
    await withTx(t.ctx.db, (trx) => acceptanceFor(t.ctx.db).unaccept(trx, reversed, 'again', t.clock.now()));
    const entries = await entriesOf(reversed);
    expect(entries.map((e) => [e.kind, e.amount_fen])).toEqual([
      ['earning', 30],
      ['reversal', -30],
    ]);
    expect(entries[1].reverses_id).toBe(entries[0].id);
    expect(entries.reduce((s, e) => s + e.amount_fen, 0)).toBe(0);
    expect(await sumOf(w.id)).toBe(30);
    // A rejected answer is not accepted again by any path.
    const row = (await t.ctx.repos.projects.get(project.id))!;
    expect(
      await withTx(t.ctx.db, (trx) => acceptanceFor(t.ctx.db).accept(trx, row, reversed, 'review', t.clock.now())),
    ).toBe(false);
    expect(await entriesOf(reversed)).toHaveLength(2);
    const page = await earningsPage(w.headers);
    const byId = new Map(page.history.map((h: { annotationId: number }) => [h.annotationId, h]));
    expect(byId.get(reversed)).toMatchObject({ status: 'rejected', reason: 'careless', amountFen: 0 });
    expect(byId.get(kept)).toMatchObject({ status: 'accepted', amountFen: 30 });
    expect(page.balanceFen).toBe(30);

    // The ledger is append-only: the database refuses edits and deletions.
    await expect(
      t.ctx.db.updateTable('ledger_entries').set({ amount_fen: 0 }).where('id', '=', entries[0].id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(t.ctx.db.deleteFrom('ledger_entries').where('id', '=', entries[1].id).execute()).rejects.toThrow(
      /append-only/,
    );
  });

  it('reverses the pay of answers a suspension discards, and pays passing gold', async () => {
    const project = await t.newProject(manager.headers, {
      overlap: 1,
      pieceRateFen: 20,
      goldRate: 0.2,
      minGold: 2,
      suspendBelow: 0.6,
      warnBelow: 0.6,
    });
    const items = await t.addImages(manager.headers, project.id, 6);
    const golds = new Set(items.slice(0, 2).map((i) => i.id));
    for (const id of golds) {
      expect((await inject('PUT', `/api/items/${id}/gold`, manager.headers, { data: face5Answer() })).statusCode).toBe(
        200,
      );
    }
    const w = await t.newUser('w1', 'worker');
    // Regular and gold in turn (gold is random otherwise: services/gold-placement.ts).
    let turn = 0;
    t.ctx.services.quality.goldDraw = () => (turn++ % 2 === 0 ? 0.99 : 0);
    const done: { id: number; gold: boolean; good: boolean }[] = [];
    let goldSeen = 0;
    while (goldSeen < 2) {
      const res = await inject('POST', `/api/projects/${project.id}/lease`, w.headers);
      const lease = res.json().lease;
      expect(lease).not.toBeNull();
      const gold = golds.has(await t.leasedItemId(lease));
      if (gold) goldSeen++;
      // The first check is answered well, the second far off: her accuracy falls to 0.5.
      const good = !gold || goldSeen === 1;
      const data = good ? face5Answer() : face5Answer(64, 48, 15);
      const s = await inject('POST', `/api/assignments/${lease.assignmentId}/submit`, w.headers, {
        clientSubmissionId: randomUUID(),
        data,
      });
      expect(s.statusCode).toBe(200);
      done.push({ id: await t.annotationRowId(s.json().annotationId), gold, good });
    }
    // A gold answer is decided when a regular one would be (services/gold-decisions.ts): let that time pass.
    t.clock.advance(3_600_000);
    await t.ctx.services.work.sweep();
    const regular = done.filter((d) => !d.gold);
    expect(regular.length).toBeGreaterThan(0);
    for (const d of regular) {
      expect((await entriesOf(d.id)).map((e) => [e.kind, e.amount_fen])).toEqual([
        ['earning', 20],
        ['reversal', -20],
      ]);
    }
    const passed = done.find((d) => d.gold && d.good)!;
    const failed = done.find((d) => d.gold && !d.good)!;
    expect((await entriesOf(passed.id)).map((e) => [e.kind, e.reason])).toEqual([['earning', 'gold']]);
    expect(await entriesOf(failed.id)).toEqual([]);
    expect(await sumOf(w.id)).toBe(20);
    const page = await earningsPage(w.headers);
    const byId = new Map(page.history.map((h: { annotationId: number }) => [h.annotationId, h]));
    expect(byId.get(failed.id)).toMatchObject({ status: 'rejected', reason: 'low_accuracy', amountFen: 0 });
    for (const d of regular) expect(byId.get(d.id)).toMatchObject({ status: 'rejected', reason: 'worker_suspended' });
  });

  it('closes a period: no entry enters it again, late decisions go to the next open one', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, pieceRateFen: 10 });
    await t.addImages(manager.headers, project.id, 3);
    const w = await t.newUser('w1', 'worker');
    const early = (await submitOne(w, project.id))!.annotationId;
    expect((await entriesOf(early))[0].period).toBe('2026-11');
    const before = (await inject('GET', '/api/pay/payroll?period=2026-11', manager.headers)).json();

    const bad = await inject('POST', '/api/pay/periods/2026-13/close', manager.headers);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.id).toBe('invalid_request');
    const future = await inject('POST', '/api/pay/periods/2027-01/close', manager.headers);
    expect(future.statusCode).toBe(400);
    expect(future.json().error.id).toBe('period_in_future');
    expect((await inject('POST', '/api/pay/periods/2026-11/close', w.headers)).statusCode).toBe(403);
    const closed = await inject('POST', '/api/pay/periods/2026-11/close', manager.headers);
    expect(closed.statusCode).toBe(200);
    const again = await inject('POST', '/api/pay/periods/2026-11/close', manager.headers);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.id).toBe('period_closed');

    // Still November by the clock, but November is closed.
    const late = (await submitOne(w, project.id))!.annotationId;
    expect((await entriesOf(late))[0].period).toBe('2026-12');
    const rej = await inject('POST', `/api/annotations/${early}/review`, reviewer.headers, {
      verdict: 'reject',
      reasonCode: 'careless',
    });
    expect(rej.statusCode).toBe(200);
    expect((await entriesOf(early)).map((e) => [e.kind, e.period])).toEqual([
      ['earning', '2026-11'],
      ['reversal', '2026-12'],
    ]);
    // Nothing reaches a closed period, not even written straight into the table.
    await expect(
      t.ctx.db
        .insertInto('ledger_entries')
        .values({
          org_id: t.vendor.id,
          worker_id: w.id,
          kind: 'adjustment',
          amount_fen: 5,
          period: '2026-11',
          created_at: t.clock.now(),
        })
        .execute(),
    ).rejects.toThrow(/closed/);
    const payout = await inject('POST', '/api/pay/payouts', manager.headers, {
      workerId: w.id,
      amountFen: 1,
      period: '2026-11',
    });
    expect(payout.statusCode).toBe(409);
    expect(payout.json().error.id).toBe('period_closed');
    const after = (await inject('GET', '/api/pay/payroll?period=2026-11', manager.headers)).json();
    expect(after.status).toBe('closed');
    expect(after.rows).toEqual(before.rows);
    const periods = (await inject('GET', '/api/pay/periods', manager.headers)).json();
    expect(periods.periods.map((p: { period: string; status: string }) => [p.period, p.status])).toEqual([
      ['2026-12', 'open'],
      ['2026-11', 'closed'],
    ]);
  });

  it('closes a period while answers are being accepted without losing or misplacing one', async () => {
    const project = await reviewedProject();
    await t.addImages(manager.headers, project.id, 4);
    const { answers } = await pendingAnswers(project.id, 4);
    const row = (await t.ctx.repos.projects.get(project.id))!;
    const hook = acceptanceFor(t.ctx.db);
    const [close, ...accepts] = await Promise.all([
      inject('POST', '/api/pay/periods/2026-11/close', manager.headers),
      ...answers.map((a) => withTx(t.ctx.db, (trx) => hook.accept(trx, row, a.annotationId, 'review', t.clock.now()))),
    ]);
    expect(close.statusCode).toBe(200);
    expect(accepts).toEqual(answers.map(() => true));
    const earnings = await t.ctx.db
      .selectFrom('ledger_entries')
      .select(['period'])
      .where('kind', '=', 'earning')
      .execute();
    expect(earnings.length).toBe(answers.length);
    for (const e of earnings) expect(['2026-11', '2026-12']).toContain(e.period);
    const nov = earnings.filter((e) => e.period === '2026-11').length;
    const payroll = (await inject('GET', '/api/pay/payroll?period=2026-11', manager.headers)).json();
    expect(payroll.totals.grossFen).toBe(40 * nov);
  });

  it('settles bonus tiers and the hourly floor at close, and flags pay under the minimum wage', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, pieceRateFen: 10 });
    const set = await inject('PUT', `/api/projects/${project.id}/pay`, manager.headers, {
      bonusTiers: [
        { minAccuracy: 0.95, bonusPct: 20 },
        { minAccuracy: 0.5, bonusPct: 10 },
      ],
      hourlyFloorFen: 3600,
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().bonusTiers).toEqual([
      { minAccuracy: 0.5, bonusPct: 10 },
      { minAccuracy: 0.95, bonusPct: 20 },
    ]);
    const dup = await inject('PUT', `/api/projects/${project.id}/pay`, manager.headers, {
      bonusTiers: [
        { minAccuracy: 0.5, bonusPct: 10 },
        { minAccuracy: 0.5, bonusPct: 20 },
      ],
    });
    expect(dup.statusCode).toBe(400);
    const items = await t.addImages(manager.headers, project.id, 6);
    // One gold check, scored at 0.5..0.95 by a small offset: the 10 % tier.
    await inject('PUT', `/api/items/${items[0].id}/gold`, manager.headers, { data: face5Answer() });
    await inject('PATCH', `/api/projects/${project.id}`, manager.headers, { goldRate: 0.1 });
    const w = await t.newUser('w1', 'worker');
    // The check comes first (gold is random otherwise: services/gold-placement.ts).
    t.ctx.services.quality.goldDraw = () => 0;
    let n = 0;
    for (;;) {
      const s = await submitOne(w, project.id, face5Answer(64, 48, 1), 60_000);
      if (!s) break;
      n++;
    }
    expect(n).toBe(6);
    // A gold answer is decided when a regular one would be (services/gold-decisions.ts): let that time pass.
    t.clock.advance(3_600_000);
    await t.ctx.services.work.sweep();
    const gold = await t.ctx.db.selectFrom('gold_scores').select('score').executeTakeFirstOrThrow();
    expect(gold.score).toBeGreaterThan(0.5);
    expect(gold.score).toBeLessThan(0.95);
    expect(await sumOf(w.id)).toBe(60);

    const closed = await inject('POST', '/api/pay/periods/2026-11/close', manager.headers);
    expect(closed.json()).toMatchObject({ bonusFen: 6, floorTopUpFen: 294 });
    // 6 answers × 1 min at ¥36/h is 360 fen; piece 60 + bonus 6 leaves 294 to the floor.
    const kinds = await t.ctx.db
      .selectFrom('ledger_entries')
      .select(['kind', 'amount_fen', 'period'])
      .where('kind', 'in', ['bonus', 'floor_topup'])
      .orderBy('kind')
      .execute();
    expect(kinds).toEqual([
      { kind: 'bonus', amount_fen: 6, period: '2026-11' },
      { kind: 'floor_topup', amount_fen: 294, period: '2026-11' },
    ]);
    const payroll = (await inject('GET', '/api/pay/payroll?period=2026-11', manager.headers)).json();
    const row = payroll.rows.find((r: { workerId: number }) => r.workerId === w.id);
    expect(row).toMatchObject({
      itemsAccepted: 6,
      grossFen: 60,
      bonusFen: 6,
      floorTopUpFen: 294,
      netFen: 360,
      balanceFen: 360,
      activeMs: 360_000,
      activeHours: 0.1,
      effectiveHourlyFen: 3600,
      belowMinimum: false,
    });
    // The default local minimum (¥20/h) is met; a base where it is ¥40/h sees her flagged.
    expect((await inject('PUT', '/api/pay/settings', manager.headers, { minHourlyWageFen: 4000 })).statusCode).toBe(
      200,
    );
    const fair = (await inject('GET', '/api/pay/fair-pay?period=2026-11', manager.headers)).json();
    expect(fair.minHourlyWageFen).toBe(4000);
    expect(fair.below.map((r: { workerId: number }) => r.workerId)).toEqual([w.id]);
    expect((await inject('PUT', '/api/pay/settings', manager.headers, { minHourlyWageFen: -1 })).statusCode).toBe(400);
  });

  it('records payouts once, never past the balance, and exports the same figures as xlsx and CSV', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, pieceRateFen: 123 });
    await t.addImages(manager.headers, project.id, 5);
    const w1 = await t.newUser('w1', 'worker');
    const w2 = await t.newUser('w2', 'worker');
    await t.ctx.db.updateTable('users').set({ display_name: '=HYPERLINK("x")' }).where('id', '=', w2.id).execute();
    for (const w of [w1, w1, w1, w2, w2]) await submitOne(w, project.id, face5Answer(), 90_000);
    const ids = (await t.ctx.db.selectFrom('annotations').select('id').where('worker_id', '=', w2.id).execute()).map(
      (r) => r.id,
    );
    await inject('POST', `/api/annotations/${ids[0]}/review`, reviewer.headers, {
      verdict: 'reject',
      reasonCode: 'other',
    });

    const tooMuch = await inject('POST', '/api/pay/payouts', manager.headers, { workerId: w1.id, amountFen: 370 });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().error.id).toBe('payout_exceeds_balance');
    const key = randomUUID();
    const body = { workerId: w1.id, amountFen: 300, key, note: '11月工资' };
    const paid = await Promise.all([0, 1, 2].map(() => inject('POST', '/api/pay/payouts', manager.headers, body)));
    expect(paid.map((p) => p.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(paid.map((p) => p.json().id)).size).toBe(1);
    expect((await inject('POST', '/api/pay/payouts', w1.headers, body)).statusCode).toBe(403);
    expect(await sumOf(w1.id)).toBe(369 - 300);

    const json = (await inject('GET', '/api/pay/payroll?period=2026-11', manager.headers)).json();
    const r1 = json.rows.find((r: { workerId: number }) => r.workerId === w1.id);
    const r2 = json.rows.find((r: { workerId: number }) => r.workerId === w2.id);
    expect(r1).toMatchObject({ itemsAccepted: 3, grossFen: 369, reversalsFen: 0, payoutsFen: 300, balanceFen: 69 });
    expect(r2).toMatchObject({ itemsAccepted: 1, grossFen: 246, reversalsFen: -123, netFen: 123, balanceFen: 123 });
    expect(r1.activeHours).toBe(0.08);
    for (const r of json.rows) expect(r.balanceFen).toBe(await sumOf(r.workerId));

    const xlsx = await inject('GET', '/api/pay/payroll.xlsx?period=2026-11', manager.headers);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain('shugu-payroll-2026-11.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    const sheet = book.getWorksheet(PAYROLL_SHEET)!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(PAYROLL_COLUMNS.map((c) => c.header));
    const col = (name: string) => header.findIndex((h) => String(h).includes(name)) + 1;
    const cell = (row: number, name: string) => sheet.getRow(row).getCell(col(name)).value;
    const byUser = new Map<string, number>();
    for (let i = 2; i <= json.rows.length + 1; i++) byUser.set(String(cell(i, 'Username')), i);
    for (const r of json.rows) {
      const i = byUser.get(r.username)!;
      expect(cell(i, 'Items accepted')).toBe(r.itemsAccepted);
      expect(cell(i, 'Gross (fen)')).toBe(r.grossFen);
      expect(cell(i, 'Gross (yuan)')).toBeCloseTo(r.grossFen / 100, 10);
      expect(cell(i, 'Reversals (fen)')).toBe(r.reversalsFen);
      expect(cell(i, 'Paid out (fen)')).toBe(r.payoutsFen);
      expect(cell(i, 'Balance (fen)')).toBe(r.balanceFen);
      expect(cell(i, 'Balance (fen)')).toBe(await sumOf(r.workerId));
      expect(cell(i, 'Active hours')).toBe(r.activeHours);
    }
    expect(cell(byUser.get('w2')!, 'Name')).toBe('=HYPERLINK("x")');
    const totalRow = json.rows.length + 2;
    expect(cell(totalRow, 'Name')).toBe('合计 Total');
    expect(cell(totalRow, 'Gross (fen)')).toBe(369 + 246);
    expect(cell(totalRow, 'Balance (fen)')).toBe(69 + 123);

    const csv = await inject('GET', '/api/pay/payroll.csv?period=2026-11', manager.headers);
    expect(csv.headers['content-type']).toContain('text/csv');
    const records = parseCsv(csv.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.length).toBe(json.rows.length);
    const h = (name: string) => PAYROLL_COLUMNS.find((c) => c.header.includes(name))!.header;
    const c2 = records.find((r) => r[h('Username')] === 'w2')!;
    expect(c2[h('Name')]).toBe(`'=HYPERLINK("x")`); // a name never runs as a formula
    expect(Number(c2[h('Gross (fen)')])).toBe(246);
    expect(c2[h('Gross (yuan)')]).toBe('2.46');
    expect(Number(c2[h('Reversals (fen)')])).toBe(-123);
    expect(Number(c2[h('Balance (fen)')])).toBe(123);
    const c1 = records.find((r) => r[h('Username')] === 'w1')!;
    expect(Number(c1[h('Paid out (fen)')])).toBe(300);
    expect(c1[h('Balance (yuan)')]).toBe('0.69');
  });

  it('shows each worker only her own pay, and managers only their own organisation', async () => {
    const project = await t.newProject(manager.headers, { overlap: 1, pieceRateFen: 5 });
    await t.addImages(manager.headers, project.id, 1);
    const w = await t.newUser('w1', 'worker');
    await submitOne(w, project.id);
    for (const url of [
      '/api/pay/payroll',
      '/api/pay/periods',
      `/api/pay/workers/${w.id}/ledger`,
      '/api/pay/fair-pay',
    ]) {
      const res = await inject('GET', url, w.headers);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.id).toBe('role_not_allowed');
    }
    expect((await inject('GET', '/api/me/earnings', manager.headers)).statusCode).toBe(403);
    const other = await t.ctx.repos.orgs.create('Other base', 'vendor', t.clock.now());
    const m2 = await t.newUser('m2', 'manager', other.id);
    const foreign = await inject('GET', `/api/pay/workers/${w.id}/ledger`, m2.headers);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.id).toBe('worker_not_found');
    expect((await inject('POST', '/api/pay/payouts', m2.headers, { workerId: w.id, amountFen: 1 })).statusCode).toBe(
      404,
    );
    expect((await inject('GET', '/api/pay/payroll', m2.headers)).json().rows).toEqual([]);
    expect((await inject('GET', `/api/projects/${project.id}/pay`, m2.headers)).statusCode).toBe(404);
  });
});
