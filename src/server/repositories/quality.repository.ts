import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { ConsensusTable, GoldScoreTable, ReviewTable, WorkerStandingTable } from '../db/types.js';

/** Gold answers and scores, worker standing, consensus and reviews. */
export class QualityRepository {
  constructor(private readonly db: Db) {}

  // --- gold ---------------------------------------------------------------------

  async setGold(
    trx: Executor,
    itemId: number,
    projectId: number,
    data: string,
    source: 'editor' | 'coco' | 'consensus',
    by: number,
    now: number,
  ) {
    await trx.deleteFrom('gold_answers').where('item_id', '=', itemId).execute();
    await trx
      .insertInto('gold_answers')
      .values({ item_id: itemId, project_id: projectId, data, source, created_by: by, created_at: now })
      .execute();
    await trx.updateTable('items').set({ is_gold: 1 }).where('id', '=', itemId).execute();
  }

  async unsetGold(trx: Executor, itemId: number) {
    await trx.deleteFrom('gold_answers').where('item_id', '=', itemId).execute();
    await trx.updateTable('items').set({ is_gold: 0 }).where('id', '=', itemId).execute();
  }

  gold(itemId: number, executor: Executor = this.db) {
    return executor.selectFrom('gold_answers').selectAll().where('item_id', '=', itemId).executeTakeFirst();
  }

  insertScore(trx: Executor, values: Insertable<GoldScoreTable>) {
    return trx
      .insertInto('gold_scores')
      .values(values)
      .onConflict((oc) => oc.column('annotation_id').doNothing())
      .execute();
  }

  /** A worker's latest gold scores in a project, newest first. */
  recentScores(projectId: number, workerId: number, limit: number, executor: Executor = this.db) {
    return executor
      .selectFrom('gold_scores')
      .select(['score', 'swapped', 'feedback', 'created_at'])
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  // --- standing -------------------------------------------------------------------

  standing(projectId: number, workerId: number, executor: Executor = this.db) {
    return executor
      .selectFrom('worker_standing')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .executeTakeFirst();
  }

  upsertStanding(trx: Executor, values: WorkerStandingTable) {
    return trx
      .insertInto('worker_standing')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['project_id', 'worker_id']).doUpdateSet({
          status: values.status,
          accuracy: values.accuracy,
          gold_count: values.gold_count,
          reason: values.reason,
          updated_at: values.updated_at,
        }),
      )
      .execute();
  }

  /** Per worker of a project: standing and gold figures, for the quality page. */
  workerTable(projectId: number) {
    return this.db
      .selectFrom('users')
      .innerJoin('worker_standing as s', (j) =>
        j.onRef('s.worker_id', '=', 'users.id').on('s.project_id', '=', projectId),
      )
      .select([
        'users.id',
        'users.username',
        'users.display_name',
        's.status',
        's.accuracy',
        's.gold_count',
        's.reason',
        's.updated_at',
      ])
      .orderBy('s.accuracy')
      .execute();
  }

  /** Daily mean gold score per worker (UTC days), for trends. */
  async dailyScores(projectId: number) {
    const day = sql<number>`(created_at / 86400000)`;
    const rows = await this.db
      .selectFrom('gold_scores')
      .select((eb) => [
        'worker_id',
        day.as('day'),
        eb.fn.avg<number>('score').as('score'),
        eb.fn.countAll<number>().as('n'),
      ])
      .where('project_id', '=', projectId)
      .groupBy(['worker_id', day])
      .orderBy('worker_id')
      .orderBy(day)
      .execute();
    return rows.map((r) => ({
      workerId: r.worker_id,
      day: Math.floor(Number(r.day)),
      score: Number(r.score),
      n: Number(r.n),
    }));
  }

  /** Per-point error lists of a project's gold scores, for "which landmarks are hardest". */
  perPointRows(projectId: number, limit = 5000) {
    return this.db
      .selectFrom('gold_scores')
      .select('per_point')
      .where('project_id', '=', projectId)
      .where('per_point', 'is not', null)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  // --- consensus ------------------------------------------------------------------

  upsertConsensus(trx: Executor, values: ConsensusTable) {
    return trx
      .insertInto('consensus')
      .values(values)
      .onConflict((oc) =>
        oc.column('item_id').doUpdateSet({
          data: values.data,
          agreement: values.agreement,
          details: values.details,
          submissions: values.submissions,
          created_at: values.created_at,
        }),
      )
      .execute();
  }

  consensus(itemId: number, executor: Executor = this.db) {
    return executor.selectFrom('consensus').selectAll().where('item_id', '=', itemId).executeTakeFirst();
  }

  deleteConsensus(trx: Executor, itemId: number) {
    return trx.deleteFrom('consensus').where('item_id', '=', itemId).execute();
  }

  consensusRows(projectId: number) {
    return this.db.selectFrom('consensus').selectAll().where('project_id', '=', projectId).orderBy('item_id').execute();
  }

  agreements(projectId: number) {
    return this.db.selectFrom('consensus').select('agreement').where('project_id', '=', projectId).execute();
  }

  /** Stored answers of an item that still count (not rejected), oldest first. */
  liveAnswers(itemId: number, executor: Executor = this.db) {
    return executor
      .selectFrom('annotations')
      .select(['id', 'worker_id', 'data', 'status'])
      .where('item_id', '=', itemId)
      .where('status', '!=', 'rejected')
      .orderBy('id')
      .execute();
  }

  /** A worker's answers on regular items that no reviewer has accepted. */
  unreviewedAnswers(trx: Executor, projectId: number, workerId: number) {
    return trx
      .selectFrom('annotations')
      .innerJoin('items', 'items.id', 'annotations.item_id')
      .select(['annotations.id', 'annotations.item_id'])
      .where('annotations.project_id', '=', projectId)
      .where('annotations.worker_id', '=', workerId)
      .where('annotations.status', '=', 'submitted')
      .where('items.is_gold', '=', 0)
      .execute();
  }

  // --- review ---------------------------------------------------------------------

  setReviewState(trx: Executor, itemId: number, state: 'none' | 'flagged' | 'sampled' | 'reviewed') {
    return trx.updateTable('items').set({ review_state: state }).where('id', '=', itemId).execute();
  }

  /** The next item waiting for review: flagged ones first, then sampled, oldest first. */
  async nextForReview(projectId: number, reviewerId: number) {
    const row = await this.db
      .selectFrom('items')
      .select(['id', 'review_state'])
      .where('project_id', '=', projectId)
      .where('review_state', 'in', ['flagged', 'sampled'])
      // A reviewer never judges their own answers.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('annotations')
              .select('annotations.id')
              .whereRef('annotations.item_id', '=', 'items.id')
              .where('annotations.worker_id', '=', reviewerId),
          ),
        ),
      )
      .orderBy(sql`case when review_state = 'flagged' then 0 else 1 end`)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row;
  }

  insertReview(trx: Executor, values: Insertable<ReviewTable>) {
    return trx.insertInto('reviews').values(values).returning(['id']).executeTakeFirstOrThrow();
  }

  /** A reviewer's verdict on an undecided answer; false when it was already decided. */
  async decideAnnotation(trx: Executor, annotationId: number, status: 'accepted' | 'rejected'): Promise<boolean> {
    const res = await trx
      .updateTable('annotations')
      .set({ status })
      .where('id', '=', annotationId)
      .where('status', '=', 'submitted')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  setAnnotationStatus(trx: Executor, annotationId: number, status: 'accepted' | 'rejected') {
    return trx.updateTable('annotations').set({ status }).where('id', '=', annotationId).execute();
  }

  /** Reviews of a worker's answers that were rejected, newest first: what the worker is told. */
  rejectionsFor(workerId: number, projectId: number, limit = 20) {
    return this.db
      .selectFrom('reviews')
      .innerJoin('annotations', 'annotations.id', 'reviews.annotation_id')
      .select(['reviews.id', 'reviews.item_id', 'reviews.reason_code', 'reviews.comment', 'reviews.created_at'])
      .where('annotations.worker_id', '=', workerId)
      .where('reviews.project_id', '=', projectId)
      .where('reviews.verdict', '=', 'reject')
      .orderBy('reviews.id', 'desc')
      .limit(limit)
      .execute();
  }
}
