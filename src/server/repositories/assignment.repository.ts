import { sql } from 'kysely';
import { dialectOf, type Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';

/**
 * Leases and their lifecycle. Counters on `items` (`claimed`, `open`) are changed
 * only here, in the same transaction as the assignment row they account for.
 */
export class AssignmentRepository {
  constructor(private readonly db: Db) {}

  /**
   * Serializes one worker's leases, so the count of live leases read next still holds
   * when the new lease is inserted, whichever server runs the other request: on
   * PostgreSQL the worker's row is locked to the end of the transaction (NO KEY UPDATE,
   * so foreign-key checks of the worker's own submissions do not wait on it). On SQLite
   * the transaction began IMMEDIATE and holds the database's write lock already.
   */
  async lockWorker(trx: Executor, workerId: number): Promise<void> {
    if (dialectOf(this.db) !== 'postgres') return;
    await sql`select id from users where id = ${workerId} for no key update`.execute(trx);
  }

  /** The worker's live leases in a project, oldest first. */
  activeLeases(trx: Executor, projectId: number, workerId: number, now: number) {
    return trx
      .selectFrom('assignments')
      .select(['id', 'item_id', 'leased_at', 'expires_at'])
      .where('worker_id', '=', workerId)
      .where('status', '=', 'leased')
      .where('project_id', '=', projectId)
      .where('expires_at', '>', now)
      .orderBy('id')
      .execute();
  }

  /**
   * The first open, non-gold item of the project this worker has never been given.
   * On PostgreSQL the row is locked and rows locked by concurrent leases are skipped,
   * so two servers never hand out the same slot.
   */
  async findLeasable(
    trx: Executor,
    projectId: number,
    workerId: number,
  ): Promise<{ id: number; width: number; height: number } | undefined> {
    const skipLocked = dialectOf(this.db) === 'postgres' ? sql`for update skip locked` : sql``;
    const row = await sql<{ id: number; width: number; height: number }>`
      select i.id, i.width, i.height from items i
      where i.project_id = ${projectId} and i.open = 1 and i.is_gold = 0
        and not exists (select 1 from assignments a where a.item_id = i.id and a.worker_id = ${workerId})
      order by i.id
      limit 1
      ${skipLocked}`.execute(trx);
    return row.rows[0];
  }

  /**
   * Takes one overlap slot of an item (the project's overlap plus any extra the item
   * was given); false when it has none left. Gold items have no slots to take.
   */
  async claim(trx: Executor, itemId: number, overlap: number): Promise<boolean> {
    const res = await trx
      .updateTable('items')
      .set({
        claimed: sql`claimed + 1`,
        open: sql`case when claimed + 1 < ${overlap} + extra_overlap then 1 else 0 end`,
      })
      .where('id', '=', itemId)
      .where('is_gold', '=', 0)
      .where('claimed', '<', sql<number>`${overlap} + extra_overlap`)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Gives back `count` slots of an item (expired, skipped, released or rejected). */
  unclaim(trx: Executor, itemId: number, overlap: number, count = 1) {
    return trx
      .updateTable('items')
      .set({
        claimed: sql`claimed - ${count}`,
        open: sql`case when claimed - ${count} < ${overlap} + extra_overlap then 1 else 0 end`,
      })
      .where('id', '=', itemId)
      .where('is_gold', '=', 0)
      .execute();
  }

  /** Asks for `more` extra answers on an item whose answers disagree. */
  addOverlap(trx: Executor, itemId: number, overlap: number, more = 1) {
    return trx
      .updateTable('items')
      .set({
        extra_overlap: sql`extra_overlap + ${more}`,
        open: sql`case when claimed < ${overlap} + extra_overlap + ${more} then 1 else 0 end`,
      })
      .where('id', '=', itemId)
      .execute();
  }

  /**
   * A gold item of the project this worker has not had. Gold items carry no overlap,
   * so any number of workers can take one; which one a worker gets rotates with the
   * worker id, so workers do not all meet the same gold item first.
   */
  async findGold(trx: Executor, projectId: number, workerId: number): Promise<number | undefined> {
    const row = await sql<{ id: number }>`
      select i.id from items i
      where i.project_id = ${projectId} and i.is_gold = 1
        and exists (select 1 from gold_answers g where g.item_id = i.id)
        and not exists (select 1 from assignments a where a.item_id = i.id and a.worker_id = ${workerId})
      order by (cast(i.id as bigint) * 7919 + ${workerId} * 104729) % 1000003
      limit 1`.execute(trx);
    return row.rows[0]?.id;
  }

  /** How many items, and how many of them gold, this worker has been given in a project. */
  async leaseCounts(trx: Executor, projectId: number, workerId: number) {
    const row = await trx
      .selectFrom('assignments')
      .innerJoin('items', 'items.id', 'assignments.item_id')
      .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>('items.is_gold').as('gold')])
      .where('assignments.worker_id', '=', workerId)
      .where('assignments.project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return { total: Number(row.total), gold: Number(row.gold ?? 0) };
  }

  insertLease(trx: Executor, projectId: number, itemId: number, workerId: number, now: number, expiresAt: number) {
    return trx
      .insertInto('assignments')
      .values({
        project_id: projectId,
        item_id: itemId,
        worker_id: workerId,
        status: 'leased',
        leased_at: now,
        expires_at: expiresAt,
      })
      .returning(['id', 'item_id', 'leased_at', 'expires_at'])
      .executeTakeFirstOrThrow();
  }

  get(trx: Executor, id: number) {
    return trx.selectFrom('assignments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Ends a live lease; false when it was no longer live (a race lost to expiry). */
  async end(
    trx: Executor,
    id: number,
    from: 'leased' | 'expired',
    to: 'submitted' | 'skipped' | 'released',
    now: number,
    reason: string | null = null,
  ): Promise<boolean> {
    const res = await trx
      .updateTable('assignments')
      .set({ status: to, ended_at: now, skip_reason: reason })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** A rejected answer: its slot and its count go back, so the item is done again. */
  unsubmit(trx: Executor, itemId: number, overlap: number) {
    return trx
      .updateTable('items')
      .set({
        submitted: sql`submitted - 1`,
        claimed: sql`claimed - 1`,
        open: sql`case when claimed - 1 < ${overlap} + extra_overlap then 1 else 0 end`,
      })
      .where('id', '=', itemId)
      .where('is_gold', '=', 0)
      .execute();
  }

  /** Counts a submission; returns the item's counts after it. */
  markSubmitted(trx: Executor, itemId: number) {
    return trx
      .updateTable('items')
      .set({ submitted: sql`submitted + 1` })
      .where('id', '=', itemId)
      .returning(['submitted', 'extra_overlap'])
      .executeTakeFirstOrThrow();
  }

  /**
   * Expires every lease past its time and returns each item's slots to the pool.
   * Safe to run from several processes at once: a lease is expired by one UPDATE only.
   */
  async expireDue(trx: Executor, now: number): Promise<number> {
    const expired = await trx
      .updateTable('assignments')
      .set({ status: 'expired', ended_at: now })
      .where('status', '=', 'leased')
      .where('expires_at', '<=', now)
      .returning(['item_id', 'project_id'])
      .execute();
    if (expired.length === 0) return 0;
    const perItem = new Map<number, { projectId: number; n: number }>();
    for (const e of expired) {
      const cur = perItem.get(e.item_id);
      if (cur) cur.n++;
      else perItem.set(e.item_id, { projectId: e.project_id, n: 1 });
    }
    const projectIds = [...new Set(expired.map((e) => e.project_id))];
    const overlaps = new Map(
      (await trx.selectFrom('projects').select(['id', 'overlap']).where('id', 'in', projectIds).execute()).map((p) => [
        p.id,
        p.overlap,
      ]),
    );
    for (const [itemId, { projectId, n }] of perItem) {
      await this.unclaim(trx, itemId, overlaps.get(projectId) ?? 1, n);
    }
    return expired.length;
  }

  /** What a worker did today (UTC), for the workspace's counters. */
  async workerDay(workerId: number, dayStart: number) {
    const row = await this.db
      .selectFrom('annotations')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('active_ms').as('ms')])
      .where('worker_id', '=', workerId)
      .where('created_at', '>=', dayStart)
      .executeTakeFirstOrThrow();
    return { submitted: Number(row.n), activeMs: Number(row.ms ?? 0) };
  }
}
