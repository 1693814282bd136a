import { sql } from 'kysely';
import { dialectOf, type Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';

/**
 * An item a worker gave back unanswered (skipped, released, let expire) returns to her
 * after this long, gold and regular alike: skipping is no way around a check, and a
 * returning image says nothing about gold.
 */
export const GIVEN_BACK_RETURNS_AFTER_MS = 20 * 60_000;

/** Thrown when the worker already holds the item: answers like the unique key it stands for. */
export class LeaseTaken extends Error {
  readonly code = '23505';
  constructor() {
    super('This worker already holds this item.');
  }
}

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
   * The first open, non-gold item of the project, in the random lease order, that this
   * worker does not hold, has not answered, and has not given back within the last
   * GIVEN_BACK_RETURNS_AFTER_MS. On PostgreSQL the row is locked and rows locked by
   * concurrent leases are skipped, so two servers never hand out the same slot.
   */
  async findLeasable(
    trx: Executor,
    projectId: number,
    workerId: number,
    now: number,
  ): Promise<{ id: number; width: number; height: number } | undefined> {
    const skipLocked = dialectOf(this.db) === 'postgres' ? sql`for update skip locked` : sql``;
    const row = await sql<{ id: number; width: number; height: number }>`
      select i.id, i.width, i.height from items i
      where i.project_id = ${projectId} and i.open = 1 and i.is_gold = 0
        and not exists (${heldOrRecent(workerId, now)})
      order by i.lease_order
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

  /**
   * Sets an item's requirement to `requirement` answers: `extra_overlap` becomes its
   * difference to the overlap (below zero for an item closed short of its overlap for
   * want of workers), and the item is open while it has fewer claims than that.
   */
  setRequirement(trx: Executor, itemId: number, overlap: number, requirement: number) {
    return trx
      .updateTable('items')
      .set({
        extra_overlap: requirement - overlap,
        open: sql`case when claimed < ${requirement} then 1 else 0 end`,
      })
      .where('id', '=', itemId)
      .where('is_gold', '=', 0)
      .execute();
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

  /**
   * A random gold item of the project for this worker: the first, in lease order from
   * a random point `start` (wrapping round), that she does not hold, has not answered
   * and has not given back lately. Gold carries no overlap, so any number of workers can
   * take one. Walks the gold index from `start`: no sort of every gold item per lease.
   */
  async findGold(
    trx: Executor,
    projectId: number,
    workerId: number,
    now: number,
    start: number,
  ): Promise<number | undefined> {
    const pick = async (from: number, below: number) =>
      (
        await sql<{ id: number }>`
          select i.id from items i
          where i.project_id = ${projectId} and i.is_gold = 1
            and i.lease_order >= ${from} and i.lease_order < ${below}
            and exists (select 1 from gold_answers g where g.item_id = i.id)
            and not exists (${heldOrRecent(workerId, now)})
          order by i.lease_order
          limit 1`.execute(trx)
      ).rows[0]?.id;
    return (await pick(start, 2147483647)) ?? (start > 0 ? await pick(0, start) : undefined);
  }

  /**
   * Leases an item: a new row, or — for an item she gave back long enough ago — the
   * same row again (the unique key on item and worker stays the rule). Throws
   * `LeaseTaken` when she holds or answered it already.
   */
  async insertLease(
    trx: Executor,
    projectId: number,
    itemId: number,
    workerId: number,
    now: number,
    expiresAt: number,
  ) {
    const row = await trx
      .insertInto('assignments')
      .values({
        project_id: projectId,
        item_id: itemId,
        worker_id: workerId,
        status: 'leased',
        leased_at: now,
        expires_at: expiresAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['item_id', 'worker_id'])
          .doUpdateSet({
            status: 'leased',
            leased_at: now,
            expires_at: expiresAt,
            ended_at: null,
            skip_reason: null,
            lease_count: sql`assignments.lease_count + 1`,
          })
          .where('assignments.status', 'in', GIVEN_BACK)
          .where('assignments.ended_at', '<=', now - GIVEN_BACK_RETURNS_AFTER_MS),
      )
      .returning(['id', 'item_id', 'leased_at', 'expires_at'])
      .executeTakeFirst();
    if (!row) throw new LeaseTaken();
    return row;
  }

  /**
   * How often this worker was given gold and regular items of a project and gave them
   * back unanswered, counting the items she was (last) given from `since` up to `until`.
   */
  async skipCounts(executor: Executor, projectId: number, workerId: number, since = 0, until?: number) {
    let q = executor
      .selectFrom('assignments')
      .innerJoin('items', 'items.id', 'assignments.item_id')
      .select((eb) => [
        'items.is_gold',
        eb.fn.sum<number>('assignments.lease_count').as('leases'),
        eb.fn.sum<number>('assignments.skip_count').as('skips'),
      ])
      .where('assignments.worker_id', '=', workerId)
      .where('assignments.project_id', '=', projectId)
      .groupBy('items.is_gold');
    if (since > 0) q = q.where('assignments.leased_at', '>=', since);
    if (until !== undefined) q = q.where('assignments.leased_at', '<=', until);
    const rows = await q.execute();
    const of = (gold: number) => {
      const r = rows.find((x) => Number(x.is_gold) === gold);
      return { leases: Number(r?.leases ?? 0), skips: Number(r?.skips ?? 0) };
    };
    return { gold: of(1), regular: of(0) };
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
      .set({
        status: to,
        ended_at: now,
        skip_reason: reason,
        // Skipped and released count as given back; a late answer undoes an expiry's count.
        skip_count:
          to === 'submitted' ? (from === 'expired' ? sql`skip_count - 1` : sql`skip_count`) : sql`skip_count + 1`,
      })
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
      .set({ status: 'expired', ended_at: now, skip_count: sql`skip_count + 1` })
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

const GIVEN_BACK = ['skipped', 'released', 'expired'] as const;

/**
 * The worker's assignment of item `i` that keeps it from her: held, answered, or given
 * back within GIVEN_BACK_RETURNS_AFTER_MS. One probe of the unique (item, worker) key.
 */
function heldOrRecent(workerId: number, now: number) {
  return sql`select 1 from assignments a where a.item_id = i.id and a.worker_id = ${workerId}
    and (a.status in ('leased', 'submitted') or a.ended_at > ${now - GIVEN_BACK_RETURNS_AFTER_MS})`;
}
