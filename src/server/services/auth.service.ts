import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Config } from '../config.js';
import { badRequest, tooManyRequests, unauthorized } from '../errors.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { requireRole, type Actor } from './access.js';
import type { Clock } from './clock.js';
import { TtlCache } from './ttl-cache.js';

/** argon2id with OWASP's second recommended setting (19 MiB, t=2, p=1). */
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, ARGON2);
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/** A hash to verify against when the user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;

/** Sessions are looked up on every request; a logout elsewhere takes effect within this. */
const SESSION_TTL_MS = 2000;

export class AuthService {
  private readonly sessions = new TtlCache<string, Actor | undefined>(SESSION_TTL_MS);

  constructor(
    private readonly users: UserRepository,
    private readonly config: Config,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks a password and opens a session. Failures are counted per user name and
   * address in the database, so the limit holds across server processes.
   */
  async login(username: string, password: string, ip: string) {
    const now = this.clock.now();
    const since = now - this.config.loginWindowSeconds * 1000;
    const failures = await this.users.countLoginFailures(username, ip, since);
    if (failures >= this.config.loginMaxFailures) {
      throw tooManyRequests('login_rate_limited', 'Too many failed logins. Wait a few minutes and try again.');
    }
    const user = await this.users.findByUsername(username);
    dummyHash ??= hashPassword(newToken());
    const ok = await argon2.verify(user?.password_hash ?? (await dummyHash), password);
    if (!user || !ok || user.disabled) {
      await this.users.recordLoginFailure(username, ip, now);
      throw unauthorized('Wrong user name or password.');
    }
    await this.users.clearLoginFailures(username, ip);
    const token = newToken();
    await this.users.createSession(sha256(token), user.id, now, now + this.config.sessionDays * 86_400_000);
    const publicUser = await this.users.get(user.id);
    return { token, user: publicUser! };
  }

  logout(token: string) {
    this.sessions.delete(sha256(token));
    return this.users.deleteSession(sha256(token));
  }

  /** The actor behind a session cookie or a bearer token, if any. */
  async authenticate(sessionToken: string | undefined, bearer: string | undefined): Promise<Actor | undefined> {
    if (bearer) return this.users.findByToken(sha256(bearer));
    if (sessionToken) {
      const id = sha256(sessionToken);
      const now = this.clock.now();
      return this.sessions.get(id, () => this.users.findBySession(id, now), now);
    }
    return undefined;
  }

  /** A bearer token for the calling client user; shown once, stored only as a hash. */
  async createToken(actor: Actor, name: string) {
    requireRole(actor, 'client', 'admin', 'manager');
    if (!name.trim()) throw badRequest('invalid_token_name', 'A token needs a name.');
    const token = `shg_${newToken()}`;
    const row = await this.users.createToken(actor.id, sha256(token), name.trim(), this.clock.now());
    return { ...row, token };
  }
}
