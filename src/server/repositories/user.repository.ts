import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { UserTable } from '../db/types.js';

/**
 * Columns safe to hand to any caller: never the password hash, and never household
 * status or consent, which only managers and admins read (people.repository.ts).
 */
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
  'users.must_change_password',
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

  /** Users of a vendor organisation and of its client organisations. */
  listByTenancy(vendorOrgId: number) {
    return this.db
      .selectFrom('users')
      .innerJoin('orgs', 'orgs.id', 'users.org_id')
      .select(publicUserColumns)
      .where((eb) => eb.or([eb('orgs.id', '=', vendorOrgId), eb('orgs.vendor_org_id', '=', vendorOrgId)]))
      .orderBy('users.id')
      .execute();
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

  // --- login rate limit (the password login itself uses LoginFailureRepository) ---

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

  /** Whether `code` is on the editable household status list and in use. */
  async isActiveHousehold(code: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('household_statuses')
      .select('active')
      .where('code', '=', code)
      .executeTakeFirst();
    return row?.active === 1;
  }

  /** The user's unused one-time code if it has run out (a reset's code is her password until she sets one). */
  expiredOneTimeCode(userId: number, now: number) {
    return this.db
      .selectFrom('one_time_codes')
      .select('expires_at')
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .where('expires_at', '<=', now)
      .executeTakeFirst();
  }
}

export type PublicUser = NonNullable<Awaited<ReturnType<UserRepository['get']>>>;
