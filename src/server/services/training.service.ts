/**
 * Training courses as managers make them: a course per template, its lessons and
 * their images, practice and exam items with references drawn in the gold editor, the
 * pass marks and cool-down, and everyone's results. Workers read published courses
 * through `LearnerService` and sit exams through `ExamService`.
 */
import { checkAnnotation } from '../../core/annotation.js';
import type {
  CourseBody,
  CoursePatch,
  LessonBody,
  LessonPatch,
  ReferenceBody,
} from '../../core/api/training.schema.js';
import { goldReferenceProblem } from '../../core/quality/gold-reference.js';
import { DEFAULT_MARKS } from '../../core/training/index.js';
import { getBuiltinTemplate } from '../../core/templates/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation, withTx } from '../db/tx.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { BlobRepository } from '../repositories/blob.repository.js';
import type { CertificationRepository } from '../repositories/certification.repository.js';
import type { TrainingAttemptRepository } from '../repositories/training-attempt.repository.js';
import type { TrainingRepository } from '../repositories/training.repository.js';
import type { BlobStore } from '../storage/blob-store.js';
import { requireRole, type Actor } from './access.js';
import type { Clock } from './clock.js';
import type { StagedUpload } from './image.service.js';
import { assertCanManageCourse, assertCanReadCourse, isTrainingManager } from './training-access.js';
import { recordImage, storeImage, type StoredImage } from './training-media.js';
import { attemptSummary, courseTemplate, courseView, iso, lessonView, managedItemView } from './training-views.js';

/** A failed exam waits a day by default: time to go back to the lessons and practice. */
export const DEFAULT_COOLDOWN_MINUTES = 24 * 60;

export class TrainingService {
  constructor(
    private readonly db: Db,
    private readonly training: TrainingRepository,
    private readonly attempts: TrainingAttemptRepository,
    private readonly certs: CertificationRepository,
    private readonly blobs: BlobRepository,
    private readonly store: BlobStore,
    private readonly config: Config,
    private readonly clock: Clock,
  ) {}

  // --- courses --------------------------------------------------------------------

  async createCourse(actor: Actor, body: CourseBody) {
    requireRole(actor, 'admin', 'manager');
    const template = body.templateId ? getBuiltinTemplate(body.templateId) : body.template;
    if (!template) throw badRequest('unknown_template', `There is no built-in template ${body.templateId}.`);
    const now = this.clock.now();
    try {
      const row = await this.training.createCourse({
        org_id: actor.org_id,
        template_id: template.id,
        template: JSON.stringify(template),
        title: body.title,
        description: body.description,
        status: body.status,
        pass_accuracy: body.passAccuracy ?? DEFAULT_MARKS.passAccuracy,
        pass_completeness: body.passCompleteness ?? DEFAULT_MARKS.passCompleteness,
        level2_accuracy: body.level2Accuracy ?? DEFAULT_MARKS.level2Accuracy,
        level3_accuracy: body.level3Accuracy ?? DEFAULT_MARKS.level3Accuracy,
        cooldown_minutes: body.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      });
      return courseView(row);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw conflict('course_exists', `This organisation already has a course for the ${template.id} template.`);
      }
      throw err;
    }
  }

  async updateCourse(actor: Actor, courseId: number, patch: CoursePatch) {
    assertCanManageCourse(actor, await this.training.course(courseId));
    const row = await this.training.updateCourse(courseId, {
      title: patch.title,
      description: patch.description,
      status: patch.status,
      pass_accuracy: patch.passAccuracy,
      pass_completeness: patch.passCompleteness,
      level2_accuracy: patch.level2Accuracy,
      level3_accuracy: patch.level3Accuracy,
      cooldown_minutes: patch.cooldownMinutes,
      updated_at: this.clock.now(),
    });
    return courseView(row);
  }

  /** The organisation's courses: all of them for managers, the published ones for everyone else. */
  async listCourses(actor: Actor) {
    if (actor.role === 'client') return [];
    const rows = await this.training.courses(actor.org_id, !isTrainingManager(actor));
    const counts = await this.training.itemCounts(rows.map((r) => r.id));
    return rows.map((r) => courseView(r, counts.get(r.id)));
  }

  /** Everything a manager edits on one page: settings, lessons, images, items with references. */
  async manageView(actor: Actor, courseId: number) {
    const course = await this.training.course(courseId);
    assertCanManageCourse(actor, course);
    const [lessons, items, assets] = await Promise.all([
      this.training.lessonsWithBody(courseId),
      this.training.items(courseId),
      this.training.assets(courseId),
    ]);
    return {
      course: courseView(course),
      template: courseTemplate(course),
      lessons: lessons.map(lessonView),
      items: items.map(managedItemView),
      assets: assets.map((a) => ({ sha256: a.blob_sha256, name: a.name, url: assetUrl(courseId, a.blob_sha256) })),
    };
  }

  // --- lessons --------------------------------------------------------------------

  async addLesson(actor: Actor, courseId: number, body: LessonBody) {
    assertCanManageCourse(actor, await this.training.course(courseId));
    const now = this.clock.now();
    const row = await this.training.addLesson({
      course_id: courseId,
      title: body.title,
      body: body.body,
      created_at: now,
      updated_at: now,
    });
    return lessonView(row);
  }

  async updateLesson(actor: Actor, lessonId: number, patch: LessonPatch) {
    const lesson = await this.training.lesson(lessonId);
    if (!lesson) throw notFound('lesson');
    assertCanManageCourse(actor, await this.training.course(lesson.course_id));
    const row = await this.training.updateLesson(lessonId, {
      title: patch.title,
      body: patch.body,
      position: patch.position,
      updated_at: this.clock.now(),
    });
    return lessonView(row);
  }

  async deleteLesson(actor: Actor, lessonId: number) {
    const lesson = await this.training.lesson(lessonId);
    if (!lesson) throw notFound('lesson');
    assertCanManageCourse(actor, await this.training.course(lesson.course_id));
    await this.training.deleteLesson(lessonId);
    return { id: lessonId, deleted: true };
  }

  // --- images and items -----------------------------------------------------------

  /** Lesson images: stored as blobs, linked to the course; returns the URLs to put in markdown. */
  async addAssets(actor: Actor, courseId: number, staged: StagedUpload[]) {
    assertCanManageCourse(actor, await this.training.course(courseId));
    const stored = await this.storeAll(staged);
    const now = this.clock.now();
    await this.commitImages(stored, actor.org_id, async (trx) => {
      for (const [i, s] of stored.entries()) {
        await this.training.addAsset(
          { course_id: courseId, blob_sha256: s.sha256, name: staged[i].name, created_at: now },
          trx,
        );
      }
    });
    return {
      assets: stored.map((s, i) => ({ sha256: s.sha256, name: staged[i].name, url: assetUrl(courseId, s.sha256) })),
    };
  }

  /** Practice or exam photos; each becomes an item without a reference until a manager draws one. */
  async addItems(actor: Actor, courseId: number, kind: 'practice' | 'exam', staged: StagedUpload[]) {
    assertCanManageCourse(actor, await this.training.course(courseId));
    const stored = await this.storeAll(staged);
    const now = this.clock.now();
    const rows = await this.commitImages(stored, actor.org_id, async (trx) => {
      const out = [];
      for (const [i, s] of stored.entries()) {
        out.push(
          await this.training.addItem(
            {
              course_id: courseId,
              kind,
              blob_sha256: s.sha256,
              name: staged[i].name,
              width: s.width,
              height: s.height,
              reference: null,
              source: 'editor',
              active: 1,
              created_by: actor.id,
              created_at: now,
              updated_at: now,
            },
            trx,
          ),
        );
      }
      return out;
    });
    return { items: rows.map(managedItemView) };
  }

  /** One item with its reference, for the course's managers. */
  async getItem(actor: Actor, itemId: number) {
    const item = await this.training.item(itemId);
    if (!item) throw notFound('training_item');
    const course = await this.training.course(item.course_id);
    assertCanManageCourse(actor, course);
    return { ...managedItemView(item), template: courseTemplate(course) };
  }

  /** Saves a reference drawn in the gold editor: it must fit the image and leave no point undecided. */
  async setReference(actor: Actor, itemId: number, body: ReferenceBody) {
    const item = await this.training.item(itemId);
    if (!item) throw notFound('training_item');
    const course = await this.training.course(item.course_id);
    assertCanManageCourse(actor, course);
    const template = courseTemplate(course);
    const problems = checkAnnotation(template, item.width, item.height, body.data);
    if (problems.length > 0) throw badRequest(problems[0].code, problems.map((p) => p.message).join('; '), problems);
    const incomplete = goldReferenceProblem(template, body.data, body.notInImage);
    if (incomplete) throw badRequest('reference_incomplete', incomplete.message, incomplete.missing);
    const row = await this.training.updateItem(itemId, {
      reference: JSON.stringify(body.data),
      source: 'editor',
      updated_at: this.clock.now(),
    });
    return managedItemView(row);
  }

  /** Takes an item out of practice and future exams; past attempts keep their scores. */
  async retireItem(actor: Actor, itemId: number) {
    const item = await this.training.item(itemId);
    if (!item) throw notFound('training_item');
    assertCanManageCourse(actor, await this.training.course(item.course_id));
    await this.training.updateItem(itemId, { active: 0, updated_at: this.clock.now() });
    return { id: itemId, active: false };
  }

  /**
   * The blob behind a training image, if the actor may see it: any reader of the course
   * for practice, the course's managers always, and for an exam item only the worker
   * whose open attempt shows it.
   */
  async itemImage(actor: Actor, itemId: number): Promise<string> {
    const item = await this.training.item(itemId);
    if (!item) throw notFound('training_item');
    const course = await this.training.course(item.course_id);
    assertCanReadCourse(actor, course);
    if (isTrainingManager(actor) || item.kind === 'practice') return item.blob_sha256;
    const open = await this.attempts.openAttempt(actor.id, course.id);
    if (!open || !(JSON.parse(open.item_ids) as number[]).includes(item.id)) throw notFound('training_item');
    return item.blob_sha256;
  }

  /** A lesson image, for anyone who may read the course. */
  async assetImage(actor: Actor, courseId: number, sha256: string): Promise<string> {
    assertCanReadCourse(actor, await this.training.course(courseId));
    if (!(await this.training.asset(courseId, sha256))) throw notFound('image');
    return sha256;
  }

  // --- results --------------------------------------------------------------------

  /** Per worker: exam attempts, the latest result, practice done, and the certification. */
  async results(actor: Actor, courseId: number) {
    const course = await this.training.course(courseId);
    assertCanManageCourse(actor, course);
    const [attempts, practice, certs] = await Promise.all([
      this.attempts.courseAttempts(courseId),
      this.attempts.practiceSummary(courseId),
      this.certs.ofOrg(actor.org_id, course.template_id),
    ]);
    const byWorker = new Map<
      number,
      { userId: number; username: string; name: string; attempts: ReturnType<typeof summary>[] }
    >();
    const summary = (a: (typeof attempts)[number]) => ({
      id: a.id,
      status: a.status,
      accuracy: a.accuracy,
      completeness: a.completeness,
      level: a.level,
      startedAt: iso(a.started_at),
      finishedAt: iso(a.finished_at),
    });
    for (const a of attempts) {
      let w = byWorker.get(a.user_id);
      if (!w)
        byWorker.set(a.user_id, (w = { userId: a.user_id, username: a.username, name: a.display_name, attempts: [] }));
      w.attempts.push(summary(a));
    }
    const certByUser = new Map(certs.map((c) => [c.user_id, c]));
    for (const c of certs) {
      if (!byWorker.has(c.user_id))
        byWorker.set(c.user_id, { userId: c.user_id, username: c.username, name: c.display_name, attempts: [] });
    }
    return {
      course: courseView(course),
      workers: [...byWorker.values()].map((w) => {
        const c = certByUser.get(w.userId);
        const p = practice.get(w.userId);
        return {
          ...w,
          practice: { answers: p?.n ?? 0, meanScore: p ? p.mean : null },
          certification: c
            ? { level: c.level, status: c.status, certifiedAt: iso(c.certified_at), byExam: c.attempt_id !== null }
            : null,
        };
      }),
    };
  }

  /** One attempt in full for the course's managers: per item, the score and the answer. */
  async attemptDetail(actor: Actor, attemptId: number) {
    const attempt = await this.attempts.attempt(attemptId);
    if (!attempt) throw notFound('attempt');
    assertCanManageCourse(actor, await this.training.course(attempt.course_id));
    const answers = new Map((await this.attempts.attemptAnswers(attemptId)).map((a) => [a.item_id, a]));
    const ids = JSON.parse(attempt.item_ids) as number[];
    return {
      attempt: attemptSummary(attempt),
      items: ids.map((id, i) => {
        const a = answers.get(id);
        return {
          position: i + 1,
          itemId: id,
          answered: Boolean(a),
          score: a ? a.score : null,
          complete: a ? a.complete === 1 : false,
          data: a ? JSON.parse(a.data) : null,
        };
      }),
    };
  }

  // --- helpers --------------------------------------------------------------------

  private async storeAll(staged: StagedUpload[]): Promise<StoredImage[]> {
    if (staged.length === 0) throw badRequest('no_files', 'The upload held no files.');
    const stored: StoredImage[] = [];
    try {
      for (const f of staged) stored.push(await storeImage(this.store, this.config, f.file, f.name));
    } catch (err) {
      await this.undo(stored);
      throw err;
    }
    return stored;
  }

  /** Records the stored images and whatever `fn` writes in one transaction; undoes the files if it fails. */
  private async commitImages<T>(stored: StoredImage[], orgId: number, fn: (trx: Db) => Promise<T>): Promise<T> {
    const now = this.clock.now();
    try {
      return await withTx(this.db, async (trx) => {
        for (const s of stored) await recordImage(trx, this.blobs, this.store, s, orgId, now);
        return fn(trx);
      });
    } catch (err) {
      await this.undo(stored);
      throw err;
    }
  }

  private async undo(stored: StoredImage[]) {
    for (const s of stored) if (s.created) await this.store.remove(s.sha256);
  }
}

export function assetUrl(courseId: number, sha256: string) {
  return `/api/training/courses/${courseId}/assets/${sha256}`;
}
