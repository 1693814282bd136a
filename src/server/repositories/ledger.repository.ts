import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import { dialectOf, type Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { LedgerEntryTable } from '../db/types.js';

/**
 * The ledger and its pay periods. Writes take the caller's transaction; every
 * insert leans on a unique key (`on conflict do nothing`) rather than a prior read,
 * so retries, races and a second server process all end in one row.
 */
export class LedgerRepository {
  constructor(private readonly db: Db) {}

  // --- entries --------------------------------------------------------------------

  /** The new entry, or undefined when a unique key says it is already there. */
  insert(trx: Executor, values: Insertable<LedgerEntryTable>) {
    return trx
      .insertInto('ledger_entries')
      .values(values)
      .onConflict((oc) => oc.doNothing())
      .returning(['id', 'amount_fen', 'period'])
      .executeTakeFirst();
  }

  /** An annotation's earning and, when there is one, the entry that reversed it. */
  earningOf(trx: Executor, annotationId: number) {
    return trx
      .selectFrom('ledger_entries as e')
      .leftJoin('ledger_entries as r', 'r.reverses_id', 'e.id')
      .select([
        'e.id',
        'e.org_id',
        'e.worker_id',
        'e.project_id',
        'e.amount_fen',
        'e.annotation_id',
        'r.id as reversed_by',
      ])
      .where('e.annotation_id', '=', annotationId)
      .where('e.kind', '=', 'earning')
      .executeTakeFirst();
  }

  byIdemKey(orgId: number, key: string, executor: Executor = this.db) {
    return executor
      .selectFrom('ledger_entries')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('idem_key', '=', key)
      .executeTakeFirst();
  }

  /** A worker's entries, newest first. */
  entries(workerId: number, period: string | null, limit = 1000) {
    let q = this.db
      .selectFrom('ledger_entries as l')
      .leftJoin('projects as p', 'p.id', 'l.project_id')
      .select([
        'l.id',
        'l.kind',
        'l.amount_fen',
        'l.period',
        'l.project_id',
        'p.name as project_name',
        'l.annotation_id',
        'l.reverses_id',
        'l.reason',
        'l.created_at',
        'l.created_by',
      ])
      .where('l.worker_id', '=', workerId)
      .orderBy('l.id', 'desc')
      .limit(limit);
    if (period !== null) q = q.where('l.period', '=', period);
    return q.execute();
  }

  /** Sum of a worker's entries: the balance owed to her, read under the caller's lock. */
  async balance(workerId: number, executor: Executor = this.db, throughPeriod?: string): Promise<number> {
    let q = executor
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
      .where('worker_id', '=', workerId);
    if (throughPeriod) q = q.where('period', '<=', throughPeriod);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.s ?? 0);
  }

  /** Sum of a worker's entries other than payouts booked in [from, to): what she earned then. */
  async earnedBetween(workerId: number, from: number, to: number): Promise<number> {
    const row = await this.db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
      .where('worker_id', '=', workerId)
      .where('kind', '!=', 'payout')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .executeTakeFirstOrThrow();
    return Number(row.s ?? 0);
  }

  // --- periods --------------------------------------------------------------------

  /**
   * A period's status, creating it open when new. On PostgreSQL the row is held FOR
   * SHARE until the caller commits, so closing the period (FOR UPDATE) waits for
   * entries being booked into it, and later bookings see it closed. SQLite's
   * IMMEDIATE transactions already serialise both.
   */
  async periodStatusForBooking(trx: Executor, orgId: number, period: string, now: number) {
    const read = () =>
      sql<{ status: 'open' | 'closed' }>`select status from pay_periods
        where org_id = ${orgId} and period = ${period} ${this.lock('share')}`.execute(trx);
    let rows = (await read()).rows;
    if (rows.length === 0) {
      await this.ensurePeriod(trx, orgId, period, now);
      rows = (await read()).rows;
    }
    return rows[0].status;
  }

  ensurePeriod(trx: Executor, orgId: number, period: string, now: number) {
    return trx
      .insertInto('pay_periods')
      .values({ org_id: orgId, period, status: 'open', created_at: now })
      .onConflict((oc) => oc.columns(['org_id', 'period']).doNothing())
      .execute();
  }

  /** The period row held FOR UPDATE on PostgreSQL, for closing it. */
  async lockPeriod(trx: Executor, orgId: number, period: string) {
    const { rows } = await sql<{ status: 'open' | 'closed' }>`select status from pay_periods
      where org_id = ${orgId} and period = ${period} ${this.lock('update')}`.execute(trx);
    return rows[0]?.status;
  }

  markClosed(trx: Executor, orgId: number, period: string, by: number, now: number) {
    return trx
      .updateTable('pay_periods')
      .set({ status: 'closed', closed_at: now, closed_by: by })
      .where('org_id', '=', orgId)
      .where('period', '=', period)
      .where('status', '=', 'open')
      .executeTakeFirst();
  }

  /** An organisation's periods with their totals by kind, newest first. */
  periods(orgId: number) {
    return this.db
      .selectFrom('pay_periods as p')
      .leftJoin('ledger_entries as l', (j) => j.onRef('l.org_id', '=', 'p.org_id').onRef('l.period', '=', 'p.period'))
      .select((eb) => [
        'p.period',
        'p.status',
        'p.closed_at',
        'p.closed_by',
        eb.fn.sum<number>(sql`case when l.kind = 'payout' then 0 else l.amount_fen end`).as('earned'),
        eb.fn.sum<number>(sql`case when l.kind = 'payout' then -l.amount_fen else 0 end`).as('paid'),
        eb.fn.count<number>('l.id').as('entries'),
      ])
      .where('p.org_id', '=', orgId)
      .groupBy(['p.period', 'p.status', 'p.closed_at', 'p.closed_by'])
      .orderBy('p.period', 'desc')
      .execute();
  }

  /** Holds a worker's row FOR UPDATE on PostgreSQL: payouts to one worker check her balance one at a time. */
  async lockWorker(trx: Executor, workerId: number) {
    await sql`select id from users where id = ${workerId} ${this.lock('update')}`.execute(trx);
  }

  private lock(kind: 'share' | 'update') {
    if (dialectOf(this.db) !== 'postgres') return sql``;
    return kind === 'share' ? sql`for share` : sql`for update`;
  }
}
