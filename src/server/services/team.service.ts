/**
 * Teams with a team lead, and who a project's items go to: people, teams, or (with
 * no members) every worker of the organisation. Team moves are logged in the
 * profile change log like any other profile change.
 */
import type { z } from 'zod';
import type { teamBody, teamPatch } from '../../core/api/people.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation, withTx, type Executor } from '../db/tx.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { teamView } from '../presenters/people.presenter.js';
import type { PeopleRepository } from '../repositories/people.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import type { TeamRepository } from '../repositories/team.repository.js';
import { assertCanManage, requireRole, type Actor } from './access.js';
import type { Clock } from './clock.js';
import type { ProjectMembership } from './project-membership.js';

export class TeamService {
  constructor(
    private readonly db: Db,
    private readonly teams: TeamRepository,
    private readonly people: PeopleRepository,
    private readonly projects: ProjectRepository,
    private readonly membership: ProjectMembership,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor) {
    requireRole(actor, 'admin', 'manager');
    return (await this.teams.list(actor.org_id)).map(teamView);
  }

  async create(actor: Actor, body: z.infer<typeof teamBody>) {
    requireRole(actor, 'admin', 'manager');
    if (body.leadUserId) await this.assertPeople(actor, [body.leadUserId]);
    try {
      const row = await this.teams.create(this.db, actor.org_id, body.name, body.leadUserId ?? null, this.clock.now());
      return this.view(actor, row.id);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('team_name_taken', `There is a team called ${body.name} already.`);
      throw err;
    }
  }

  async update(actor: Actor, id: number, patch: z.infer<typeof teamPatch>) {
    requireRole(actor, 'admin', 'manager');
    const team = await this.teamOf(actor, id);
    if (patch.leadUserId) await this.assertPeople(actor, [patch.leadUserId]);
    if (patch.name === undefined && patch.leadUserId === undefined) return this.view(actor, team.id);
    try {
      await this.teams.update(id, { name: patch.name, lead_user_id: patch.leadUserId });
      return this.view(actor, id);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('team_name_taken', `There is a team called ${patch.name} already.`);
      throw err;
    }
  }

  /** The team goes; its people stay, without a team, and lose what they had only through it. */
  async delete(actor: Actor, id: number) {
    requireRole(actor, 'admin', 'manager');
    await this.teamOf(actor, id);
    const members = await this.teams.members(id);
    const grants = await this.projectsOfTeam(id);
    await withTx(this.db, async (trx) => {
      await this.logTeamMoves(trx, actor, members, null);
      await this.teams.delete(trx, id);
    });
    for (const p of grants) this.membership.changed(p);
    return { ok: true };
  }

  async members(actor: Actor, id: number) {
    requireRole(actor, 'admin', 'manager');
    await this.teamOf(actor, id);
    return (await this.teams.members(id)).map((m) => ({ id: m.id, username: m.username, displayName: m.display_name }));
  }

  /** The team's members become exactly `userIds`; people moved in leave their old team. */
  async setMembers(actor: Actor, id: number, userIds: number[]) {
    requireRole(actor, 'admin', 'manager');
    await this.teamOf(actor, id);
    const people = await this.assertPeople(actor, userIds);
    const current = await this.teams.members(id);
    const wanted = new Set(userIds);
    const leaving = current.filter((m) => !wanted.has(m.id));
    const joining = people.filter((p) => p.team_id !== id);
    await withTx(this.db, async (trx) => {
      await this.logTeamMoves(trx, actor, leaving, null);
      await this.logTeamMoves(trx, actor, joining, id);
      await this.teams.setTeam(
        trx,
        leaving.map((m) => m.id),
        null,
      );
      await this.teams.setTeam(
        trx,
        joining.map((p) => p.id),
        id,
      );
    });
    // A team's project grants now reach other people.
    for (const p of await this.projectsOfTeam(id)) this.membership.changed(p);
    return this.members(actor, id);
  }

  // --- project members ---------------------------------------------------------

  async projectMembers(actor: Actor, projectId: number) {
    assertCanManage(actor, await this.projects.get(projectId));
    const rows = await this.teams.projectMembers(projectId);
    return {
      open: rows.length === 0,
      users: rows
        .filter((r) => r.user_id !== null)
        .map((r) => ({ id: r.user_id!, username: r.username, displayName: r.user_name })),
      teams: rows.filter((r) => r.team_id !== null).map((r) => ({ id: r.team_id!, name: r.team_name })),
    };
  }

  /** Replaces a project's members; empty lists open it to every worker of the organisation again. */
  async setProjectMembers(actor: Actor, projectId: number, userIds: number[], teamIds: number[]) {
    assertCanManage(actor, await this.projects.get(projectId));
    await this.assertPeople(actor, userIds);
    await this.assertTeams(actor, teamIds);
    await withTx(this.db, async (trx) => {
      await this.teams.clearProjectMembers(trx, projectId);
      await this.teams.addProjectMembers(trx, projectId, userIds, teamIds, this.clock.now());
    });
    this.membership.changed(projectId);
    return this.projectMembers(actor, projectId);
  }

  /** Adds people or teams to a project, keeping those it has (the Workers page's "assign to project"). */
  async addProjectMembers(actor: Actor, projectId: number, userIds: number[], teamIds: number[]) {
    assertCanManage(actor, await this.projects.get(projectId));
    await this.assertPeople(actor, userIds);
    await this.assertTeams(actor, teamIds);
    await withTx(this.db, (trx) => this.teams.addProjectMembers(trx, projectId, userIds, teamIds, this.clock.now()));
    this.membership.changed(projectId);
    return this.projectMembers(actor, projectId);
  }

  // --- checks --------------------------------------------------------------------

  /** One team as the list shows it, with its lead's name and member count. */
  private async view(actor: Actor, id: number) {
    return teamView((await this.teams.list(actor.org_id)).find((t) => t.id === id)!);
  }

  private async teamOf(actor: Actor, id: number) {
    const team = await this.teams.get(id);
    if (!team || team.org_id !== actor.org_id) throw notFound('team');
    return team;
  }

  /** Every id is a worker or reviewer of the actor's organisation. */
  private async assertPeople(actor: Actor, ids: number[]) {
    const unique = [...new Set(ids)];
    const rows = await this.people.listByIds(actor.org_id, unique);
    const ok = rows.filter((r) => r.role === 'worker' || r.role === 'reviewer');
    if (ok.length !== unique.length) {
      throw badRequest('unknown_person', 'Some of these people are not workers or reviewers of this base.');
    }
    return ok;
  }

  private async assertTeams(actor: Actor, ids: number[]) {
    for (const id of new Set(ids)) {
      const t = await this.teams.get(id);
      if (!t || t.org_id !== actor.org_id) throw badRequest('unknown_team', 'There is no such team.');
    }
  }

  private projectsOfTeam(teamId: number): Promise<number[]> {
    return this.teams.projectsOfTeam(teamId);
  }

  private logTeamMoves(
    trx: Executor,
    actor: Actor,
    people: { id: number; team_id: number | null }[],
    to: number | null,
  ) {
    const now = this.clock.now();
    return this.people.logChanges(
      trx,
      people
        .filter((p) => p.team_id !== to)
        .map((p) => ({
          user_id: p.id,
          changed_by: actor.id,
          field: 'team_id',
          old_value: p.team_id === null ? null : String(p.team_id),
          new_value: to === null ? null : String(to),
          at: now,
        })),
    );
  }
}
