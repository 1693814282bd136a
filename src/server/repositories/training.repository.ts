import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { TrainingAssetTable, TrainingCourseTable, TrainingItemTable, TrainingLessonTable } from '../db/types.js';

/** Courses, their lessons, lesson images and practice/exam items. */
export class TrainingRepository {
  constructor(private readonly db: Db) {}

  // --- courses --------------------------------------------------------------------

  createCourse(values: Insertable<TrainingCourseTable>, executor: Executor = this.db) {
    return executor.insertInto('training_courses').values(values).returningAll().executeTakeFirstOrThrow();
  }

  course(id: number) {
    return this.db.selectFrom('training_courses').selectAll().where('id', '=', id).executeTakeFirst();
  }

  courseForTemplate(orgId: number, templateId: string) {
    return this.db
      .selectFrom('training_courses')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('template_id', '=', templateId)
      .executeTakeFirst();
  }

  courses(orgId: number, publishedOnly: boolean) {
    let q = this.db.selectFrom('training_courses').selectAll().where('org_id', '=', orgId);
    if (publishedOnly) q = q.where('status', '=', 'published');
    return q.orderBy('id').execute();
  }

  updateCourse(id: number, values: Updateable<TrainingCourseTable>) {
    return this.db
      .updateTable('training_courses')
      .set(values)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  // --- lessons --------------------------------------------------------------------

  async addLesson(values: Omit<Insertable<TrainingLessonTable>, 'position'>, executor: Executor = this.db) {
    const last = await executor
      .selectFrom('training_lessons')
      .select((eb) => eb.fn.max<number>('position').as('p'))
      .where('course_id', '=', values.course_id)
      .executeTakeFirst();
    const position = Number(last?.p ?? 0) + 1;
    return executor
      .insertInto('training_lessons')
      .values({ ...values, position })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  lesson(id: number) {
    return this.db.selectFrom('training_lessons').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A course's lessons in order; `withBody` false leaves the markdown out. */
  lessons(courseId: number) {
    return this.db
      .selectFrom('training_lessons')
      .select(['id', 'course_id', 'position', 'title', 'updated_at'])
      .where('course_id', '=', courseId)
      .orderBy('position')
      .orderBy('id')
      .execute();
  }

  lessonsWithBody(courseId: number) {
    return this.db
      .selectFrom('training_lessons')
      .selectAll()
      .where('course_id', '=', courseId)
      .orderBy('position')
      .orderBy('id')
      .execute();
  }

  updateLesson(id: number, values: Updateable<TrainingLessonTable>) {
    return this.db
      .updateTable('training_lessons')
      .set(values)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  deleteLesson(id: number) {
    return this.db.deleteFrom('training_lessons').where('id', '=', id).execute();
  }

  // --- lesson images --------------------------------------------------------------

  addAsset(values: Insertable<TrainingAssetTable>, executor: Executor = this.db) {
    return executor
      .insertInto('training_assets')
      .values(values)
      .onConflict((oc) => oc.columns(['course_id', 'blob_sha256']).doNothing())
      .execute();
  }

  asset(courseId: number, sha256: string) {
    return this.db
      .selectFrom('training_assets')
      .selectAll()
      .where('course_id', '=', courseId)
      .where('blob_sha256', '=', sha256)
      .executeTakeFirst();
  }

  assets(courseId: number) {
    return this.db
      .selectFrom('training_assets')
      .selectAll()
      .where('course_id', '=', courseId)
      .orderBy('created_at')
      .execute();
  }

  // --- practice and exam items ----------------------------------------------------

  async addItem(values: Omit<Insertable<TrainingItemTable>, 'position'>, executor: Executor = this.db) {
    const last = await executor
      .selectFrom('training_items')
      .select((eb) => eb.fn.max<number>('position').as('p'))
      .where('course_id', '=', values.course_id)
      .where('kind', '=', values.kind)
      .executeTakeFirst();
    const position = Number(last?.p ?? 0) + 1;
    return executor
      .insertInto('training_items')
      .values({ ...values, position })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  item(id: number) {
    return this.db.selectFrom('training_items').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A course's active items of one kind, or of both, in order. */
  items(courseId: number, kind?: 'practice' | 'exam') {
    let q = this.db.selectFrom('training_items').selectAll().where('course_id', '=', courseId).where('active', '=', 1);
    if (kind) q = q.where('kind', '=', kind);
    return q.orderBy('kind').orderBy('position').orderBy('id').execute();
  }

  /** Active items that have a reference: the ones practice and exams use. */
  async usableItems(courseId: number, kind: 'practice' | 'exam') {
    return (await this.items(courseId, kind)).filter((i) => i.reference !== null);
  }

  async itemsByIds(ids: number[], executor: Executor = this.db) {
    if (ids.length === 0) return [];
    return executor.selectFrom('training_items').selectAll().where('id', 'in', ids).execute();
  }

  updateItem(id: number, values: Updateable<TrainingItemTable>) {
    return this.db
      .updateTable('training_items')
      .set(values)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Counts per course and kind of the usable items, for course lists. */
  async itemCounts(courseIds: number[]) {
    const out = new Map<number, { practice: number; exam: number; lessons: number }>();
    for (const id of courseIds) out.set(id, { practice: 0, exam: 0, lessons: 0 });
    if (courseIds.length === 0) return out;
    const items = await this.db
      .selectFrom('training_items')
      .select((eb) => ['course_id', 'kind', eb.fn.countAll<number>().as('n')])
      .where('course_id', 'in', courseIds)
      .where('active', '=', 1)
      .where('reference', 'is not', null)
      .groupBy(['course_id', 'kind'])
      .execute();
    for (const r of items) out.get(r.course_id)![r.kind] = Number(r.n);
    const lessons = await this.db
      .selectFrom('training_lessons')
      .select((eb) => ['course_id', eb.fn.countAll<number>().as('n')])
      .where('course_id', 'in', courseIds)
      .groupBy('course_id')
      .execute();
    for (const r of lessons) out.get(r.course_id)!.lessons = Number(r.n);
    return out;
  }
}
