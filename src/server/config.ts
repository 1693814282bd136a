/**
 * Configuration, parsed once at start from the environment and CLI flags. Nothing
 * else in the server reads `process.env`. Every bad key is reported together.
 */
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** An address, a CIDR range, or one of proxy-addr's names for reserved ranges. */
function isProxyAddress(s: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(s)) return true;
  const [addr, bits, ...rest] = s.split('/');
  const family = net.isIP(addr);
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

const configSchema = z.object({
  host: z.string().min(1).default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  dataDir: z.string().min(1).default('./data'),
  /** `sqlite:<path>` (default `sqlite:<dataDir>/shugu.db`) or a `postgres://` URL. */
  databaseUrl: z
    .string()
    .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'must start with sqlite: or postgres://')
    .optional(),
  /** Folder for image blobs (default `<dataDir>/blobs`). */
  blobDir: z.string().min(1).optional(),
  /** Images larger than this many pixels are refused (pixel bombs). */
  maxImagePixels: z.coerce.number().int().positive().default(100_000_000),
  /** Largest single upload (file or zip) in bytes. */
  maxUploadBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024 * 1024),
  /** Largest total uncompressed size of one zip archive, in bytes (zip bombs). */
  maxZipBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024 * 1024),
  /** Failed logins allowed per user name and address in `loginWindowSeconds`. */
  loginMaxFailures: z.coerce.number().int().positive().default(10),
  /** Failed logins allowed per address across all user names in the window (password spraying). */
  loginMaxFailuresPerAddress: z.coerce.number().int().positive().default(50),
  /**
   * Failures of one user name across all addresses in the window after which every
   * further attempt on that name waits `loginSlowdownMs` first. It never refuses, so
   * nobody can lock a user out from addresses that are not the user's own.
   */
  loginSlowdownAfter: z.coerce.number().int().positive().default(100),
  loginSlowdownMs: z.coerce.number().int().min(0).max(60_000).default(1000),
  loginWindowSeconds: z.coerce.number().int().positive().default(900),
  /**
   * Reverse proxies whose X-Forwarded-For / -Proto / -Host headers are believed:
   * addresses or CIDR ranges (or `loopback`, `linklocal`, `uniquelocal`). Empty
   * (the default) trusts none: the client address is the socket's.
   */
  trustProxy: z.array(z.string().refine(isProxyAddress, 'must be IP addresses or CIDR ranges')).default([]),
  sessionDays: z.coerce.number().positive().default(14),
  /** Folders the CLI and the manifest import may read image files from. */
  importRoots: z.array(z.string()).default([]),
  /**
   * SQLite durability. GROUP (default): writes are acknowledged after a shared fsync of
   * the write-ahead log, which survives power loss at a fraction of FULL's cost;
   * FULL: fsync on every commit; NORMAL: survives a process crash, not a power cut.
   */
  sqliteSync: z.enum(['GROUP', 'FULL', 'NORMAL']).default('GROUP'),
  /** Seed a demo organisation, users and project when the database is empty. */
  seedDemo: z.boolean().default(true),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Mark cookies Secure (behind HTTPS). */
  secureCookies: z.boolean().default(false),
});

export type Config = z.infer<typeof configSchema> & {
  databaseUrl: string;
  blobDir: string;
};

/** Environment variable → config key. */
const ENV_KEYS: Record<string, keyof z.infer<typeof configSchema>> = {
  SHUGU_HOST: 'host',
  SHUGU_PORT: 'port',
  PORT: 'port',
  SHUGU_DATA_DIR: 'dataDir',
  SHUGU_DATABASE_URL: 'databaseUrl',
  SHUGU_BLOB_DIR: 'blobDir',
  SHUGU_MAX_IMAGE_PIXELS: 'maxImagePixels',
  SHUGU_MAX_UPLOAD_BYTES: 'maxUploadBytes',
  SHUGU_MAX_ZIP_BYTES: 'maxZipBytes',
  SHUGU_LOGIN_MAX_FAILURES: 'loginMaxFailures',
  SHUGU_LOGIN_WINDOW_SECONDS: 'loginWindowSeconds',
  SHUGU_LOGIN_MAX_FAILURES_PER_ADDRESS: 'loginMaxFailuresPerAddress',
  SHUGU_LOGIN_SLOWDOWN_AFTER: 'loginSlowdownAfter',
  SHUGU_LOGIN_SLOWDOWN_MS: 'loginSlowdownMs',
  SHUGU_TRUST_PROXY: 'trustProxy',
  SHUGU_SESSION_DAYS: 'sessionDays',
  SHUGU_IMPORT_ROOTS: 'importRoots',
  SHUGU_SQLITE_SYNC: 'sqliteSync',
  SHUGU_SEED_DEMO: 'seedDemo',
  SHUGU_LOG_LEVEL: 'logLevel',
  SHUGU_SECURE_COOKIES: 'secureCookies',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const BOOLEAN_KEYS = new Set(['seedDemo', 'secureCookies']);

function coerceRaw(key: string, value: string): unknown {
  if (key === 'importRoots') return value.split(path.delimiter).filter(Boolean);
  if (key === 'trustProxy') {
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (BOOLEAN_KEYS.has(key)) {
    if (/^(1|true|yes|on)$/i.test(value)) return true;
    if (/^(0|false|no|off)$/i.test(value)) return false;
    return value; // reported as invalid below
  }
  return value;
}

/**
 * Builds the configuration from environment variables (`SHUGU_*`) overlaid by
 * explicit overrides (CLI flags, tests). Unknown `SHUGU_*` variables are errors, so a
 * typo is caught at start rather than silently ignored.
 */
export function loadConfig(env: Record<string, string | undefined>, overrides: Record<string, unknown> = {}): Config {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const key = ENV_KEYS[name];
    if (!key) {
      if (name.startsWith('SHUGU_') && !name.startsWith('SHUGU_TEST_')) problems.push(`${name}: unknown setting`);
      continue;
    }
    raw[key] = coerceRaw(key, value);
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(key in configSchema.shape)) {
      problems.push(`${key}: unknown setting`);
      continue;
    }
    raw[key] = typeof value === 'string' ? coerceRaw(key, value) : value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const envName = (key: string) => Object.keys(ENV_KEYS).find((k) => ENV_KEYS[k] === key) ?? key;
    for (const issue of parsed.error.issues) problems.push(`${envName(String(issue.path[0]))}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const c = parsed.data;
  const dataDir = path.resolve(c.dataDir);
  return {
    ...c,
    dataDir,
    databaseUrl: c.databaseUrl ?? `sqlite:${path.join(dataDir, 'shugu.db')}`,
    blobDir: path.resolve(c.blobDir ?? path.join(dataDir, 'blobs')),
    importRoots: c.importRoots.map((r) => path.resolve(r)),
  };
}
