/**
 * Hole 2: the login limit was keyed on an address taken from X-Forwarded-For, which
 * any client can write. The address is now the socket's unless the peer is a proxy
 * named in SHUGU_TRUST_PROXY; failures are limited per (name, address) and per
 * address, and a name under attack from many addresses is only slowed, never locked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

describe.each(dialects)('login limits on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  const login = (username: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      headers,
      payload: { username, password },
    });
  const failures = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom('login_failures')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const sessions = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom('sessions')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('ignores X-Forwarded-For from an untrusted peer: 30 forged addresses still hit the limit', async () => {
    t = await startTestApp(dialect);
    await t.newUser('alice', 'manager');
    const attacker = '203.0.113.66';
    const codes: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await login('alice', `guess ${i}`, attacker, { 'x-forwarded-for': `10.9.${i >> 8}.${i & 255}` });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, t.config.loginMaxFailures)).toEqual(Array(t.config.loginMaxFailures).fill(401));
    expect(codes.slice(t.config.loginMaxFailures)).toEqual(Array(30 - t.config.loginMaxFailures).fill(429));
    const before = await sessions();
    // The right password from the attacker's address is refused too, with another forged header.
    const right = await login('alice', PASSWORD, attacker, { 'x-forwarded-for': '192.0.2.200' });
    expect(right.statusCode).toBe(429);
    expect(right.json().error.id).toBe('login_rate_limited');
    expect(right.cookies).toHaveLength(0);
    expect(await sessions()).toBe(before);
    // The real user, from her own address, is not locked out.
    const real = await login('alice', PASSWORD, '198.51.100.7');
    expect(real.statusCode).toBe(200);
    expect(real.cookies.length).toBeGreaterThan(0);
  });

  it('behind a trusted proxy, takes the address the proxy appended, not the forged ones before it', async () => {
    t = await startTestApp(dialect, { trustProxy: '127.0.0.1, 10.0.0.0/8' });
    await t.newUser('alice', 'manager');
    const viaProxy = (password: string, xff: string) =>
      login('alice', password, '127.0.0.1', { 'x-forwarded-for': xff });
    for (let i = 0; i < t.config.loginMaxFailures; i++) {
      expect((await viaProxy(`guess ${i}`, `192.0.2.${i}, 203.0.113.66`)).statusCode).toBe(401);
    }
    const limited = await viaProxy('guess again', '192.0.2.250, 203.0.113.66');
    expect(limited.statusCode).toBe(429);
    expect((await viaProxy(PASSWORD, '192.0.2.251, 203.0.113.66')).statusCode).toBe(429);
    // Every recorded failure names the real client address.
    const ips = await t.ctx.db.selectFrom('login_failures').select('ip').distinct().execute();
    expect(ips.map((r) => r.ip)).toEqual(['203.0.113.66']);
    // The real user behind the same proxy, from another address, logs in.
    expect((await viaProxy(PASSWORD, '198.51.100.7')).statusCode).toBe(200);
    // A peer that is not a trusted proxy cannot choose its address with the header.
    for (let i = 0; i < t.config.loginMaxFailures; i++) {
      await login('alice', `x ${i}`, '203.0.113.99', { 'x-forwarded-for': `198.51.100.${i}` });
    }
    const untrusted = await login('alice', PASSWORD, '203.0.113.99', { 'x-forwarded-for': '198.51.100.7' });
    expect(untrusted.statusCode).toBe(429);
  });

  it('limits failures per address across user names (password spraying)', async () => {
    t = await startTestApp(dialect, { loginMaxFailuresPerAddress: 5 });
    await t.newUser('alice', 'manager');
    const sprayer = '203.0.113.66';
    for (let i = 0; i < 5; i++) expect((await login(`user${i}`, 'Spring2026!', sprayer)).statusCode).toBe(401);
    const next = await login('user9', 'Spring2026!', sprayer);
    expect(next.statusCode).toBe(429);
    expect(next.json().error.id).toBe('login_rate_limited');
    // Even a right password from that address waits for the window…
    expect((await login('alice', PASSWORD, sprayer)).statusCode).toBe(429);
    // …while every other address is unaffected.
    expect((await login('alice', PASSWORD, '198.51.100.7')).statusCode).toBe(200);
    // Refused attempts are not recorded, so hammering does not grow the counts.
    expect(await failures()).toBe(5);
    t.clock.advance(t.config.loginWindowSeconds * 1000 + 1);
    expect((await login('alice', PASSWORD, sprayer)).statusCode).toBe(200);
  });

  it('a name attacked from many addresses is slowed down, never locked: its owner still logs in', async () => {
    t = await startTestApp(dialect, { loginMaxFailures: 3, loginSlowdownAfter: 6, loginSlowdownMs: 400 });
    await t.newUser('alice', 'manager');
    for (let a = 0; a < 4; a++) {
      for (let i = 0; i < 5; i++) await login('alice', `guess ${i}`, `203.0.113.${a}`);
    }
    // 4 addresses × 3 counted failures each: past the slow-down mark, every attacker address limited.
    expect(await failures()).toBe(12);
    expect((await login('alice', PASSWORD, '203.0.113.0')).statusCode).toBe(429);
    const started = Date.now();
    const owner = await login('alice', PASSWORD, '198.51.100.7');
    expect(owner.statusCode).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    // Another user is neither limited nor slowed.
    await t.newUser('bob', 'worker');
    const t0 = Date.now();
    expect((await login('bob', PASSWORD, '198.51.100.8')).statusCode).toBe(200);
    expect(Date.now() - t0).toBeLessThan(390);
  });

  it('parallel guesses from one address cannot pass the limit', async () => {
    t = await startTestApp(dialect, { loginMaxFailures: 5 });
    await t.newUser('alice', 'manager');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login('alice', `parallel ${i}`, '203.0.113.66')),
    );
    const wrong = results.filter((r) => r.statusCode === 401).length;
    const limited = results.filter((r) => r.statusCode === 429).length;
    expect(wrong + limited).toBe(20);
    // Each attempt is counted before its password is checked, so a burst cannot slip
    // past the count; refused attempts leave nothing behind.
    expect(wrong).toBeLessThanOrEqual(5);
    expect(await failures()).toBe(wrong);
    for (let i = wrong; i < 5; i++) expect((await login('alice', `more ${i}`, '203.0.113.66')).statusCode).toBe(401);
    expect((await login('alice', PASSWORD, '203.0.113.66')).statusCode).toBe(429);
  });

  it('counts an IPv6 client by its /64, so rotating addresses in one subnet does not help', async () => {
    t = await startTestApp(dialect);
    await t.newUser('alice', 'manager');
    for (let i = 1; i <= t.config.loginMaxFailures; i++) {
      expect((await login('alice', `guess ${i}`, `2001:db8:1:2::${i.toString(16)}`)).statusCode).toBe(401);
    }
    expect((await login('alice', PASSWORD, '2001:db8:1:2:ffff:ffff:ffff:ffff')).statusCode).toBe(429);
    expect((await login('alice', PASSWORD, '2001:db8:1:3::1')).statusCode).toBe(200);
    // An IPv4 client seen through an IPv6 socket is the same client as plain IPv4.
    for (let i = 0; i < t.config.loginMaxFailures; i++) await login('alice', `v4 ${i}`, '::ffff:198.51.100.9');
    expect((await login('alice', PASSWORD, '198.51.100.9')).statusCode).toBe(429);
  });
});
