import type { Kysely } from 'kysely';

/** Gold items, scores, worker standing, consensus and review. Frozen. */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idCol = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const real = dialect === 'postgres' ? 'double precision' : 'real';

  const projectColumns: [string, string, unknown][] = [
    ['gold_rate', real, 0],
    ['warn_below', real, 0.75],
    ['suspend_below', real, 0.6],
    ['min_gold', 'integer', 5],
    ['review_rate', real, 0],
    ['agreement_threshold', real, 0.5],
    ['low_agreement_action', 'text', 'review'],
    ['consensus_method', 'text', 'median'],
  ];
  for (const [name, type, def] of projectColumns) {
    await db.schema
      .alterTable('projects')
      .addColumn(name, type as any, (c) => c.notNull().defaultTo(def))
      .execute();
  }
  // More overlap for items whose answers disagree.
  await db.schema
    .alterTable('items')
    .addColumn('extra_overlap', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('items')
    .addColumn('review_state', 'text', (c) => c.notNull().defaultTo('none'))
    .execute();
  await db.schema
    .alterTable('annotations')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('submitted'))
    .execute();
  await db.schema.createIndex('items_gold').on('items').columns(['project_id', 'is_gold', 'id']).execute();
  await db.schema.createIndex('items_review').on('items').columns(['project_id', 'review_state', 'id']).execute();

  await db.schema
    .createTable('gold_answers')
    .addColumn('item_id', 'integer', (c) => c.primaryKey().references('items.id'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('gold_scores')
    .addColumn('id', id, idCol)
    .addColumn('annotation_id', 'integer', (c) => c.notNull().unique().references('annotations.id'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('score', real, (c) => c.notNull())
    .addColumn('nme', real)
    .addColumn('swapped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('feedback', 'text', (c) => c.notNull())
    .addColumn('per_point', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('gold_scores_worker')
    .on('gold_scores')
    .columns(['project_id', 'worker_id', 'id'])
    .execute();

  await db.schema
    .createTable('worker_standing')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('accuracy', real)
    .addColumn('gold_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('worker_standing_pk', ['project_id', 'worker_id'])
    .execute();

  await db.schema
    .createTable('consensus')
    .addColumn('item_id', 'integer', (c) => c.primaryKey().references('items.id'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('agreement', real, (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('submissions', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consensus_project').on('consensus').columns(['project_id', 'item_id']).execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', id, idCol)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('annotation_id', 'integer', (c) => c.notNull().references('annotations.id'))
    .addColumn('reviewer_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text')
    .addColumn('comment', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reviews_annotation').on('reviews').column('annotation_id').execute();
}
