import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { UserTable } from '../db/types.js';

/** Columns safe to hand to any caller: never the password hash. */
export const publicUserColumns = [
  'users.id',
  'users.org_id',
  'users.username',
  'users.display_name',
  'users.role',
  'users.locale',
  'users.disabled',
  'users.county',
  'users.township',
  'users.village',
  'users.household',
  'users.created_at',
] as const;

export class UserRepository {
  constructor(private readonly db: Db) {}

  create(values: Insertable<UserTable>) {
    return this.db.insertInto('users').values(values).returning(publicUserColumns).executeTakeFirstOrThrow();
  }

  findByUsername(username: string) {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  get(id: number) {
    return this.db.selectFrom('users').select(publicUserColumns).where('id', '=', id).executeTakeFirst();
  }

  listByOrg(orgId: number | null) {
    let q = this.db.selectFrom('users').select(publicUserColumns).orderBy('id');
    if (orgId !== null) q = q.where('org_id', '=', orgId);
    return q.execute();
  }

  // --- sessions -------------------------------------------------------------

  createSession(id: string, userId: number, now: number, expiresAt: number) {
    return this.db
      .insertInto('sessions')
      .values({ id, user_id: userId, created_at: now, expires_at: expiresAt })
      .execute();
  }

  /** The user behind a live session, or undefined. */
  findBySession(sessionId: string, now: number) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(publicUserColumns)
      .where('sessions.id', '=', sessionId)
      .where('sessions.expires_at', '>', now)
      .where('users.disabled', '=', 0)
      .executeTakeFirst();
  }

  deleteSession(sessionId: string) {
    return this.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
  }

  deleteExpiredSessions(now: number) {
    return this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  }

  // --- bearer tokens ----------------------------------------------------------

  createToken(userId: number, tokenHash: string, name: string, now: number) {
    return this.db
      .insertInto('api_tokens')
      .values({ user_id: userId, token_hash: tokenHash, name, created_at: now })
      .returning(['id', 'name', 'created_at'])
      .executeTakeFirstOrThrow();
  }

  findByToken(tokenHash: string) {
    return this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(publicUserColumns)
      .where('api_tokens.token_hash', '=', tokenHash)
      .where('api_tokens.revoked_at', 'is', null)
      .where('users.disabled', '=', 0)
      .executeTakeFirst();
  }

  // --- login rate limit -------------------------------------------------------

  recordLoginFailure(username: string, ip: string, now: number) {
    return this.db.insertInto('login_failures').values({ username, ip, at: now }).execute();
  }

  async countLoginFailures(username: string, ip: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('username', '=', username)
      .where('ip', '=', ip)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  clearLoginFailures(username: string, ip: string) {
    return this.db.deleteFrom('login_failures').where('username', '=', username).where('ip', '=', ip).execute();
  }
}

export type PublicUser = NonNullable<Awaited<ReturnType<UserRepository['get']>>>;
