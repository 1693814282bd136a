import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { InvitationTable } from '../db/types.js';

/** Sign-up invitation codes, stored as hashes. */
export class InvitationRepository {
  constructor(private readonly db: Db) {}

  create(values: Insertable<InvitationTable>) {
    return this.db.insertInto('invitations').values(values).returningAll().executeTakeFirstOrThrow();
  }

  list(orgId: number) {
    return this.db
      .selectFrom('invitations')
      .leftJoin('teams', 'teams.id', 'invitations.team_id')
      .leftJoin('users', 'users.id', 'invitations.created_by')
      .select([
        'invitations.id',
        'invitations.role',
        'invitations.team_id',
        'teams.name as team_name',
        'invitations.expires_at',
        'invitations.max_uses',
        'invitations.uses',
        'invitations.created_at',
        'invitations.revoked_at',
        'users.display_name as created_by_name',
      ])
      .where('invitations.org_id', '=', orgId)
      .orderBy('invitations.id', 'desc')
      .execute();
  }

  get(id: number) {
    return this.db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByHash(codeHash: string, executor: Executor = this.db) {
    return executor
      .selectFrom('invitations')
      .innerJoin('orgs', 'orgs.id', 'invitations.org_id')
      .leftJoin('teams', 'teams.id', 'invitations.team_id')
      .selectAll('invitations')
      .select(['orgs.name as org_name', 'teams.name as team_name'])
      .where('invitations.code_hash', '=', codeHash)
      .executeTakeFirst();
  }

  /**
   * Takes one use of a live invitation; false when it is expired, revoked or used up.
   * The check and the count are one UPDATE, so concurrent sign-ups never pass max_uses.
   */
  async consume(trx: Executor, id: number, now: number): Promise<boolean> {
    const res = await trx
      .updateTable('invitations')
      .set({ uses: sql`uses + 1` })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .whereRef('uses', '<', 'max_uses')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  revoke(id: number, now: number) {
    return this.db
      .updateTable('invitations')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
