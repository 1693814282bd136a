import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';

/**
 * What a worker may see of her own checks, as of her last completed batch of answers,
 * and when her gold answers are decided (annotations.decide_at).
 */
export class WorkerViewRepository {
  constructor(private readonly db: Db) {}

  /** Her answers in a project, gold and regular alike. */
  async answerCount(projectId: number, workerId: number): Promise<number> {
    const row = await this.db
      .selectFrom('annotations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('worker_id', '=', workerId)
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Her `n`-th answer in a project (1-based, in submission order). */
  nthAnswer(projectId: number, workerId: number, n: number) {
    return this.db
      .selectFrom('annotations')
      .select(['id', 'created_at'])
      .where('worker_id', '=', workerId)
      .where('project_id', '=', projectId)
      .orderBy('id')
      .offset(n - 1)
      .limit(1)
      .executeTakeFirst();
  }

  /** Her gold scores on answers up to `lastAnnotationId`, newest first. */
  scoresUpTo(projectId: number, workerId: number, lastAnnotationId: number, limit: number) {
    return this.db
      .selectFrom('gold_scores')
      .select(['id', 'score', 'feedback', 'per_point'])
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .where('annotation_id', '<=', lastAnnotationId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  async scoreCountUpTo(projectId: number, workerId: number, lastAnnotationId: number): Promise<number> {
    const row = await this.db
      .selectFrom('gold_scores')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .where('annotation_id', '<=', lastAnnotationId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Her status as the quality rules last set it up to `until`: their latest status event, if any. */
  latestStatusEvent(projectId: number, workerId: number, until: number) {
    return this.db
      .selectFrom('quality_events')
      .select(['action', 'detail'])
      .where('project_id', '=', projectId)
      .where('worker_id', '=', workerId)
      .where('action', 'in', ['warned', 'suspended', 'cleared', 'reinstated'])
      .where('created_at', '<=', until)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Due gold decisions: gold answers whose `decide_at` has come, with their score. */
  dueGoldDecisions(trx: Executor, now: number, limit: number) {
    return trx
      .selectFrom('annotations as a')
      .innerJoin('gold_scores as g', 'g.annotation_id', 'a.id')
      .innerJoin('projects as p', 'p.id', 'a.project_id')
      .select(['a.id', 'g.score', 'p.id as project_id', 'p.org_id', 'p.piece_rate_fen', 'p.accept_oks'])
      .where('a.decide_at', 'is not', null)
      .where('a.decide_at', '<=', now)
      .orderBy('a.decide_at')
      .limit(limit)
      .execute();
  }

  clearDecideAt(trx: Executor, annotationId: number) {
    return trx.updateTable('annotations').set({ decide_at: null }).where('id', '=', annotationId).execute();
  }

  setDecideAt(trx: Executor, annotationId: number, at: number) {
    return trx.updateTable('annotations').set({ decide_at: at }).where('id', '=', annotationId).execute();
  }

  /**
   * How long a project's latest decided regular answers waited from submission to
   * acceptance (ms): what a gold answer's wait is drawn from.
   */
  async recentDecisionDelays(trx: Executor, projectId: number, limit = 200): Promise<number[]> {
    const rows = await trx
      .selectFrom('annotations as a')
      .innerJoin('items as i', 'i.id', 'a.item_id')
      .select(sql<number>`a.accepted_at - a.created_at`.as('d'))
      .where('a.project_id', '=', projectId)
      .where('i.is_gold', '=', 0)
      .where('a.accepted_at', 'is not', null)
      .orderBy('a.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => Math.max(0, Number(r.d)));
  }
}
