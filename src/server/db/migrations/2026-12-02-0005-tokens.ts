import type { Kysely } from 'kysely';

/**
 * API tokens get a scope (`read` or `write`), an optional expiry and the time they
 * were last used; every token made before this is a `write` token that never
 * expires, as it was. The login limits count failures per address across user
 * names, so failures get an index by address too. Frozen.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo('write'))
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'bigint').execute();
  await db.schema.alterTable('api_tokens').addColumn('last_used_at', 'bigint').execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('login_failures_ip').on('login_failures').columns(['ip', 'at']).execute();
}
