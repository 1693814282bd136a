/**
 * Exams: a worker sits a course's exam items in order, each answer scored on the
 * server with the gold scoring and never shown back; at the end she learns only the
 * per-item scores and the overall result. A pass certifies her for the course's
 * template at a level and lifts her suspensions there; a failure starts the cool-down.
 * Exam references never leave the server, and her answers are seen only by her
 * managers.
 */
import type { Selectable } from 'kysely';
import { checkAnnotation, type AnnotationData } from '../../core/annotation.js';
import {
  EXAM_TIME_LIMIT_MS,
  retryAt,
  scoreExam,
  scoreExamItem,
  type ExamItemScore,
} from '../../core/training/index.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation, withTx } from '../db/tx.js';
import type { TrainingAttemptTable } from '../db/types.js';
import { AppError, badRequest, conflict, notFound } from '../errors.js';
import type { TrainingAttemptRepository } from '../repositories/training-attempt.repository.js';
import type { TrainingRepository } from '../repositories/training.repository.js';
import type { Actor } from './access.js';
import type { CertificationService } from './certification.service.js';
import type { Clock } from './clock.js';
import { assertCanTrain, type Course } from './training-access.js';
import { courseTemplate, iso, itemView } from './training-views.js';

type Attempt = Selectable<TrainingAttemptTable>;

export class ExamService {
  constructor(
    private readonly db: Db,
    private readonly training: TrainingRepository,
    private readonly attempts: TrainingAttemptRepository,
    private readonly certifications: CertificationService,
    private readonly clock: Clock,
  ) {}

  /**
   * Starts the course's exam, or returns the one she has open. Refused during the
   * cool-down after a failure (409 `exam_cooldown`, with `retryAt`).
   */
  async start(actor: Actor, courseId: number) {
    const course = await this.training.course(courseId);
    assertCanTrain(actor, course);
    const now = this.clock.now();
    let open = await this.attempts.openAttempt(actor.id, courseId);
    if (open && open.expires_at <= now) {
      await this.close(actor, course, open);
      open = undefined;
    }
    if (open) return this.view(course, open);
    const last = await this.attempts.lastFinished(actor.id, courseId);
    const until = retryAt(
      last ? { status: last.status as 'passed' | 'failed', finishedAt: last.finished_at! } : null,
      course.cooldown_minutes * 60_000,
    );
    if (until !== null && until > now) {
      throw new AppError(409, 'exam_cooldown', 'The exam can be taken again after the cool-down.', {
        retryAt: iso(until),
        waitMs: until - now,
      });
    }
    const items = await this.training.usableItems(courseId, 'exam');
    if (items.length === 0) throw conflict('no_exam_items', 'This course has no exam yet.');
    try {
      const attempt = await withTx(this.db, (trx) =>
        this.attempts.createAttempt(trx, {
          course_id: courseId,
          user_id: actor.id,
          status: 'open',
          item_ids: JSON.stringify(items.map((i) => i.id)),
          pass_accuracy: course.pass_accuracy,
          pass_completeness: course.pass_completeness,
          started_at: now,
          expires_at: now + EXAM_TIME_LIMIT_MS,
        }),
      );
      return this.view(course, attempt);
    } catch (err) {
      // Two starts raced: the partial unique index kept one open attempt; answer with it.
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.attempts.openAttempt(actor.id, courseId);
      if (!winner) throw err;
      return this.view(course, winner);
    }
  }

  /** Her attempt: the items still to answer while open, the result once finished. */
  async get(actor: Actor, attemptId: number) {
    const { course, attempt } = await this.own(actor, attemptId);
    if (attempt.status === 'open' && attempt.expires_at <= this.clock.now()) return this.close(actor, course, attempt);
    return attempt.status === 'open' ? this.view(course, attempt) : this.result(course, attempt);
  }

  /** Stores her answer to one exam item (replacing an earlier one); nothing about its score comes back. */
  async answer(actor: Actor, attemptId: number, itemId: number, data: AnnotationData) {
    const { course, attempt } = await this.own(actor, attemptId);
    const now = this.clock.now();
    if (attempt.status !== 'open') throw conflict('exam_finished', 'This exam is already finished.');
    if (attempt.expires_at <= now) {
      await this.close(actor, course, attempt);
      throw conflict('exam_expired', 'The time for this exam ran out; it has been scored as it stood.');
    }
    const ids = JSON.parse(attempt.item_ids) as number[];
    if (!ids.includes(itemId)) throw notFound('training_item');
    const item = (await this.training.item(itemId))!;
    const template = courseTemplate(course);
    const problems = checkAnnotation(template, item.width, item.height, data);
    if (problems.length > 0) throw badRequest(problems[0].code, problems.map((p) => p.message).join('; '), problems);
    const scored = item.reference
      ? scoreExamItem(data, JSON.parse(item.reference) as AnnotationData, template)
      : { score: 0, complete: false };
    await withTx(this.db, async (trx) => {
      // Re-checked inside the transaction: an answer never lands in a finished exam.
      const cur = await this.attempts.attempt(attempt.id, trx);
      if (cur?.status !== 'open') throw conflict('exam_finished', 'This exam is already finished.');
      await this.attempts.upsertExamAnswer(trx, {
        course_id: course.id,
        item_id: item.id,
        user_id: actor.id,
        attempt_id: attempt.id,
        kind: 'exam',
        data: JSON.stringify(data),
        score: scored.score,
        complete: scored.complete ? 1 : 0,
        point_px: null,
        created_at: now,
        updated_at: now,
      });
    });
    const answered = (await this.attempts.attemptAnswers(attempt.id)).length;
    return { attemptId: attempt.id, itemId, answered, total: ids.length };
  }

  /** Scores the exam. Finishing twice returns the same result. */
  async finish(actor: Actor, attemptId: number) {
    const { course, attempt } = await this.own(actor, attemptId);
    if (attempt.status !== 'open') return this.result(course, attempt);
    return this.close(actor, course, attempt);
  }

  // --- helpers --------------------------------------------------------------------

  /** Scores and closes an open attempt; a pass certifies. Returns the result. */
  private async close(actor: Actor, course: Course, attempt: Attempt) {
    const projects = await this.certifications.orgProjects(actor.org_id);
    const now = this.clock.now();
    const outcome = await withTx(this.db, async (trx) => {
      const answers = new Map((await this.attempts.attemptAnswers(attempt.id, trx)).map((a) => [a.item_id, a]));
      const ids = JSON.parse(attempt.item_ids) as number[];
      const scores: (ExamItemScore | null)[] = ids.map((id) => {
        const a = answers.get(id);
        return a ? { score: a.score, complete: a.complete === 1 } : null;
      });
      const r = scoreExam(scores, {
        passAccuracy: attempt.pass_accuracy,
        passCompleteness: attempt.pass_completeness,
        level2Accuracy: course.level2_accuracy,
        level3Accuracy: course.level3_accuracy,
      });
      const status = r.passed ? 'passed' : 'failed';
      const closed = await this.attempts.finishAttempt(
        trx,
        attempt.id,
        { status, accuracy: r.accuracy, completeness: r.completeness, level: r.level },
        now,
      );
      // Another request closed it first: its result stands.
      if (!closed) return { lifted: [] as number[] };
      if (!r.passed) return { lifted: [] as number[] };
      const lifted = await this.certifications.certifyFromExam(
        trx,
        { id: actor.id, org_id: actor.org_id },
        { templateId: course.template_id, level: r.level!, courseId: course.id, attemptId: attempt.id },
        projects,
      );
      return { lifted };
    });
    this.certifications.forget(actor.id, course.template_id);
    const fresh = (await this.attempts.attempt(attempt.id))!;
    return { ...(await this.result(course, fresh)), liftedSuspensions: outcome.lifted };
  }

  private async own(actor: Actor, attemptId: number) {
    const attempt = await this.attempts.attempt(attemptId);
    // Someone else's attempt answers like a missing one: no answer of hers reaches another worker.
    if (!attempt || attempt.user_id !== actor.id) throw notFound('attempt');
    const course = await this.training.course(attempt.course_id);
    assertCanTrain(actor, course);
    return { course, attempt };
  }

  /** An open attempt: the items in order, which are answered, and the deadline. Never a reference. */
  private async view(course: Course, attempt: Attempt) {
    const ids = JSON.parse(attempt.item_ids) as number[];
    const items = new Map((await this.training.itemsByIds(ids)).map((i) => [i.id, i]));
    const answered = new Set((await this.attempts.attemptAnswers(attempt.id)).map((a) => a.item_id));
    return {
      id: attempt.id,
      courseId: course.id,
      status: attempt.status,
      startedAt: iso(attempt.started_at),
      expiresAt: iso(attempt.expires_at),
      template: courseTemplate(course),
      passAccuracy: attempt.pass_accuracy,
      passCompleteness: attempt.pass_completeness,
      items: ids.map((id, i) => {
        const it = items.get(id)!;
        const v = itemView(it);
        return {
          id: v.id,
          position: i + 1,
          width: v.width,
          height: v.height,
          imageUrl: v.imageUrl,
          answered: answered.has(id),
        };
      }),
    };
  }

  /** A finished attempt: per-item scores and the overall result, never a reference or an answer. */
  private async result(course: Course, attempt: Attempt) {
    const ids = JSON.parse(attempt.item_ids) as number[];
    const answers = new Map((await this.attempts.attemptAnswers(attempt.id)).map((a) => [a.item_id, a]));
    const until = retryAt(
      attempt.status === 'failed' ? { status: 'failed', finishedAt: attempt.finished_at! } : null,
      course.cooldown_minutes * 60_000,
    );
    const now = this.clock.now();
    return {
      id: attempt.id,
      courseId: course.id,
      status: attempt.status,
      passed: attempt.status === 'passed',
      accuracy: attempt.accuracy,
      completeness: attempt.completeness,
      passAccuracy: attempt.pass_accuracy,
      passCompleteness: attempt.pass_completeness,
      level: attempt.level,
      templateId: course.template_id,
      finishedAt: iso(attempt.finished_at),
      retryAt: until !== null && until > now ? iso(until) : null,
      cooldownLeftMs: until !== null ? Math.max(0, until - now) : 0,
      items: ids.map((id, i) => {
        const a = answers.get(id);
        return {
          position: i + 1,
          answered: Boolean(a),
          score: a ? Math.round(a.score * 1000) / 1000 : 0,
          complete: a ? a.complete === 1 : false,
        };
      }),
    };
  }
}
