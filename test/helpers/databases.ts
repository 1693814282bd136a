/**
 * The dialect matrix. SQLite always runs. PostgreSQL runs when SHUGU_TEST_PG names a
 * server (a URL, or `1` for the default) and is then required, or when one answers at
 * 127.0.0.1:5432; otherwise its tests skip with a message saying what to install.
 * Each test database is created fresh and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';

export type TestDialect = 'sqlite' | 'postgres';

const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';
const requested = process.env.SHUGU_TEST_PG;
export const pgAdminUrl = requested && requested !== '1' && requested.includes('://') ? requested : DEFAULT_PG;
export const pgRequired = Boolean(requested && requested !== '0');

function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || 5432) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const pgAvailable = await reachable(pgAdminUrl);
if (pgRequired && !pgAvailable) {
  throw new Error(`SHUGU_TEST_PG is set but no PostgreSQL answers at ${pgAdminUrl}`);
}
if (!pgAvailable) {
  console.warn(
    `PostgreSQL tests skipped: no server at ${pgAdminUrl}. Install one (apt-get install postgresql) or set SHUGU_TEST_PG to its URL.`,
  );
}

/** The dialects this run covers. */
export const dialects: TestDialect[] = pgAvailable ? ['sqlite', 'postgres'] : ['sqlite'];
export const hasPostgres = pgAvailable;

/** A fresh empty PostgreSQL database; returns its URL and a function that drops it. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `shugu_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(pgAdminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
