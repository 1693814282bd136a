/**
 * What the employment report reads: an organisation's workers and, per worker and UTC
 * day, their answers, active time and acceptances, and their net pay per period. Rows
 * are grouped in SQL; days are whole days since 1970-01-01 (integer division of UTC
 * ms, the same on SQLite and PostgreSQL for the non-negative times stored).
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type {
  HouseholdStatus,
  ReportWorker,
  WorkerAcceptedDay,
  WorkerDay,
  WorkerIncome,
} from '../../core/report/employment-types.js';

const dayOf = (column: string) => sql<number>`${sql.ref(column)} / 86400000`;

export class ReportRepository {
  constructor(private readonly db: Db) {}

  /** Every worker (role `worker`) of the organisation, with her first answer ever. */
  async workers(orgId: number): Promise<ReportWorker[]> {
    const rows = await this.db
      .selectFrom('users')
      .select((eb) => [
        'users.id',
        'users.display_name',
        'users.consent_named',
        'users.household',
        'users.county',
        'users.township',
        'users.village',
        'users.start_date',
        'users.end_date',
        // Her first stored answer, found through the (worker_id, id) index rather than by
        // scanning all her answers for the smallest time: answers are stored as they come.
        eb
          .selectFrom('annotations')
          .select('annotations.created_at')
          .whereRef('annotations.worker_id', '=', 'users.id')
          .orderBy('annotations.id')
          .limit(1)
          .as('first_activity_at'),
      ])
      .where('users.org_id', '=', orgId)
      .where('users.role', '=', 'worker')
      .orderBy('users.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.display_name,
      consentNamed: Number(r.consent_named) === 1,
      household: r.household,
      county: r.county,
      township: r.township,
      village: r.village,
      startDate: r.start_date,
      endDate: r.end_date,
      firstActivityAt: r.first_activity_at === null ? null : Number(r.first_activity_at),
    }));
  }

  /** Answers and active time per worker and day, for answers submitted in [fromMs, toMs). */
  async days(orgId: number, fromMs: number, toMs: number): Promise<WorkerDay[]> {
    const day = dayOf('annotations.created_at');
    const rows = await this.db
      .selectFrom('annotations')
      .innerJoin('users', 'users.id', 'annotations.worker_id')
      .select((eb) => [
        'annotations.worker_id',
        day.as('day'),
        eb.fn.countAll().as('items'),
        eb.fn.sum('annotations.active_ms').as('active_ms'),
      ])
      .where('users.org_id', '=', orgId)
      .where('users.role', '=', 'worker')
      .where('annotations.created_at', '>=', fromMs)
      .where('annotations.created_at', '<', toMs)
      .groupBy(['annotations.worker_id', day])
      .execute();
    return rows.map((r) => ({
      workerId: r.worker_id,
      day: Number(r.day),
      items: Number(r.items),
      activeMs: Number(r.active_ms ?? 0),
    }));
  }

  /**
   * Acceptances per worker and day, for answers accepted in [fromMs, toMs). An answer
   * rejected after all (its acceptance reversed) no longer counts.
   */
  async accepted(orgId: number, fromMs: number, toMs: number): Promise<WorkerAcceptedDay[]> {
    const day = dayOf('annotations.accepted_at');
    const rows = await this.db
      .selectFrom('annotations')
      .innerJoin('users', 'users.id', 'annotations.worker_id')
      .select((eb) => ['annotations.worker_id', day.as('day'), eb.fn.countAll().as('accepted')])
      .where('users.org_id', '=', orgId)
      .where('users.role', '=', 'worker')
      .where('annotations.accepted_at', '>=', fromMs)
      .where('annotations.accepted_at', '<', toMs)
      .where('annotations.status', '<>', 'rejected')
      .groupBy(['annotations.worker_id', day])
      .execute();
    return rows.map((r) => ({ workerId: r.worker_id, day: Number(r.day), accepted: Number(r.accepted) }));
  }

  /**
   * Net pay per worker and pay period from `fromPeriod` to `toPeriod`: every entry but
   * payouts, and but the reversal of a payout (money paid out is not income twice).
   */
  async income(orgId: number, fromPeriod: string, toPeriod: string): Promise<WorkerIncome[]> {
    const rows = await this.db
      .selectFrom('ledger_entries as e')
      .innerJoin('users', 'users.id', 'e.worker_id')
      .leftJoin('ledger_entries as reversed', 'reversed.id', 'e.reverses_id')
      .select((eb) => ['e.worker_id', 'e.period', eb.fn.sum('e.amount_fen').as('amount')])
      .where('e.org_id', '=', orgId)
      .where('users.role', '=', 'worker')
      .where('e.kind', '<>', 'payout')
      .where((eb) => eb.or([eb('reversed.kind', 'is', null), eb('reversed.kind', '<>', 'payout')]))
      .where('e.period', '>=', fromPeriod)
      .where('e.period', '<=', toPeriod)
      .groupBy(['e.worker_id', 'e.period'])
      .execute();
    return rows.map((r) => ({ workerId: r.worker_id, period: r.period, amountFen: Number(r.amount ?? 0) }));
  }

  /** The whole household status list, retired codes included (people may still hold them). */
  async householdStatuses(): Promise<HouseholdStatus[]> {
    const rows = await this.db.selectFrom('household_statuses').selectAll().orderBy('sort').orderBy('code').execute();
    return rows.map((r) => ({
      code: r.code,
      labelZh: r.label_zh,
      labelEn: r.label_en,
      sort: Number(r.sort),
      active: Number(r.active) === 1,
    }));
  }
}
