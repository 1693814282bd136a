import { sql, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { TeamTable } from '../db/types.js';

/** Teams, their members, and which people and teams a project is given to. */
export class TeamRepository {
  constructor(private readonly db: Db) {}

  list(orgId: number) {
    return this.db
      .selectFrom('teams')
      .leftJoin('users as lead', 'lead.id', 'teams.lead_user_id')
      .select((eb) => [
        'teams.id',
        'teams.name',
        'teams.lead_user_id',
        'lead.display_name as lead_name',
        'teams.created_at',
        eb
          .selectFrom('users')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('users.team_id', '=', 'teams.id')
          .as('members'),
      ])
      .where('teams.org_id', '=', orgId)
      .orderBy('teams.name')
      .execute();
  }

  get(id: number, executor: Executor = this.db) {
    return executor.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByName(trx: Executor, orgId: number, name: string) {
    return trx.selectFrom('teams').selectAll().where('org_id', '=', orgId).where('name', '=', name).executeTakeFirst();
  }

  create(trx: Executor, orgId: number, name: string, leadUserId: number | null, now: number) {
    return trx
      .insertInto('teams')
      .values({ org_id: orgId, name, lead_user_id: leadUserId, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  update(id: number, values: Updateable<TeamTable>) {
    return this.db.updateTable('teams').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /** Removes a team; its people keep working, teamless, and its project grants go. */
  async delete(trx: Executor, id: number) {
    await trx.updateTable('users').set({ team_id: null }).where('team_id', '=', id).execute();
    await trx.updateTable('invitations').set({ team_id: null }).where('team_id', '=', id).execute();
    await trx.deleteFrom('project_members').where('team_id', '=', id).execute();
    await trx.deleteFrom('teams').where('id', '=', id).execute();
  }

  members(teamId: number, executor: Executor = this.db) {
    return executor
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'team_id'])
      .where('team_id', '=', teamId)
      .orderBy('id')
      .execute();
  }

  setTeam(trx: Executor, userIds: number[], teamId: number | null) {
    if (userIds.length === 0) return Promise.resolve();
    return trx.updateTable('users').set({ team_id: teamId }).where('id', 'in', userIds).execute();
  }

  // --- project members ---------------------------------------------------------

  projectMembers(projectId: number) {
    return this.db
      .selectFrom('project_members')
      .leftJoin('users', 'users.id', 'project_members.user_id')
      .leftJoin('teams', 'teams.id', 'project_members.team_id')
      .select([
        'project_members.user_id',
        'project_members.team_id',
        'users.display_name as user_name',
        'users.username',
        'teams.name as team_name',
      ])
      .where('project_members.project_id', '=', projectId)
      .execute();
  }

  /** Adds grants; ones already there are kept as they are. */
  async addProjectMembers(trx: Executor, projectId: number, userIds: number[], teamIds: number[], now: number) {
    const existing = await trx
      .selectFrom('project_members')
      .select(['user_id', 'team_id'])
      .where('project_id', '=', projectId)
      .execute();
    const users = new Set(existing.map((e) => e.user_id));
    const teams = new Set(existing.map((e) => e.team_id));
    const rows = [
      ...[...new Set(userIds)]
        .filter((id) => !users.has(id))
        .map((id) => ({ project_id: projectId, user_id: id, team_id: null, created_at: now })),
      ...[...new Set(teamIds)]
        .filter((id) => !teams.has(id))
        .map((id) => ({ project_id: projectId, user_id: null, team_id: id, created_at: now })),
    ];
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('project_members')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    return rows.length;
  }

  async projectsOfTeam(teamId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('project_members')
      .select('project_id')
      .where('team_id', '=', teamId)
      .execute();
    return rows.map((r) => r.project_id);
  }

  clearProjectMembers(trx: Executor, projectId: number) {
    return trx.deleteFrom('project_members').where('project_id', '=', projectId).execute();
  }

  /** True when the project is given to particular people or teams, false when it is open to all. */
  async hasProjectMembers(projectId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('project_members')
      .select('project_id')
      .where('project_id', '=', projectId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Whether the worker is a member of the project, directly or through her team: one indexed lookup. */
  async isProjectMember(projectId: number, userId: number): Promise<boolean> {
    const row = await sql<{ one: number }>`
      select 1 as one from project_members pm
      where pm.project_id = ${projectId}
        and (pm.user_id = ${userId} or pm.team_id = (select u.team_id from users u where u.id = ${userId}))
      limit 1`.execute(this.db);
    return row.rows.length > 0;
  }

  /** The projects among `projectIds` the worker may not work on (they have members and she is none). */
  async closedTo(projectIds: number[], userId: number): Promise<Set<number>> {
    if (projectIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('project_members as pm')
      .select((eb) => [
        'pm.project_id',
        eb.fn
          .max(
            sql<number>`case when pm.user_id = ${userId} or pm.team_id = (select u.team_id from users u where u.id = ${userId}) then 1 else 0 end`,
          )
          .as('mine'),
      ])
      .where('pm.project_id', 'in', projectIds)
      .groupBy('pm.project_id')
      .execute();
    return new Set(rows.filter((r) => Number(r.mine) === 0).map((r) => r.project_id));
  }
}
