import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * Gold that cannot be timed, counted or told apart by its id. Frozen.
 *
 * - `items.lease_order`: a random key per item. The lease walks regular items in this
 *   order and picks gold by it, so the order a worker meets items in says nothing about
 *   when they were uploaded or which are gold. Existing items get random keys; the
 *   indexes that walked `id` now walk `lease_order`.
 * - `assignments.lease_count` / `skip_count`: how often this worker was given the item
 *   and gave it back (skipped, released or let expire). An item given back returns to
 *   her later by re-leasing the same row, so "never twice" stays a unique key; the
 *   counts feed the skip rule (gold skip rate against regular skip rate).
 * - `annotations.decide_at`: a gold answer is scored at once for her standing, but it
 *   is accepted (paid, shown as decided) only when a regular answer would be.
 * - project settings: `max_extra_overlap`, `gold_skip_action`, `gold_skip_margin`,
 *   `feedback_batch`.
 * - `server_keys`: the secret that turns ids into the opaque ones a worker sees.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const real = dialect === 'postgres' ? 'double precision' : 'real';

  await db.schema
    .alterTable('items')
    .addColumn('lease_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // A uniform key in [0, 2^31 − 1): neither dialect can add a column with a random default.
  const random = dialect === 'postgres' ? sql`floor(random() * 2147483647)::integer` : sql`abs(random() % 2147483647)`;
  await sql`update items set lease_order = ${random}`.execute(db);

  await db.schema.dropIndex('items_leasable').execute();
  await db.schema
    .createIndex('items_leasable_order')
    .on('items')
    .columns(['project_id', 'lease_order'])
    .where(sql.ref('open'), '=', 1)
    .where(sql.ref('is_gold'), '=', 0)
    .execute();
  await db.schema.dropIndex('items_gold_only').execute();
  await db.schema
    .createIndex('items_gold_order')
    .on('items')
    .columns(['project_id', 'lease_order'])
    .where(sql.ref('is_gold'), '=', 1)
    .execute();

  await db.schema
    .alterTable('assignments')
    .addColumn('lease_count', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('assignments')
    .addColumn('skip_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update assignments set skip_count = 1 where status in ('skipped', 'released', 'expired')`.execute(db);

  await db.schema.alterTable('annotations').addColumn('decide_at', 'bigint').execute();
  await db.schema
    .createIndex('annotations_decide_at')
    .on('annotations')
    .column('decide_at')
    .where(sql.ref('decide_at'), 'is not', null)
    .execute();

  const projectColumns: [string, string, unknown][] = [
    // Extra answers "ask one more worker" may add to one item; past it the item goes to review.
    ['max_extra_overlap', 'integer', 2],
    // What the skip rule does: none, warn or suspend.
    ['gold_skip_action', 'text', 'suspend'],
    // How far her gold skip rate may exceed her regular one before the rule acts.
    ['gold_skip_margin', real, 0.25],
    // Her own quality page shows her standing as of her last completed batch of this many answers.
    ['feedback_batch', 'integer', 10],
  ];
  for (const [name, type, def] of projectColumns) {
    await db.schema
      .alterTable('projects')
      .addColumn(name, type as any, (c) => c.notNull().defaultTo(def))
      .execute();
  }

  await db.schema
    .createTable('server_keys')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('server_keys')
    .values({ name: 'worker_ids', value: randomBytes(32).toString('hex') })
    .execute();
}
