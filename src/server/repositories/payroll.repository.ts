import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { Database } from '../db/types.js';

/**
 * Active time of one answer as pay counts it: what the editor measured, but never
 * more than the item's lease, so a client that claims a day on one face cannot buy
 * itself an hourly floor.
 */
function cappedActiveMs(
  eb: ExpressionBuilder<Database & { a: Database['annotations']; p: Database['projects'] }, any>,
) {
  return sql<number>`case when ${eb.ref('a.active_ms')} > ${eb.ref('p.lease_seconds')} * 1000
    then ${eb.ref('p.lease_seconds')} * 1000 else ${eb.ref('a.active_ms')} end`;
}

const sumIf = (kind: string) => sql<number>`sum(case when kind = ${kind} then amount_fen else 0 end)`;

/** Read-only sums over the ledger and the work behind it: payroll, fair pay, a worker's page. */
export class PayrollRepository {
  constructor(private readonly db: Db) {}

  /** The organisation's local minimum hourly wage in fen. */
  async minWage(orgId: number): Promise<number> {
    const row = await this.db
      .selectFrom('orgs')
      .select('min_hourly_wage_fen')
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow();
    return Number(row.min_hourly_wage_fen);
  }

  setMinWage(orgId: number, fen: number) {
    return this.db.updateTable('orgs').set({ min_hourly_wage_fen: fen }).where('id', '=', orgId).execute();
  }

  /**
   * An organisation's workers, and anyone else who has ledger entries there, with the
   * Chinese label of their household status (the payroll goes to the same offices as
   * the employment report).
   */
  people(orgId: number) {
    return this.db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'role', 'disabled', 'household'])
      .select((eb) =>
        eb
          .selectFrom('household_statuses')
          .select('household_statuses.label_zh')
          .whereRef('household_statuses.code', '=', 'users.household')
          .as('household_label'),
      )
      .where('org_id', '=', orgId)
      .where((eb) =>
        eb.or([
          eb('role', '=', 'worker'),
          eb.exists(eb.selectFrom('ledger_entries').select('id').whereRef('ledger_entries.worker_id', '=', 'users.id')),
        ]),
      )
      .orderBy('id')
      .execute();
  }

  /** Per worker: the period's entries summed by kind. */
  async periodSums(orgId: number, period: string) {
    const rows = await this.db
      .selectFrom('ledger_entries')
      .select([
        'worker_id',
        // Items accepted net of acceptances withdrawn (only earnings are ever reversed).
        sql<number>`sum(case when kind = 'earning' then 1 when kind = 'reversal' then -1 else 0 end)`.as('items'),
        sumIf('earning').as('gross'),
        sumIf('bonus').as('bonus'),
        sumIf('floor_topup').as('floor'),
        sumIf('reversal').as('reversals'),
        sumIf('adjustment').as('adjustments'),
        sumIf('payout').as('payouts'),
      ])
      .where('org_id', '=', orgId)
      .where('period', '=', period)
      .groupBy('worker_id')
      .execute();
    return new Map(
      rows.map((r) => [
        r.worker_id,
        {
          items: Number(r.items),
          gross: Number(r.gross),
          bonus: Number(r.bonus),
          floor: Number(r.floor),
          reversals: Number(r.reversals),
          adjustments: Number(r.adjustments),
          payouts: Number(r.payouts),
        },
      ]),
    );
  }

  /** Per worker: the sum of every entry up to and including a period. */
  async balancesThrough(orgId: number, period: string) {
    const rows = await this.db
      .selectFrom('ledger_entries')
      .select((eb) => ['worker_id', eb.fn.sum<number>('amount_fen').as('s')])
      .where('org_id', '=', orgId)
      .where('period', '<=', period)
      .groupBy('worker_id')
      .execute();
    return new Map(rows.map((r) => [r.worker_id, Number(r.s)]));
  }

  /** Per worker: active time on every answer submitted in [from, to) to the organisation's projects. */
  async activeMs(orgId: number, from: number, to: number) {
    const rows = await this.db
      .selectFrom('annotations as a')
      .innerJoin('projects as p', 'p.id', 'a.project_id')
      .select((eb) => ['a.worker_id', eb.fn.sum<number>(cappedActiveMs(eb)).as('ms')])
      .where('p.org_id', '=', orgId)
      .where('a.created_at', '>=', from)
      .where('a.created_at', '<', to)
      .groupBy('a.worker_id')
      .execute();
    return new Map(rows.map((r) => [r.worker_id, Number(r.ms ?? 0)]));
  }

  /**
   * What closing a period settles, per worker and project: net piece pay booked in
   * the period, active time on the answers that pay is for (earnings not reversed),
   * and mean gold accuracy in the period's dates. Read inside the closing transaction.
   */
  async settlementBasis(trx: Executor, orgId: number, period: string, from: number, to: number) {
    const piece = await trx
      .selectFrom('ledger_entries')
      .select((eb) => ['worker_id', 'project_id', eb.fn.sum<number>('amount_fen').as('fen')])
      .where('org_id', '=', orgId)
      .where('period', '=', period)
      .where('kind', 'in', ['earning', 'reversal'])
      .where('project_id', 'is not', null)
      .groupBy(['worker_id', 'project_id'])
      .execute();
    const time = await trx
      .selectFrom('ledger_entries as e')
      .innerJoin('annotations as a', 'a.id', 'e.annotation_id')
      .innerJoin('projects as p', 'p.id', 'e.project_id')
      .select((eb) => ['e.worker_id', 'e.project_id', eb.fn.sum<number>(cappedActiveMs(eb)).as('ms')])
      .where('e.org_id', '=', orgId)
      .where('e.period', '=', period)
      .where('e.kind', '=', 'earning')
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('ledger_entries as r').select('r.id').whereRef('r.reverses_id', '=', 'e.id'))),
      )
      .groupBy(['e.worker_id', 'e.project_id'])
      .execute();
    const accuracy = await trx
      .selectFrom('gold_scores as g')
      .innerJoin('projects as p', 'p.id', 'g.project_id')
      .select((eb) => ['g.worker_id', 'g.project_id', eb.fn.avg<number>('g.score').as('acc')])
      .where('p.org_id', '=', orgId)
      .where('g.created_at', '>=', from)
      .where('g.created_at', '<', to)
      .groupBy(['g.worker_id', 'g.project_id'])
      .execute();
    const key = (w: number, p: number | null) => `${w}:${p}`;
    const ms = new Map(time.map((r) => [key(r.worker_id, r.project_id), Number(r.ms ?? 0)]));
    const acc = new Map(accuracy.map((r) => [key(r.worker_id, r.project_id), Number(r.acc)]));
    return piece.map((r) => ({
      workerId: r.worker_id,
      projectId: r.project_id!,
      pieceFen: Number(r.fen),
      activeMs: ms.get(key(r.worker_id, r.project_id)) ?? 0,
      accuracy: acc.get(key(r.worker_id, r.project_id)) ?? null,
    }));
  }

  /** Pay settings of projects, read in the caller's transaction. */
  payProjects(trx: Executor, projectIds: number[]) {
    if (projectIds.length === 0) return Promise.resolve([]);
    return trx
      .selectFrom('projects')
      .select(['id', 'bonus_tiers', 'hourly_floor_fen'])
      .where('id', 'in', projectIds)
      .execute();
  }

  /** A worker's latest answers with what the ledger holds for each and why any was turned down. */
  history(workerId: number, limit: number) {
    return this.db
      .selectFrom('annotations as a')
      .innerJoin('projects as p', 'p.id', 'a.project_id')
      .select((eb) => [
        'a.id',
        'a.project_id',
        'p.name as project_name',
        'p.accept_oks',
        'a.created_at',
        'a.status',
        'a.accepted_at',
        'a.accuracy',
        eb
          .selectFrom('ledger_entries as l')
          .select((e) => e.fn.coalesce(e.fn.sum<number>('l.amount_fen'), sql.lit(0)).as('s'))
          .whereRef('l.annotation_id', '=', 'a.id')
          .as('amount_fen'),
        eb
          .selectFrom('reviews as r')
          .select('r.reason_code')
          .whereRef('r.annotation_id', '=', 'a.id')
          .where('r.verdict', '=', 'reject')
          .orderBy('r.id', 'desc')
          .limit(1)
          .as('reject_reason'),
      ])
      .where('a.worker_id', '=', workerId)
      .orderBy('a.id', 'desc')
      .limit(limit)
      .execute();
  }

  /** A worker's latest per-point gold errors with each project's template, for "what to practise". */
  recentPointErrors(workerId: number, limit = 40) {
    return this.db
      .selectFrom('gold_scores as g')
      .innerJoin('projects as p', 'p.id', 'g.project_id')
      .select(['g.project_id', 'g.annotation_id', 'p.template', 'p.feedback_batch', 'g.per_point', 'g.feedback'])
      .where('g.worker_id', '=', workerId)
      .orderBy('g.id', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * The worker's active certifications, when the training tables exist (they belong to
   * the training migration); an empty list otherwise.
   */
  async certifications(userId: number) {
    try {
      const { rows } = await sql<{ template_id: string; level: number; certified_at: number }>`
        select template_id, level, certified_at from certifications
        where user_id = ${userId} and status = 'active' order by certified_at desc`.execute(this.db);
      return rows.map((r) => ({
        templateId: r.template_id,
        level: Number(r.level),
        certifiedAt: Number(r.certified_at),
      }));
    } catch (err) {
      if (/no such table|does not exist/.test((err as Error).message)) return null;
      throw err;
    }
  }
}
