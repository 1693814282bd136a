import { sql, type Kysely, type Transaction } from 'kysely';
import { dialectOf } from './database.js';
import type { Database } from './types.js';

export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Runs `fn` in a transaction. On SQLite the transaction begins IMMEDIATE, taking the
 * write lock up front, so a second process (the CLI beside a running server) waits
 * on busy_timeout instead of failing on a lock upgrade.
 */
export async function withTx<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (dialectOf(db) === 'postgres') return db.transaction().execute(fn);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

/** True when `err` is a unique-constraint violation on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
