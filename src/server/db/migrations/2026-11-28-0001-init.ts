import type { Kysely } from 'kysely';

/** Frozen: later changes go in new migrations. */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const ms = 'bigint';
  const idCol = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('orgs')
    .addColumn('id', id, idCol)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', id, idCol)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN'))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('county', 'text')
    .addColumn('township', 'text')
    .addColumn('village', 'text')
    .addColumn('household', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_org').on('users').column('org_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', id, idCol)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('revoked_at', ms)
    .execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('id', id, idCol)
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_failures_key').on('login_failures').columns(['username', 'ip', 'at']).execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', id, idCol)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('client_org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('instructions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('overlap', 'integer', (c) => c.notNull())
    .addColumn('lease_seconds', 'integer', (c) => c.notNull())
    .addColumn('piece_rate_fen', 'integer', (c) => c.notNull())
    .addColumn('max_instances', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('orientation', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('has_preview', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('items')
    .addColumn('id', id, idCol)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('blob_sha256', 'text', (c) => c.references('blobs.sha256'))
    .addColumn('source_path', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text')
    .addColumn('is_gold', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('open', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('submitted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  // The lease query walks open items of a project in id order.
  await db.schema.createIndex('items_lease').on('items').columns(['project_id', 'open', 'id']).execute();
  await db.schema.createIndex('items_project').on('items').columns(['project_id', 'id']).execute();
  await db.schema.createIndex('items_blob').on('items').columns(['project_id', 'blob_sha256']).execute();

  await db.schema
    .createTable('assignments')
    .addColumn('id', id, idCol)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('leased_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('ended_at', ms)
    .addColumn('skip_reason', 'text')
    // A worker never gets an item twice: the database itself refuses it.
    .addUniqueConstraint('assignments_item_worker', ['item_id', 'worker_id'])
    .execute();
  await db.schema.createIndex('assignments_expiry').on('assignments').columns(['status', 'expires_at']).execute();
  await db.schema.createIndex('assignments_worker').on('assignments').columns(['worker_id', 'status']).execute();

  await db.schema
    .createTable('annotations')
    .addColumn('id', id, idCol)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id'))
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('client_submission_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('instance_count', 'integer', (c) => c.notNull())
    .addColumn('active_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addUniqueConstraint('annotations_idempotency', ['worker_id', 'client_submission_id'])
    .addUniqueConstraint('annotations_assignment', ['assignment_id'])
    .execute();
  await db.schema.createIndex('annotations_project').on('annotations').columns(['project_id', 'id']).execute();
  await db.schema.createIndex('annotations_item').on('annotations').column('item_id').execute();
}
