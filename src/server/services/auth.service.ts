import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Config } from '../config.js';
import type { TokenScope } from '../db/types.js';
import { AppError, tooManyRequests, unauthorized } from '../errors.js';
import type { LoginFailureRepository } from '../repositories/login-failure.repository.js';
import type { TokenRepository } from '../repositories/token.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import type { Actor } from './access.js';
import { addressKey } from './address-key.js';
import type { Clock } from './clock.js';
import { TtlCache } from './ttl-cache.js';

/** argon2id with OWASP's second recommended setting (19 MiB, t=2, p=1). */
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, ARGON2);
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

/** A hash to verify against when the user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;

/** Sessions are looked up on every request; a logout elsewhere takes effect within this. */
const SESSION_TTL_MS = 2000;
/** A token's `last_used_at` is written at most this often, not on every request. */
const TOKEN_TOUCH_MS = 60_000;
/** Old failures are swept at most this often. */
const PRUNE_EVERY_MS = 60_000;

/** How a request proved who it is: a browser session (an ambient cookie) or a bearer token. */
export type Credential = { kind: 'session' } | { kind: 'token'; tokenId: number; scope: TokenScope };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class AuthService {
  private readonly sessions = new TtlCache<string, Actor | undefined>(SESSION_TTL_MS);
  private prunedAt = 0;

  constructor(
    private readonly users: UserRepository,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly tokens: TokenRepository,
    private readonly failures: LoginFailureRepository,
  ) {}

  /**
   * Checks a password and opens a session. Failures are counted in the database, so
   * the limits hold across server processes, under three keys (docs/security.md):
   * this name from this address and this address across names are limited; this
   * name across all addresses is only slowed down, so that nobody can lock a user
   * out from addresses that are not the user's. `ip` is the client address as the
   * app derives it (the socket's, or a trusted proxy's report of it).
   */
  async login(username: string, password: string, ip: string) {
    const now = this.clock.now();
    const since = now - this.config.loginWindowSeconds * 1000;
    const address = addressKey(ip);
    await this.pruneFailures(now, since);
    // The attempt counts as a failure before its password is checked, so parallel
    // guesses see each other and a burst cannot slip past the limit.
    const attempt = await this.failures.record(username, address, now);
    const seen = await this.failures.count(username, address, since);
    if (seen.pair > this.config.loginMaxFailures || seen.address > this.config.loginMaxFailuresPerAddress) {
      await this.failures.forget(attempt);
      throw tooManyRequests('login_rate_limited', 'Too many failed logins. Wait a few minutes and try again.');
    }
    if (seen.name > this.config.loginSlowdownAfter) await sleep(this.config.loginSlowdownMs);
    const user = await this.users.findByUsername(username);
    dummyHash ??= hashPassword(newToken());
    const ok = await argon2.verify(user?.password_hash ?? (await dummyHash), password);
    if (!user || !ok || user.disabled) throw unauthorized('Wrong user name or password.');
    if (user.must_change_password && (await this.users.expiredOneTimeCode(user.id, now))) {
      throw new AppError(
        401,
        'one_time_code_expired',
        'This one-time code has expired; ask your manager for a new one.',
      );
    }
    await this.failures.clear(username, address);
    const token = newToken();
    await this.users.createSession(sha256(token), user.id, now, now + this.config.sessionDays * 86_400_000);
    const publicUser = await this.users.get(user.id);
    return { token, user: publicUser! };
  }

  private async pruneFailures(now: number, since: number) {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    await this.failures.prune(since);
  }

  logout(token: string) {
    this.sessions.delete(sha256(token));
    return this.users.deleteSession(sha256(token));
  }

  /**
   * The actor behind a bearer token or a session cookie, with the credential used. A
   * request that names a bearer token is judged by the token alone.
   */
  async authenticate(
    sessionToken: string | undefined,
    bearer: string | undefined,
  ): Promise<{ actor: Actor; credential: Credential } | undefined> {
    const now = this.clock.now();
    if (bearer) {
      const row = await this.tokens.findLive(sha256(bearer), now);
      if (!row) return undefined;
      const { token_id, token_scope, token_last_used_at, ...actor } = row;
      if (token_last_used_at === null || now - token_last_used_at >= TOKEN_TOUCH_MS) {
        await this.tokens.touch(token_id, now);
      }
      return { actor, credential: { kind: 'token', tokenId: token_id, scope: token_scope } };
    }
    if (sessionToken) {
      const id = sha256(sessionToken);
      const actor = await this.sessions.get(id, () => this.users.findBySession(id, now), now);
      return actor ? { actor, credential: { kind: 'session' } } : undefined;
    }
    return undefined;
  }
}
