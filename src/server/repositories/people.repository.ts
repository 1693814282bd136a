import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { Database, OneTimeCodeTable, ProfileChangeTable, UserTable } from '../db/types.js';
import type { PeopleQuery } from '../../core/api/people.js';

/**
 * A person's whole profile, household status and consent included: for managers and
 * admins only, never for the actor of a session (see `publicUserColumns`).
 */
export const profileColumns = [
  'users.id',
  'users.org_id',
  'users.username',
  'users.display_name',
  'users.role',
  'users.disabled',
  'users.phone',
  'users.county',
  'users.township',
  'users.village',
  'users.household',
  'users.start_date',
  'users.end_date',
  'users.consent_named',
  'users.must_change_password',
  'users.team_id',
  'users.created_at',
] as const;

const teamName = (eb: ExpressionBuilder<Database, 'users'>) =>
  eb.selectFrom('teams').select('teams.name').whereRef('teams.id', '=', 'users.team_id').as('team_name');

export type ProfileRow = NonNullable<Awaited<ReturnType<PeopleRepository['get']>>>;

/** People of an organisation: profiles, their change log and one-time codes. */
export class PeopleRepository {
  constructor(private readonly db: Db) {}

  list(orgId: number, query: PeopleQuery) {
    let q = this.db
      .selectFrom('users')
      .select(profileColumns)
      .select(teamName)
      .where('users.org_id', '=', orgId)
      .where('users.role', 'in', query.role ? [query.role] : ['worker', 'reviewer'])
      .orderBy('users.id');
    if (query.teamId !== undefined) q = q.where('users.team_id', '=', query.teamId);
    if (query.household !== undefined) q = q.where('users.household', '=', query.household);
    if (query.status === 'active') q = q.where('users.disabled', '=', 0);
    if (query.status === 'disabled') q = q.where('users.disabled', '=', 1);
    if (query.q) {
      // Wildcards are dropped rather than escaped: LIKE escapes differ between the two databases.
      const like = `%${query.q.replace(/[%_\\]/g, '')}%`;
      q = q.where((eb) =>
        eb.or(
          (['users.display_name', 'users.username', 'users.phone', 'users.village'] as const).map((c) =>
            eb(c, 'like', like),
          ),
        ),
      );
    }
    return q.execute();
  }

  get(id: number, executor: Executor = this.db) {
    return executor
      .selectFrom('users')
      .select(profileColumns)
      .select(teamName)
      .where('users.id', '=', id)
      .executeTakeFirst();
  }

  /** Several people by id, only those of `orgId`. */
  listByIds(orgId: number, ids: number[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('users')
      .select(['id', 'role', 'team_id', 'disabled'])
      .where('org_id', '=', orgId)
      .where('id', 'in', ids)
      .execute();
  }

  insert(trx: Executor, values: Insertable<UserTable>) {
    return trx.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
  }

  update(trx: Executor, id: number, values: Updateable<UserTable>) {
    return trx.updateTable('users').set(values).where('id', '=', id).execute();
  }

  passwordHash(id: number) {
    return this.db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  }

  // --- profile change log -------------------------------------------------------

  logChanges(trx: Executor, rows: Insertable<ProfileChangeTable>[]) {
    if (rows.length === 0) return Promise.resolve();
    return trx.insertInto('profile_changes').values(rows).execute();
  }

  changes(userId: number) {
    return this.db
      .selectFrom('profile_changes')
      .leftJoin('users as by', 'by.id', 'profile_changes.changed_by')
      .select([
        'profile_changes.id',
        'profile_changes.field',
        'profile_changes.old_value',
        'profile_changes.new_value',
        'profile_changes.at',
        'profile_changes.changed_by',
        'by.display_name as changed_by_name',
      ])
      .where('profile_changes.user_id', '=', userId)
      .orderBy('profile_changes.id', 'desc')
      .execute();
  }

  // --- user names and phones ----------------------------------------------------

  /** Every user name shaped like a sequence name (`w…`), for the next number. */
  async sequenceNames(executor: Executor = this.db): Promise<string[]> {
    const rows = await executor.selectFrom('users').select('username').where('username', 'like', 'w%').execute();
    return rows.map((r) => r.username);
  }

  /** Which of `names` are taken, in any organisation (user names are global). */
  async takenUsernames(names: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < names.length; i += 500) {
      const rows = await this.db
        .selectFrom('users')
        .select('username')
        .where('username', 'in', names.slice(i, i + 500))
        .execute();
      for (const r of rows) out.add(r.username);
    }
    return out;
  }

  async phonesInOrg(orgId: number): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('users')
      .select('phone')
      .where('org_id', '=', orgId)
      .where('phone', 'is not', null)
      .execute();
    return new Set(rows.map((r) => r.phone!));
  }

  // --- sessions and one-time codes ----------------------------------------------

  deleteSessions(trx: Executor, userId: number) {
    return trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  /** Replaces any earlier code of the person: only the newest one is live. */
  async putOneTimeCode(trx: Executor, values: Insertable<OneTimeCodeTable>) {
    await trx.deleteFrom('one_time_codes').where('user_id', '=', values.user_id).execute();
    await trx.insertInto('one_time_codes').values(values).execute();
  }

  markCodeUsed(trx: Executor, userId: number, now: number) {
    return trx
      .updateTable('one_time_codes')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
  }
}
