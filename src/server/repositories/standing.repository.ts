import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { PeerScoreTable, QualityEventTable, WorkerStandingTable } from '../db/types.js';

/** Peer scores, a worker's standing figures, and the log of what quality rules did. */
export class StandingRepository {
  constructor(private readonly db: Db) {}

  insertPeerScores(trx: Executor, rows: Insertable<PeerScoreTable>[]) {
    if (rows.length === 0) return Promise.resolve();
    return trx
      .insertInto('peer_scores')
      .values(rows)
      .onConflict((oc) => oc.column('annotation_id').doNothing())
      .execute();
  }

  /** Her latest credible peer scores since `since`, newest first. */
  recentPeer(trx: Executor, projectId: number, workerId: number, since: number, limit: number) {
    return trx
      .selectFrom('peer_scores')
      .select(['score', 'swapped', 'sigma', 'created_at'])
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .where('credible', '=', 1)
      .where('created_at', '>=', since)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Her latest per-item error scales (σ), newest first. */
  recentPeerSigmas(trx: Executor, projectId: number, workerId: number, limit: number) {
    return trx
      .selectFrom('peer_scores')
      .select('sigma')
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .where('sigma', 'is not', null)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Her latest gold scores since `since`, newest first (the swap rule and her σ). */
  recentGold(trx: Executor, projectId: number, workerId: number, since: number, limit: number) {
    return trx
      .selectFrom('gold_scores')
      .select(['nme', 'swapped', 'created_at'])
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .where('created_at', '>=', since)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** The standing rows of some workers (σ for their consensus weights). */
  standings(executor: Executor, projectId: number, workerIds: number[]) {
    if (workerIds.length === 0) return Promise.resolve([]);
    return executor
      .selectFrom('worker_standing')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('worker_id', 'in', workerIds)
      .execute();
  }

  /** Creates her standing row when she has none yet (her first check was a peer check). */
  async ensureStanding(trx: Executor, projectId: number, workerId: number, now: number) {
    await trx
      .insertInto('worker_standing')
      .values({
        project_id: projectId,
        worker_id: workerId,
        status: 'active',
        accuracy: null,
        gold_count: 0,
        reason: null,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['project_id', 'worker_id']).doNothing())
      .execute();
  }

  /** The rule figures of a standing row (σ, peer, too-fast counts, the window start). */
  setFigures(trx: Executor, projectId: number, workerId: number, figures: Updateable<WorkerStandingTable>) {
    return trx
      .updateTable('worker_standing')
      .set(figures)
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .execute();
  }

  setStatus(
    trx: Executor,
    projectId: number,
    workerId: number,
    status: WorkerStandingTable['status'],
    reason: string | null,
    now: number,
  ) {
    return trx
      .updateTable('worker_standing')
      .set({ status, reason, updated_at: now })
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .execute();
  }

  /** One answer's active time and data, for the speed rule. */
  answerTime(trx: Executor, annotationId: number) {
    return trx
      .selectFrom('annotations')
      .select(['active_ms', 'data'])
      .where('id', '=', annotationId)
      .executeTakeFirst();
  }

  /** The live answers of an item with their active time, for the speed rule. */
  answerTimes(trx: Executor, itemId: number) {
    return trx
      .selectFrom('annotations')
      .select(['id', 'worker_id', 'active_ms', 'data'])
      .where('item_id', '=', itemId)
      .where('status', '!=', 'rejected')
      .orderBy('id')
      .execute();
  }

  insertEvent(trx: Executor, values: Insertable<QualityEventTable>) {
    return trx.insertInto('quality_events').values(values).execute();
  }

  /** A project's quality events, newest first, with the worker's name; `before` 0 for the first page. */
  events(projectId: number, before: number, limit: number) {
    return this.db
      .selectFrom('quality_events as e')
      .leftJoin('users as u', 'u.id', 'e.worker_id')
      .select([
        'e.id',
        'e.worker_id',
        'e.item_id',
        'e.rule',
        'e.action',
        'e.count',
        'e.detail',
        'e.created_at',
        'u.display_name',
        'u.username',
      ])
      .where('e.project_id', '=', projectId)
      .$if(before > 0, (qb) => qb.where('e.id', '<', before))
      .orderBy('e.id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Per rule and action: how often it acted and on how many answers. */
  async eventTotals(projectId: number) {
    const rows = await this.db
      .selectFrom('quality_events')
      .select((eb) => [
        'rule',
        'action',
        eb.fn.countAll<number>().as('times'),
        eb.fn.sum<number>('count').as('answers'),
      ])
      .where('project_id', '=', projectId)
      .groupBy(['rule', 'action'])
      .execute();
    return rows.map((r) => ({
      rule: r.rule,
      action: r.action,
      times: Number(r.times),
      answers: Number(r.answers ?? 0),
    }));
  }

  /** Items waiting for review and reviewed, and reviewers' verdicts on answers. */
  async reviewFigures(projectId: number) {
    const items = await this.db
      .selectFrom('items')
      .select((eb) => ['review_state', eb.fn.countAll<number>().as('n')])
      .where('project_id', '=', projectId)
      .where('review_state', '!=', 'none')
      .groupBy('review_state')
      .execute();
    const verdicts = await this.db
      .selectFrom('reviews')
      .select((eb) => ['verdict', eb.fn.countAll<number>().as('n')])
      .where('project_id', '=', projectId)
      .groupBy('verdict')
      .execute();
    const count = <T extends { n: number | string | bigint }>(rows: T[], pick: (r: T) => boolean) =>
      rows.filter(pick).reduce((s, r) => s + Number(r.n), 0);
    return {
      waiting: count(items, (r) => r.review_state === 'flagged' || r.review_state === 'sampled'),
      reviewed: count(items, (r) => r.review_state === 'reviewed'),
      accepted: count(verdicts, (r) => r.verdict === 'accept'),
      rejected: count(verdicts, (r) => r.verdict === 'reject'),
    };
  }
}
