import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/server/app.js';
import { sha256 } from '../../src/server/services/auth.service.js';
import { dialects } from '../helpers/databases.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

describe.each(dialects)('auth on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  const login = (username: string, password = PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const cookieOf = (res: Awaited<ReturnType<typeof login>>) =>
    res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/me', headers });
  const count = async (table: 'sessions' | 'login_failures' | 'api_tokens') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('sessions', () => {
    beforeEach(async () => {
      t = await startTestApp(dialect, { loginMaxFailures: 3 });
    });

    it('logs in with an httpOnly cookie, and /api/me shows the user without the hash', async () => {
      const u = await t.newUser('alice', 'manager');
      const res = await login('alice');
      expect(res.statusCode).toBe(200);
      const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
      expect(cookie).toBeDefined();
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.path).toBe('/');
      expect(cookie.sameSite?.toLowerCase()).toBe('lax');
      expect(cookie.value.length).toBeGreaterThanOrEqual(40);
      expect(res.json().user).toMatchObject({ id: u.id, username: 'alice', role: 'manager', org_id: t.vendor.id });
      expect(res.json().user).not.toHaveProperty('password_hash');
      // The session is stored by hash only.
      const stored = await t.ctx.db.selectFrom('sessions').select('id').execute();
      expect(stored.map((s) => s.id)).toContain(sha256(cookie.value));
      expect(stored.map((s) => s.id)).not.toContain(cookie.value);

      const who = await me({ cookie: `${SESSION_COOKIE}=${cookie.value}` });
      expect(who.statusCode).toBe(200);
      expect(who.json().user).toMatchObject({ id: u.id, username: 'alice', role: 'manager' });
      expect(JSON.stringify(who.json())).not.toContain('password_hash');
      expect(JSON.stringify(who.json())).not.toContain('argon2');

      const anon = await me({});
      expect(anon.statusCode).toBe(401);
      expect(anon.json().error.id).toBe('unauthorized');
      const forged = await me({ cookie: `${SESSION_COOKIE}=not-a-session` });
      expect(forged.statusCode).toBe(401);
    });

    it('refuses a wrong password or an unknown user with 401, setting no cookie', async () => {
      await t.newUser('alice', 'manager');
      const sessionsBefore = await count('sessions');
      for (const res of [await login('alice', 'wrong password'), await login('nobody', PASSWORD)]) {
        expect(res.statusCode).toBe(401);
        expect(res.json().error.id).toBe('unauthorized');
        expect(res.cookies).toHaveLength(0);
      }
      expect(await count('sessions')).toBe(sessionsBefore);
      expect(await count('login_failures')).toBe(2);
    });

    it('rate-limits after loginMaxFailures failures, even with the right password', async () => {
      await t.newUser('alice', 'manager');
      for (let i = 0; i < 3; i++) {
        const res = await login('alice', `wrong ${i}`);
        expect(res.statusCode).toBe(401);
      }
      const sessionsBefore = await count('sessions');
      const limited = await login('alice');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.id).toBe('login_rate_limited');
      expect(limited.cookies).toHaveLength(0);
      expect(await count('sessions')).toBe(sessionsBefore);
      // Another user name from the same address is not affected.
      await t.newUser('bob', 'worker');
      // After the window the right password works again and clears the count.
      t.clock.advance(t.config.loginWindowSeconds * 1000 + 1);
      const ok = await login('alice');
      expect(ok.statusCode).toBe(200);
      expect(await t.ctx.db.selectFrom('login_failures').where('username', '=', 'alice').selectAll().execute()).toEqual(
        [],
      );
    });

    it('forgets earlier failures after a successful login', async () => {
      await t.newUser('alice', 'manager');
      for (let i = 0; i < 2; i++) expect((await login('alice', 'nope nope')).statusCode).toBe(401);
      expect((await login('alice')).statusCode).toBe(200);
      for (let i = 0; i < 2; i++) expect((await login('alice', 'nope nope')).statusCode).toBe(401);
      expect((await login('alice')).statusCode).toBe(200);
    });

    it('logout ends the session on the server, not just in the browser', async () => {
      await t.newUser('alice', 'manager');
      const res = await login('alice');
      const headers = { cookie: cookieOf(res) };
      expect((await me(headers)).statusCode).toBe(200);
      const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers });
      expect(out.statusCode).toBe(200);
      const cleared = out.cookies.find((c) => c.name === SESSION_COOKIE);
      expect(cleared?.value ?? '').toBe('');
      // The old cookie, replayed, no longer works.
      const replay = await me(headers);
      expect(replay.statusCode).toBe(401);
      expect(replay.json().error.id).toBe('unauthorized');
    });

    it('a disabled user cannot log in, and their live session stops working', async () => {
      const u = await t.newUser('alice', 'manager');
      expect((await me(u.headers)).statusCode).toBe(200);
      await t.ctx.db.updateTable('users').set({ disabled: 1 }).where('id', '=', u.id).execute();
      // Sessions are cached per process for up to two seconds.
      t.clock.advance(2001);
      expect((await me(u.headers)).statusCode).toBe(401);
      const res = await login('alice');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.id).toBe('unauthorized');
    });

    it('answers malformed JSON with invalid_json and missing fields with invalid_request', async () => {
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": "alice", ',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.id).toBe('invalid_json');
      const missing = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice' } });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.id).toBe('invalid_request');
      expect(missing.json().error.message).toContain('password');
      const wrongType = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'alice', password: 12345678 },
      });
      expect(wrongType.statusCode).toBe(400);
      expect(wrongType.json().error.id).toBe('invalid_request');
      expect(await count('login_failures')).toBe(0);
    });
  });

  describe('bearer tokens', () => {
    beforeEach(async () => {
      t = await startTestApp(dialect);
    });

    it('a client user creates a token and lists its projects with it; revoked and unknown tokens get 401', async () => {
      const admin = await t.newUser('admin', 'admin');
      const manager = await t.newUser('manager', 'manager');
      const org = await t.app.inject({
        method: 'POST',
        url: '/api/orgs',
        headers: admin.headers,
        payload: { name: 'Client Co', kind: 'client' },
      });
      expect(org.statusCode).toBe(201);
      const clientOrgId = org.json().id as number;
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin.headers,
        payload: { orgId: clientOrgId, username: 'client', password: PASSWORD, role: 'client' },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).not.toHaveProperty('password_hash');
      const project = await t.newProject(manager.headers, { name: 'For the client', clientOrgId });
      await t.newProject(manager.headers, { name: 'Internal' });

      const session = await login('client');
      const clientHeaders = { cookie: cookieOf(session) };
      const tok = await t.app.inject({
        method: 'POST',
        url: '/api/auth/tokens',
        headers: clientHeaders,
        payload: { name: 'pipeline' },
      });
      expect(tok.statusCode).toBe(201);
      const token = tok.json().token as string;
      expect(token).toMatch(/^shg_[A-Za-z0-9_-]{40,}$/);
      expect(tok.json().name).toBe('pipeline');
      // Stored as a hash only.
      const rows = await t.ctx.db.selectFrom('api_tokens').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toBe(sha256(token));
      expect(JSON.stringify(rows)).not.toContain(token);

      const bearer = { authorization: `Bearer ${token}` };
      const list = await t.app.inject({ method: 'GET', url: '/api/projects', headers: bearer });
      expect(list.statusCode).toBe(200);
      expect(list.json().projects.map((p: { id: number }) => p.id)).toEqual([project.id]);
      expect((await me(bearer)).json().user.username).toBe('client');

      const unknown = await t.app.inject({
        method: 'GET',
        url: '/api/projects',
        headers: { authorization: `Bearer shg_${'x'.repeat(43)}` },
      });
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json().error.id).toBe('unauthorized');

      await t.ctx.db.updateTable('api_tokens').set({ revoked_at: t.clock.now() }).execute();
      const revoked = await t.app.inject({ method: 'GET', url: '/api/projects', headers: bearer });
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json().error.id).toBe('unauthorized');
    });

    it('refuses tokens to workers, and tokens without a name', async () => {
      const w = await t.newUser('w1', 'worker');
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/tokens',
        headers: w.headers,
        payload: { name: 'mine' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.id).toBe('role_not_allowed');
      const m = await t.newUser('m1', 'manager');
      for (const payload of [{}, { name: '' }]) {
        const bad = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: m.headers, payload });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error.id).toBe('invalid_request');
      }
      const blank = await t.app.inject({
        method: 'POST',
        url: '/api/auth/tokens',
        headers: m.headers,
        payload: { name: '   ' },
      });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().error.id).toBe('invalid_token_name');
      const anon = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'x' } });
      expect(anon.statusCode).toBe(401);
      expect(await count('api_tokens')).toBe(0);
    });
  });
});
