import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPgDatabase, hasPostgres, pgAdminUrl } from '../../../test/helpers/databases.js';
import { openDatabase } from './database.js';

describe.skipIf(!hasPostgres)('PostgreSQL pool', () => {
  it('survives the server ending its idle connections (restart, failover, pg_terminate_backend)', async () => {
    const { url, drop } = await createPgDatabase();
    const db = openDatabase(url);
    try {
      await sql`select 1`.execute(db);
      const admin = new pg.Client({ connectionString: pgAdminUrl });
      await admin.connect();
      const killed = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [new URL(url).pathname.slice(1)],
      );
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);
      // Let the idle client see its connection die; without a pool error handler the
      // process would crash here with an unhandled 'error' event.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const res = await sql<{ n: number }>`select 2 as n`.execute(db);
      expect(res.rows[0].n).toBe(2);
    } finally {
      await db.destroy();
      await drop();
    }
  });
});
