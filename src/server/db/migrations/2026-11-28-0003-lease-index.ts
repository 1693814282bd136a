import { sql, type Kysely } from 'kysely';

/**
 * The lease query walks a project's open regular items in id order. A partial index
 * holding only those rows keeps the walk short however many items are done; with the
 * old indexes the planner preferred `items_gold` and stepped over every closed item.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('items_leasable')
    .on('items')
    .columns(['project_id', 'id'])
    .where(sql.ref('open'), '=', 1)
    .where(sql.ref('is_gold'), '=', 0)
    .execute();
  await db.schema.dropIndex('items_lease').execute();
  // Gold items are few: a partial index for them, which the lease query cannot mistake for its own.
  await db.schema.dropIndex('items_gold').execute();
  await db.schema
    .createIndex('items_gold_only')
    .on('items')
    .columns(['project_id', 'id'])
    .where(sql.ref('is_gold'), '=', 1)
    .execute();
}
