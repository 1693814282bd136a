/**
 * Opens the database named by a URL: `sqlite:<path>` (better-sqlite3, WAL) or
 * `postgres://…` (pg pool). Both speak through one Kysely instance; the few places
 * where SQL differs ask `dialectOf(db)`.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import type { Database } from './types.js';
import { noDurabilityWait, WalGroupSync, type Durability } from './durability.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

const dialects = new WeakMap<object, Dialect>();
const sqliteHandles = new WeakMap<object, SQLite.Database>();

/**
 * The better-sqlite3 handle behind a SQLite database, for the one bulk path where
 * building queries costs more than running them (manifest import). Undefined on
 * PostgreSQL. Statements on it run inside whatever transaction Kysely has open, since
 * it is the same single connection.
 */
export function sqliteHandle(db: Kysely<any>): SQLite.Database | undefined {
  return sqliteHandles.get(db);
}

/** Which SQL dialect a database speaks. */
export function dialectOf(db: Kysely<any>): Dialect {
  return dialects.get(db) ?? 'sqlite';
}

// int8 (bigint) columns hold UTC milliseconds and counts, all far below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

export interface OpenOptions {
  sqliteSync?: 'GROUP' | 'FULL' | 'NORMAL';
  poolSize?: number;
}

export function openDatabase(url: string, options: OpenOptions = {}): Db {
  let db: Db;
  let dialect: Dialect;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    // GROUP is NORMAL plus a shared fsync of the log before acknowledging (see durability.ts).
    sqlite.pragma(`synchronous = ${options.sqliteSync === 'FULL' ? 'FULL' : 'NORMAL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 10000');
    // 16 MiB of page cache: the work loop's working set is small, and a streamed export
    // of a million rows would otherwise fill a larger cache and hold it.
    sqlite.pragma('cache_size = -16384');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    dialect = 'sqlite';
    sqliteHandles.set(db, sqlite);
  } else {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 20 });
    // An idle connection that the server ends (restart, failover, pg_terminate_backend)
    // is reported here; the pool has already dropped it and the next query reconnects.
    // Without a listener the 'error' event would crash the process.
    pool.on('error', () => {});
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    dialect = 'postgres';
  }
  dialects.set(db, dialect);
  return db;
}

/**
 * Kysely prepares every query anew; better-sqlite3's prepare costs more than most
 * of our queries take to run, so statements are kept by their SQL text. Kysely
 * holds one connection at a time, so a cached statement is never used twice at once.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        if (cache.size >= 1000) cache.clear();
        stmt = sqlite.prepare(text);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

/** How writes on this database are made durable before they are acknowledged. */
export function durabilityFor(url: string, sync: 'GROUP' | 'FULL' | 'NORMAL'): Durability {
  if (!url.startsWith('sqlite:') || sync !== 'GROUP') return noDurabilityWait;
  const file = url.slice('sqlite:'.length);
  return file === ':memory:' ? noDurabilityWait : new WalGroupSync(`${path.resolve(file)}-wal`);
}

/** Brings the schema up to date; safe to run from several processes at once. */
export async function migrate(db: Db): Promise<void> {
  const dialect = dialectOf(db);
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(migrations).map(([name, m]) => [name, { up: (k: Kysely<any>) => m.up(k, dialect) }]),
      );
    },
  };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${(error as Error).message ?? error}`);
  }
}
