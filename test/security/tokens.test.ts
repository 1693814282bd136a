/**
 * Hole 8: tokens could not be listed or revoked, a token could mint more tokens, and
 * none ever expired. Tokens now have a scope (read / write) and an optional expiry,
 * are listed without their secret, are revoked by id, and only a person (a session)
 * creates them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator, type Kysely, type Migration } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectOf, migrate, openDatabase } from '../../src/server/db/database.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import { sha256 } from '../../src/server/services/auth.service.js';
import { createPgDatabase, dialects, type TestDialect } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/harness.js';

const DAY = 86_400_000;

describe.each(dialects)('API tokens on %s', (dialect) => {
  let t: TestApp;
  let manager: { id: number; headers: Record<string, string> };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  const mint = (headers: Record<string, string>, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers, payload: body });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const list = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/auth/tokens', headers });
  const revoke = (headers: Record<string, string>, id: number | string) =>
    t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers });
  const count = async (table: 'api_tokens' | 'projects') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const newProjectBody = { name: 'By token', templateId: 'face-5', overlap: 1, leaseSeconds: 600 };

  it('lists the caller’s tokens with name, scope and dates, never the secret', async () => {
    const a = await mint(manager.headers, { name: 'pipeline' });
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ name: 'pipeline', scope: 'write', expiresAt: null, revokedAt: null });
    const b = await mint(manager.headers, { name: 'dashboard', scope: 'read', expiresInDays: 30 });
    expect(b.statusCode).toBe(201);
    expect(b.json().expiresAt).toBe(new Date(t.clock.now() + 30 * DAY).toISOString());
    // Someone else's token is not listed.
    const other = await t.newUser('other', 'manager');
    expect((await mint(other.headers, { name: 'theirs' })).statusCode).toBe(201);

    // Use the first token once, so it shows when it was last used.
    t.clock.advance(5000);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(a.json().token) })).statusCode).toBe(
      200,
    );
    const res = await list(manager.headers);
    expect(res.statusCode).toBe(200);
    const tokens = res.json().tokens as Record<string, unknown>[];
    expect(tokens.map((x) => x.name)).toEqual(['pipeline', 'dashboard']);
    expect(tokens[0]).toEqual({
      id: a.json().id,
      name: 'pipeline',
      scope: 'write',
      createdAt: new Date(t.clock.now() - 5000).toISOString(),
      expiresAt: null,
      lastUsedAt: new Date(t.clock.now()).toISOString(),
      revokedAt: null,
    });
    expect(tokens[1]).toMatchObject({ name: 'dashboard', scope: 'read', lastUsedAt: null });
    const body = res.body;
    for (const secret of [a.json().token, b.json().token]) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain(sha256(secret));
    }
  });

  it('revokes a token by id; another user’s token id answers like a missing one', async () => {
    const a = await mint(manager.headers, { name: 'old' });
    const other = await t.newUser('other', 'manager');
    const theirs = await mint(other.headers, { name: 'theirs' });

    const foreign = await revoke(manager.headers, theirs.json().id);
    const missing = await revoke(manager.headers, 999_999);
    expect(foreign.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(foreign.json()).toEqual(missing.json());
    expect(foreign.json().error.id).toBe('token_not_found');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(theirs.json().token) })).statusCode,
    ).toBe(200);

    const res = await revoke(manager.headers, a.json().id);
    expect(res.statusCode).toBe(200);
    expect(res.json().token).toMatchObject({ id: a.json().id, revokedAt: new Date(t.clock.now()).toISOString() });
    const after = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(a.json().token) });
    expect(after.statusCode).toBe(401);
    expect((await list(manager.headers)).json().tokens[0].revokedAt).toBe(new Date(t.clock.now()).toISOString());
    // Revoking again changes nothing.
    t.clock.advance(1000);
    const again = await revoke(manager.headers, a.json().id);
    expect(again.statusCode).toBe(200);
    expect(again.json().token.revokedAt).toBe(res.json().token.revokedAt);
  });

  it('a read token reads, and is refused every write with token_scope', async () => {
    const r = await mint(manager.headers, { name: 'reader', scope: 'read' });
    const h = bearer(r.json().token);
    expect((await t.app.inject({ method: 'GET', url: '/api/projects', headers: h })).statusCode).toBe(200);
    const before = await count('projects');
    const writes = [
      await t.app.inject({ method: 'POST', url: '/api/projects', headers: h, payload: newProjectBody }),
      await t.app.inject({ method: 'PATCH', url: '/api/projects/1', headers: h, payload: { name: 'x' } }),
      await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${r.json().id}`, headers: h }),
      await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: h, payload: { name: 'more' } }),
    ];
    for (const res of writes) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.id).toBe('token_scope');
    }
    expect(await count('projects')).toBe(before);
    expect(await count('api_tokens')).toBe(1);
    // A write token of the same user may write.
    const w = await mint(manager.headers, { name: 'writer' });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(w.json().token),
      payload: newProjectBody,
    });
    expect(ok.statusCode).toBe(201);
  });

  it('a token cannot mint tokens, whatever its scope', async () => {
    const w = await mint(manager.headers, { name: 'writer', scope: 'write' });
    const res = await mint(bearer(w.json().token), { name: 'child' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.id).toBe('token_cannot_mint');
    expect(await count('api_tokens')).toBe(1);
  });

  it('expires a token at its expiry, given in days or as a date', async () => {
    const days = await mint(manager.headers, { name: 'a day', expiresInDays: 1 });
    const at = new Date(t.clock.now() + 2 * 3_600_000).toISOString();
    const dated = await mint(manager.headers, { name: 'two hours', expiresAt: at });
    expect(dated.statusCode).toBe(201);
    expect(dated.json().expiresAt).toBe(at);
    const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
    expect((await me(days.json().token)).statusCode).toBe(200);
    expect((await me(dated.json().token)).statusCode).toBe(200);
    t.clock.advance(2 * 3_600_000);
    expect((await me(dated.json().token)).statusCode).toBe(401);
    expect((await me(days.json().token)).statusCode).toBe(200);
    t.clock.advance(DAY);
    expect((await me(days.json().token)).statusCode).toBe(401);
  });

  it('refuses a bad expiry or scope, creating nothing', async () => {
    const bad = [
      { name: 'past', expiresAt: new Date(t.clock.now() - 1000).toISOString() },
      { name: 'both', expiresInDays: 1, expiresAt: new Date(t.clock.now() + DAY).toISOString() },
      { name: 'zero', expiresInDays: 0 },
      { name: 'forever', expiresInDays: 1e9 },
      { name: 'not a date', expiresAt: 'tomorrow' },
      { name: 'admin scope', scope: 'admin' },
    ];
    for (const payload of bad) {
      const res = await mint(manager.headers, payload);
      expect(res.statusCode, payload.name).toBe(400);
      expect(['invalid_request', 'token_expiry_past'], payload.name).toContain(res.json().error.id);
    }
    expect(await count('api_tokens')).toBe(0);
  });
});

describe.each(dialects)('the tokens migration on %s', (dialect) => {
  let cleanup = async () => {};
  afterEach(async () => cleanup());

  it('makes tokens that existed before it write tokens without expiry', async () => {
    const { db, drop } = await freshDatabase(dialect);
    cleanup = drop;
    const earlier = Object.fromEntries(
      Object.entries(migrations).filter(([name]) => name < '2026-12-02-0005-tokens'),
    ) as Record<string, { up: (db: Kysely<any>, d: 'sqlite' | 'postgres') => Promise<void> }>;
    const provider = {
      getMigrations: async (): Promise<Record<string, Migration>> =>
        Object.fromEntries(
          Object.entries(earlier).map(([name, m]) => [name, { up: (k: Kysely<any>) => m.up(k, dialectOf(db)) }]),
        ),
    };
    const { error } = await new Migrator({ db, provider }).migrateToLatest();
    expect(error).toBeUndefined();
    const any = db as unknown as Kysely<any>;
    const org = await any
      .insertInto('orgs')
      .values({ name: 'o', kind: 'vendor', created_at: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await any
      .insertInto('users')
      .values({ org_id: org.id, username: 'c', display_name: 'c', password_hash: 'x', role: 'client', created_at: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await any
      .insertInto('api_tokens')
      .values({ user_id: user.id, token_hash: 'h', name: 'old', created_at: 1 })
      .execute();
    await migrate(db);
    const row = await any.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'old', scope: 'write', expires_at: null, last_used_at: null, revoked_at: null });
  });
});

async function freshDatabase(dialect: TestDialect) {
  if (dialect === 'postgres') {
    const created = await createPgDatabase();
    const db = openDatabase(created.url);
    return {
      db,
      drop: async () => {
        await db.destroy();
        await created.drop();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-mig-'));
  const db = openDatabase(`sqlite:${path.join(dir, 'shugu.db')}`);
  return {
    db,
    drop: async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
