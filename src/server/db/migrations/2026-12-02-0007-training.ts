import { sql, type Kysely } from 'kysely';

/**
 * Training and certification: courses per template, lessons with their images,
 * practice and exam items (an image and a reference answer kept here, never in
 * `items`, so they can never be leased as work nor used as gold), practice answers and
 * exam attempts with per-item scores, and certifications per worker and template.
 * Frozen.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const ms = 'bigint';
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  const idCol = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('training_courses')
    .addColumn('id', id, idCol)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    // The template's `id`; the snapshot beside it is what practice and exams score with.
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('pass_accuracy', real, (c) => c.notNull())
    .addColumn('pass_completeness', real, (c) => c.notNull())
    .addColumn('level2_accuracy', real, (c) => c.notNull())
    .addColumn('level3_accuracy', real, (c) => c.notNull())
    .addColumn('cooldown_minutes', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    // One course per template in an organisation: its exam is what certifies the template.
    .addUniqueConstraint('training_courses_org_template', ['org_id', 'template_id'])
    .execute();

  await db.schema
    .createTable('training_lessons')
    .addColumn('id', id, idCol)
    .addColumn('course_id', 'integer', (c) => c.notNull().references('training_courses.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('training_lessons_course')
    .on('training_lessons')
    .columns(['course_id', 'position'])
    .execute();

  // Images a course's lessons show, stored as blobs like item images.
  await db.schema
    .createTable('training_assets')
    .addColumn('course_id', 'integer', (c) => c.notNull().references('training_courses.id'))
    .addColumn('blob_sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('training_assets_pk', ['course_id', 'blob_sha256'])
    .execute();

  await db.schema
    .createTable('training_items')
    .addColumn('id', id, idCol)
    .addColumn('course_id', 'integer', (c) => c.notNull().references('training_courses.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('blob_sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    // The reference answer (JSON); an item without one is not used yet.
    .addColumn('reference', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('editor'))
    // Retired items stay for the attempts that used them.
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('training_items_course')
    .on('training_items')
    .columns(['course_id', 'kind', 'position'])
    .execute();

  await db.schema
    .createTable('training_attempts')
    .addColumn('id', id, idCol)
    .addColumn('course_id', 'integer', (c) => c.notNull().references('training_courses.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    // The exam's items in the order this attempt shows them (JSON array of ids).
    .addColumn('item_ids', 'text', (c) => c.notNull())
    .addColumn('pass_accuracy', real, (c) => c.notNull())
    .addColumn('pass_completeness', real, (c) => c.notNull())
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('finished_at', ms)
    .addColumn('accuracy', real)
    .addColumn('completeness', real)
    .addColumn('level', 'integer')
    .execute();
  await db.schema
    .createIndex('training_attempts_user')
    .on('training_attempts')
    .columns(['user_id', 'course_id', 'id'])
    .execute();
  // At most one open exam per worker and course, also when two requests race.
  await db.schema
    .createIndex('training_attempts_one_open')
    .on('training_attempts')
    .columns(['user_id', 'course_id'])
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute();

  await db.schema
    .createTable('training_answers')
    .addColumn('id', id, idCol)
    .addColumn('course_id', 'integer', (c) => c.notNull().references('training_courses.id'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('training_items.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // Null for practice; the exam attempt otherwise.
    .addColumn('attempt_id', 'integer', (c) => c.references('training_attempts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('score', real, (c) => c.notNull())
    .addColumn('complete', 'integer', (c) => c.notNull())
    // Practice: [pointIndex, px] pairs of the points placed in both, for "what to practise next".
    .addColumn('point_px', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  // One answer per exam item and attempt (practice rows have no attempt and may repeat).
  await db.schema
    .createIndex('training_answers_attempt_item')
    .on('training_answers')
    .columns(['attempt_id', 'item_id'])
    .unique()
    .where(sql.ref('attempt_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('training_answers_user')
    .on('training_answers')
    .columns(['user_id', 'course_id', 'kind'])
    .execute();

  await db.schema
    .createTable('certifications')
    .addColumn('id', id, idCol)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('certified_at', ms, (c) => c.notNull())
    // The passed exam, or null when a manager (or the seed) granted it.
    .addColumn('course_id', 'integer', (c) => c.references('training_courses.id'))
    .addColumn('attempt_id', 'integer', (c) => c.references('training_attempts.id'))
    .addColumn('granted_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', ms, (c) => c.notNull())
    // The lease looks a worker's certification up by this key on every call.
    .addUniqueConstraint('certifications_user_template', ['user_id', 'template_id'])
    .execute();
}
