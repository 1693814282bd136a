import { sql, type Kysely } from 'kysely';

/**
 * The base's people: profile columns on users, the editable household status list,
 * teams, project membership, the profile change log, invitation codes and one-time
 * login codes. Frozen.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const ms = 'bigint';
  const idCol = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());

  // Official categories change with policy periods, so they are rows an admin edits, not an enum.
  await db.schema
    .createTable('household_statuses')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('label_zh', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db
    .insertInto('household_statuses')
    .values([
      {
        code: 'registered_poor',
        label_zh: '建档立卡贫困户',
        label_en: 'Registered poor household',
        sort: 10,
        active: 1,
      },
      { code: 'lifted', label_zh: '脱贫户', label_en: 'Lifted out of poverty (still registered)', sort: 20, active: 1 },
      { code: 'monitored', label_zh: '防止返贫监测对象', label_en: 'Monitored household', sort: 30, active: 1 },
      { code: 'none', label_zh: '一般户', label_en: 'None', sort: 90, active: 1 },
    ])
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', id, idCol)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lead_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addUniqueConstraint('teams_org_name', ['org_id', 'name'])
    .execute();

  // SQLite accepts a REFERENCES clause in ADD COLUMN when the default is NULL.
  await db.schema.alterTable('users').addColumn('phone', 'text').execute();
  await db.schema.alterTable('users').addColumn('start_date', 'text').execute();
  await db.schema.alterTable('users').addColumn('end_date', 'text').execute();
  await db.schema
    .alterTable('users')
    .addColumn('consent_named', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .execute();
  await db.schema.createIndex('users_team').on('users').column('team_id').execute();

  // One row per person or per team; a project without rows is open to all the org's workers.
  await db.schema
    .createTable('project_members')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addCheckConstraint('project_members_one_of', sql`(user_id is null) <> (team_id is null)`)
    .execute();
  // The lease gate asks "does this project have members, and is this worker one?" on every lease.
  await db.schema
    .createIndex('project_members_project')
    .on('project_members')
    .columns(['project_id', 'user_id', 'team_id'])
    .execute();
  // Partial unique indexes: NULLs never collide in a plain unique key on either database.
  await db.schema
    .createIndex('project_members_user')
    .on('project_members')
    .columns(['project_id', 'user_id'])
    .unique()
    .where(sql.ref('user_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('project_members_team')
    .on('project_members')
    .columns(['project_id', 'team_id'])
    .unique()
    .where(sql.ref('team_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('profile_changes')
    .addColumn('id', id, idCol)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('changed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('profile_changes_user').on('profile_changes').columns(['user_id', 'id']).execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', id, idCol)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('max_uses', 'integer', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('revoked_at', ms)
    .execute();
  await db.schema.createIndex('invitations_org').on('invitations').columns(['org_id', 'id']).execute();

  // At most one live code per person: a new reset replaces the old one.
  await db.schema
    .createTable('one_time_codes')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('used_at', ms)
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
}
