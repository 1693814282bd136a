import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { TrainingAnswerTable, TrainingAttemptTable } from '../db/types.js';

/** Practice answers and exam attempts with their per-item answers and scores. */
export class TrainingAttemptRepository {
  constructor(private readonly db: Db) {}

  // --- attempts -------------------------------------------------------------------

  createAttempt(trx: Executor, values: Insertable<TrainingAttemptTable>) {
    return trx.insertInto('training_attempts').values(values).returningAll().executeTakeFirstOrThrow();
  }

  attempt(id: number, executor: Executor = this.db) {
    return executor.selectFrom('training_attempts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  openAttempt(userId: number, courseId: number, executor: Executor = this.db) {
    return executor
      .selectFrom('training_attempts')
      .selectAll()
      .where('user_id', '=', userId)
      .where('course_id', '=', courseId)
      .where('status', '=', 'open')
      .executeTakeFirst();
  }

  /** The worker's latest finished attempt at a course: what the cool-down counts from. */
  lastFinished(userId: number, courseId: number, executor: Executor = this.db) {
    return executor
      .selectFrom('training_attempts')
      .selectAll()
      .where('user_id', '=', userId)
      .where('course_id', '=', courseId)
      .where('status', '!=', 'open')
      .orderBy('finished_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  attemptsOf(userId: number, courseId: number) {
    return this.db
      .selectFrom('training_attempts')
      .selectAll()
      .where('user_id', '=', userId)
      .where('course_id', '=', courseId)
      .orderBy('id', 'desc')
      .execute();
  }

  /** Closes an open attempt with its result; false when it was no longer open. */
  async finishAttempt(
    trx: Executor,
    id: number,
    result: { status: 'passed' | 'failed'; accuracy: number; completeness: number; level: number | null },
    now: number,
  ): Promise<boolean> {
    const r = await trx
      .updateTable('training_attempts')
      .set({ ...result, finished_at: now })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Every attempt at a course with its worker, newest first: the manager's results. */
  courseAttempts(courseId: number) {
    return this.db
      .selectFrom('training_attempts as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .select([
        'a.id',
        'a.user_id',
        'u.username',
        'u.display_name',
        'a.status',
        'a.started_at',
        'a.finished_at',
        'a.accuracy',
        'a.completeness',
        'a.level',
      ])
      .where('a.course_id', '=', courseId)
      .orderBy('a.id', 'desc')
      .execute();
  }

  // --- answers --------------------------------------------------------------------

  insertPractice(values: Insertable<TrainingAnswerTable>) {
    return this.db.insertInto('training_answers').values(values).returning('id').executeTakeFirstOrThrow();
  }

  /** Stores (or replaces) an exam answer; one per attempt and item. */
  upsertExamAnswer(trx: Executor, values: Insertable<TrainingAnswerTable>) {
    return trx
      .insertInto('training_answers')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['attempt_id', 'item_id']).where('attempt_id', 'is not', null).doUpdateSet({
          data: values.data,
          score: values.score,
          complete: values.complete,
          updated_at: values.updated_at,
        }),
      )
      .execute();
  }

  attemptAnswers(attemptId: number, executor: Executor = this.db) {
    return executor
      .selectFrom('training_answers')
      .select(['item_id', 'data', 'score', 'complete', 'updated_at'])
      .where('attempt_id', '=', attemptId)
      .execute();
  }

  /** A worker's practice answers in a course, newest first. */
  practiceAnswers(userId: number, courseId: number, limit = 500) {
    return this.db
      .selectFrom('training_answers')
      .select(['item_id', 'score', 'complete', 'point_px', 'created_at'])
      .where('user_id', '=', userId)
      .where('course_id', '=', courseId)
      .where('kind', '=', 'practice')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Per worker: practice answers in a course and their mean score. */
  async practiceSummary(courseId: number) {
    const rows = await this.db
      .selectFrom('training_answers')
      .select((eb) => ['user_id', eb.fn.countAll<number>().as('n'), eb.fn.avg<number>('score').as('mean')])
      .where('course_id', '=', courseId)
      .where('kind', '=', 'practice')
      .groupBy('user_id')
      .execute();
    return new Map(rows.map((r) => [r.user_id, { n: Number(r.n), mean: Number(r.mean) }]));
  }
}
