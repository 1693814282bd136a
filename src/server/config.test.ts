import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: Record<string, string | undefined>, overrides: Record<string, unknown> = {}): string[] {
  try {
    loadConfig(env, overrides);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    const dataDir = path.resolve('./data');
    expect(c.port).toBe(8080);
    expect(c.host).toBe('0.0.0.0');
    expect(c.dataDir).toBe(dataDir);
    expect(path.isAbsolute(c.dataDir)).toBe(true);
    expect(c.databaseUrl).toBe(`sqlite:${path.join(dataDir, 'shugu.db')}`);
    expect(c.blobDir).toBe(path.join(dataDir, 'blobs'));
    expect(c.importRoots).toEqual([]);
    expect(c.seedDemo).toBe(true);
    expect(c.secureCookies).toBe(false);
    expect(c.sqliteSync).toBe('GROUP');
    expect(c.loginMaxFailures).toBe(10);
    expect(c.maxImagePixels).toBe(100_000_000);
  });

  it('reads SHUGU_* variables, with the data folder moving the database and blobs', () => {
    const c = loadConfig({
      SHUGU_PORT: '9000',
      SHUGU_DATA_DIR: '/tmp/shugu-cfg',
      SHUGU_SEED_DEMO: '0',
      SHUGU_SECURE_COOKIES: 'yes',
      SHUGU_MAX_IMAGE_PIXELS: '1234',
      SHUGU_LOG_LEVEL: 'warn',
      HOME: '/root',
      SHUGU_TEST_PG: '1',
    });
    expect(c.port).toBe(9000);
    expect(c.dataDir).toBe('/tmp/shugu-cfg');
    expect(c.databaseUrl).toBe('sqlite:/tmp/shugu-cfg/shugu.db');
    expect(c.blobDir).toBe('/tmp/shugu-cfg/blobs');
    expect(c.seedDemo).toBe(false);
    expect(c.secureCookies).toBe(true);
    expect(c.maxImagePixels).toBe(1234);
    expect(c.logLevel).toBe('warn');
  });

  it('lets overrides win over the environment', () => {
    const c = loadConfig({ SHUGU_PORT: '9000' }, { port: '0', databaseUrl: 'postgres://u@h/db', host: undefined });
    expect(c.port).toBe(0);
    expect(c.databaseUrl).toBe('postgres://u@h/db');
    expect(c.host).toBe('0.0.0.0');
  });

  it('reports every bad key together', () => {
    const problems = problemsOf({ SHUGU_PORT: 'abc', SHUGU_DATABASE_URL: 'mysql://x', SHUGU_TYPO: '1' });
    expect(problems).toHaveLength(3);
    expect(problems.some((p) => p.startsWith('SHUGU_PORT:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('SHUGU_DATABASE_URL:'))).toBe(true);
    expect(problems).toContain('SHUGU_TYPO: unknown setting');
    try {
      loadConfig({ SHUGU_PORT: 'abc', SHUGU_DATABASE_URL: 'mysql://x', SHUGU_TYPO: '1' });
    } catch (err) {
      const message = (err as Error).message;
      for (const key of ['SHUGU_PORT', 'SHUGU_DATABASE_URL', 'SHUGU_TYPO']) expect(message).toContain(key);
    }
  });

  it('refuses out-of-range and malformed values', () => {
    expect(problemsOf({ SHUGU_PORT: '70000' })[0]).toMatch(/^SHUGU_PORT:/);
    expect(problemsOf({ SHUGU_SQLITE_SYNC: 'OFF' })[0]).toMatch(/^SHUGU_SQLITE_SYNC:/);
    expect(problemsOf({ SHUGU_LOGIN_MAX_FAILURES: '0' })[0]).toMatch(/^SHUGU_LOGIN_MAX_FAILURES:/);
    expect(problemsOf({}, { notASetting: 1 })).toEqual(['notASetting: unknown setting']);
  });

  it('refuses a boolean that is neither yes nor no', () => {
    expect(problemsOf({ SHUGU_SEED_DEMO: 'maybe' })[0]).toMatch(/^SHUGU_SEED_DEMO:/);
    expect(problemsOf({ SHUGU_SECURE_COOKIES: 'sometimes' })[0]).toMatch(/^SHUGU_SECURE_COOKIES:/);
    for (const no of ['0', 'false', 'No', 'off']) expect(loadConfig({ SHUGU_SEED_DEMO: no }).seedDemo).toBe(false);
    for (const yes of ['1', 'TRUE', 'yes', 'on']) expect(loadConfig({ SHUGU_SEED_DEMO: yes }).seedDemo).toBe(true);
  });

  it("splits import roots on ':' and resolves them", () => {
    const c = loadConfig({ SHUGU_IMPORT_ROOTS: '/srv/a:/srv/b/:relative::' });
    expect(c.importRoots).toEqual(['/srv/a', '/srv/b', path.resolve('relative')]);
  });

  it('accepts PORT as the platform-standard alias', () => {
    expect(loadConfig({ PORT: '3000' }).port).toBe(3000);
  });

  it('trusts no proxy by default, and reads SHUGU_TRUST_PROXY as a comma-separated list', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ SHUGU_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8 ,loopback' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'fd00::/8',
      'loopback',
    ]);
    expect(loadConfig({}, { trustProxy: '192.168.1.2' }).trustProxy).toEqual(['192.168.1.2']);
    for (const bad of ['true', '*', 'proxy.example', '10.0.0.0/33', '10.0.0.1/8/1']) {
      expect(problemsOf({ SHUGU_TRUST_PROXY: bad })[0], bad).toMatch(/^SHUGU_TRUST_PROXY:/);
    }
  });

  it('has login limits per address and a slow-down per name, all configurable', () => {
    const d = loadConfig({});
    expect(d.loginMaxFailuresPerAddress).toBeGreaterThan(d.loginMaxFailures);
    expect(d.loginSlowdownAfter).toBeGreaterThan(d.loginMaxFailuresPerAddress);
    const c = loadConfig({
      SHUGU_LOGIN_MAX_FAILURES_PER_ADDRESS: '7',
      SHUGU_LOGIN_SLOWDOWN_AFTER: '70',
      SHUGU_LOGIN_SLOWDOWN_MS: '0',
    });
    expect([c.loginMaxFailuresPerAddress, c.loginSlowdownAfter, c.loginSlowdownMs]).toEqual([7, 70, 0]);
  });
});
