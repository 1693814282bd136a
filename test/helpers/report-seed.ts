/**
 * A month of work (November 2026) written straight into the tables, for the
 * employment report's tests. The figures expected from it are counted by hand in
 * `NOVEMBER` below, not computed.
 *
 * | worker | household       | county / township | named | start      | end        | November                                        |
 * |--------|-----------------|-------------------|-------|------------|------------|-------------------------------------------------|
 * | zhang  | registered_poor | 修水县 / A镇       | yes   | 2026-09-01 |            | 11-02 2×30 min, 11-03 1×30 min; 2 accepted; 3.00 + 0.50 yuan |
 * | li     | registered_poor | 修水县 / A镇       | yes   | 2026-11-05 |            | 11-05 2×15 min; 1 accepted; 1.50 yuan           |
 * | hidden | registered_poor | 修水县 / A镇       | NO    | (first answer 11-10) |  | 11-10 4×15 min; 3 accepted + 1 rejected (reversed); 4.50 yuan net, paid out |
 * | wang   | lifted          | 修水县 / B乡       | yes   | 2026-05-10 | 2026-11-20 | 11-15 1×60 min; 1 accepted; 1.50 − 0.20 yuan     |
 * | zhao   | none            | 修水县 / A镇       | yes   | 2026-08-01 |            | nothing                                         |
 * | sun    | none            | 修水县 / B乡       | yes   | 2026-10-01 |            | 11-20 1×45 min; 1.00 yuan hourly-floor top-up   |
 * | zhou   | none            | 武宁县 / C镇       | yes   | 2026-11-25 |            | 11-30 23:59 1×6 min, accepted 12-01 (December)  |
 * | gone   | none            | 修水县 / A镇       | yes   | 2026-01-01 | 2026-10-15 | (worked and was paid in October only)           |
 *
 * Not counted: a reviewer of the same base who also submitted answers, and a worker of
 * another base.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from '../../src/server/context.js';
import type { LedgerKind } from '../../src/server/db/types.js';

export const HIDDEN = { username: 'hidden_worker_x9', name: '隐名者Secretname' };

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

interface Seeded {
  ids: Record<string, number>;
  projectId: number;
}

export async function seedNovember(ctx: Context, orgId: number, projectId: number): Promise<Seeded> {
  const db = ctx.db;
  const now = at('2026-12-01T12:00:00Z');
  const ids: Record<string, number> = {};

  const person = async (
    key: string,
    p: {
      role?: 'worker' | 'reviewer';
      org?: number;
      household: string;
      county: string;
      township: string;
      consent: boolean;
      start: string | null;
      end?: string | null;
      name?: string;
      username?: string;
    },
  ) => {
    const row = await db
      .insertInto('users')
      .values({
        org_id: p.org ?? orgId,
        username: p.username ?? `w_${key}`,
        display_name: p.name ?? `Worker ${key}`,
        password_hash: 'x',
        role: p.role ?? 'worker',
        locale: 'zh-CN',
        disabled: 0,
        county: p.county,
        township: p.township,
        village: `${key}村`,
        household: p.household,
        created_at: now,
        start_date: p.start,
        end_date: p.end ?? null,
        consent_named: p.consent ? 1 : 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[key] = row.id;
  };
  await person('zhang', {
    household: 'registered_poor',
    county: '修水县',
    township: 'A镇',
    consent: true,
    start: '2026-09-01',
  });
  await person('li', {
    household: 'registered_poor',
    county: '修水县',
    township: 'A镇',
    consent: true,
    start: '2026-11-05',
  });
  await person('hidden', {
    household: 'registered_poor',
    county: '修水县',
    township: 'A镇',
    consent: false,
    start: null,
    name: HIDDEN.name,
    username: HIDDEN.username,
  });
  await person('wang', {
    household: 'lifted',
    county: '修水县',
    township: 'B乡',
    consent: true,
    start: '2026-05-10',
    end: '2026-11-20',
  });
  await person('zhao', { household: 'none', county: '修水县', township: 'A镇', consent: true, start: '2026-08-01' });
  await person('sun', { household: 'none', county: '修水县', township: 'B乡', consent: true, start: '2026-10-01' });
  await person('zhou', { household: 'none', county: '武宁县', township: 'C镇', consent: true, start: '2026-11-25' });
  await person('gone', {
    household: 'none',
    county: '修水县',
    township: 'A镇',
    consent: true,
    start: '2026-01-01',
    end: '2026-10-15',
  });
  await person('reviewer', {
    role: 'reviewer',
    household: 'none',
    county: '修水县',
    township: 'A镇',
    consent: true,
    start: '2026-01-01',
  });
  const other = await ctx.repos.orgs.create('Another base', 'vendor', now);
  await person('outsider', {
    org: other.id,
    household: 'registered_poor',
    county: '修水县',
    township: 'A镇',
    consent: true,
    start: '2026-11-01',
  });

  let n = 0;
  const answer = async (
    key: string,
    createdAt: string,
    activeMin: number,
    accepted?: { at: string; rejected?: boolean },
  ): Promise<number> => {
    n++;
    const created = at(createdAt);
    const item = await db
      .insertInto('items')
      .values({
        project_id: projectId,
        blob_sha256: null,
        source_path: null,
        name: `seed-${n}.png`,
        width: 64,
        height: 48,
        meta: null,
        is_gold: 0,
        claimed: 1,
        open: 0,
        submitted: 1,
        created_at: created,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const assignment = await db
      .insertInto('assignments')
      .values({
        project_id: projectId,
        item_id: item.id,
        worker_id: ids[key],
        status: 'submitted',
        leased_at: created - activeMin * MIN,
        expires_at: created + 600_000,
        ended_at: created,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await db
      .insertInto('annotations')
      .values({
        project_id: projectId,
        item_id: item.id,
        assignment_id: assignment.id,
        worker_id: ids[key],
        client_submission_id: randomUUID(),
        data: '{"instances":[]}',
        instance_count: 0,
        active_ms: activeMin * MIN,
        created_at: created,
        status: accepted ? (accepted.rejected ? 'rejected' : 'accepted') : 'submitted',
        accepted_at: accepted ? at(accepted.at) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const pay = async (
    key: string,
    kind: LedgerKind,
    amountFen: number,
    period: string,
    extra: { annotationId?: number; reverses?: number } = {},
  ) => {
    const row = await db
      .insertInto('ledger_entries')
      .values({
        org_id: key === 'outsider' ? other.id : orgId,
        worker_id: ids[key],
        project_id: projectId,
        annotation_id: extra.annotationId ?? null,
        kind,
        amount_fen: amountFen,
        period,
        reverses_id: extra.reverses ?? null,
        reason: null,
        created_at: now,
        created_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const accept = (day: string) => ({ at: `${day}T10:00:00Z` });

  // zhang: 3 answers on two days, 1.5 h, 2 accepted, 3.00 yuan earned + 0.50 bonus.
  const z1 = await answer('zhang', '2026-11-02T08:00:00Z', 30, accept('2026-11-04'));
  const z2 = await answer('zhang', '2026-11-02T09:00:00Z', 30, accept('2026-11-04'));
  await answer('zhang', '2026-11-03T08:00:00Z', 30);
  await pay('zhang', 'earning', 150, '2026-11', { annotationId: z1 });
  await pay('zhang', 'earning', 150, '2026-11', { annotationId: z2 });
  await pay('zhang', 'bonus', 50, '2026-11');
  // li: 2 answers, 0.5 h, 1 accepted.
  const l1 = await answer('li', '2026-11-05T08:00:00Z', 15, accept('2026-11-06'));
  await answer('li', '2026-11-05T09:00:00Z', 15);
  await pay('li', 'earning', 150, '2026-11', { annotationId: l1 });
  // hidden: 4 answers, 1 h; 4 accepted, then one rejected and its pay reversed; paid out.
  const h = [];
  for (let i = 0; i < 3; i++) h.push(await answer('hidden', `2026-11-10T0${i}:00:00Z`, 15, accept('2026-11-11')));
  h.push(await answer('hidden', '2026-11-10T05:00:00Z', 15, { at: '2026-11-11T10:00:00Z', rejected: true }));
  const earnings = [];
  for (const a of h) earnings.push(await pay('hidden', 'earning', 150, '2026-11', { annotationId: a }));
  await pay('hidden', 'reversal', -150, '2026-11', { reverses: earnings[3] });
  const payout = await pay('hidden', 'payout', -450, '2026-11');
  // A payout booked twice by mistake and reversed: neither counts as income.
  const payout2 = await pay('hidden', 'payout', -450, '2026-11');
  await pay('hidden', 'reversal', 450, '2026-11', { reverses: payout2 });
  void payout;
  // wang: leaves 11-20; 1 answer, 1 h, accepted; 1.50 yuan less a 0.20 adjustment.
  const w1 = await answer('wang', '2026-11-15T08:00:00Z', 60, accept('2026-11-16'));
  await pay('wang', 'earning', 150, '2026-11', { annotationId: w1 });
  await pay('wang', 'adjustment', -20, '2026-11');
  // sun: 1 answer, 45 min, not accepted yet; 1.00 yuan hourly-floor top-up.
  await answer('sun', '2026-11-20T08:00:00Z', 45);
  await pay('sun', 'floor_topup', 100, '2026-11');
  // zhou: answer at the very end of November, accepted and paid in December.
  const zh = await answer('zhou', '2026-11-30T23:59:00Z', 6, accept('2026-12-01'));
  await pay('zhou', 'earning', 150, '2026-12', { annotationId: zh });
  // gone: October only.
  const g = await answer('gone', '2026-10-10T08:00:00Z', 30, accept('2026-10-11'));
  await pay('gone', 'earning', 500, '2026-10', { annotationId: g });
  // Not workers of this base.
  await answer('reviewer', '2026-11-12T08:00:00Z', 30, accept('2026-11-13'));
  const o = await answer('outsider', '2026-11-12T08:00:00Z', 30, accept('2026-11-13'));
  await pay('outsider', 'earning', 999, '2026-11', { annotationId: o });
  return { ids, projectId };
}

/** November 2026 by hand (money in fen, hours in hours). */
export const NOVEMBER = {
  summary: {
    workers: 7,
    newWorkers: 3, // li, hidden, zhou
    activeWorkers: 6, // all but zhao
    leavingWorkers: 1, // wang
    activeDays: 7, // zhang 2, li, hidden, wang, sun, zhou 1 each
    hours: 4.85, // 1.5 + 0.5 + 1 + 1 + 0.75 + 0.1
    items: 12, // 3 + 2 + 4 + 1 + 1 + 1
    accepted: 7, // zhang 2, li 1, hidden 3, wang 1
    incomeFen: 1180, // 350 + 150 + 450 + 130 + 100
    incomePerWorkerFen: 197, // 1180 / 6 active
    incomePerHourFen: 243, // 1180 / 4.85
  },
  registeredPoor: {
    workers: 3,
    newWorkers: 2,
    activeWorkers: 3,
    leavingWorkers: 0,
    activeDays: 4,
    hours: 3,
    items: 9,
    accepted: 6,
    incomeFen: 950,
    incomePerWorkerFen: 317,
    incomePerHourFen: 317,
  },
  none: {
    workers: 3, // zhao, sun, zhou
    newWorkers: 1,
    activeWorkers: 2,
    leavingWorkers: 0,
    activeDays: 2,
    hours: 0.85,
    items: 2,
    accepted: 0,
    incomeFen: 100,
    incomePerWorkerFen: 50,
    incomePerHourFen: 118,
  },
  /** 修水县 / A镇: zhang, li, hidden, zhao. */
  xiushuiA: {
    workers: 4,
    newWorkers: 2,
    activeWorkers: 3,
    leavingWorkers: 0,
    activeDays: 4,
    hours: 3,
    items: 9,
    accepted: 6,
    incomeFen: 950,
    incomePerWorkerFen: 317,
    incomePerHourFen: 317,
  },
  /** 修水县 / B乡 (wang, sun) and 武宁县 / C镇 (zhou): each under 3, together 3. */
  smallAreas: {
    workers: 3,
    newWorkers: 1,
    activeWorkers: 3,
    leavingWorkers: 1,
    activeDays: 3,
    hours: 1.85,
    items: 3,
    accepted: 1,
    incomeFen: 230,
    incomePerWorkerFen: 77,
    incomePerHourFen: 124,
  },
  named: ['Worker li', 'Worker sun', 'Worker wang', 'Worker zhang', 'Worker zhao', 'Worker zhou'],
};
