/**
 * Which workers get a project's items. A project with no members is open to every
 * worker of its organisation; once people or teams are assigned, only they (directly
 * or through their team) are. Asked on every lease, so the common answer, "this
 * project has no members", is cached for a second per process.
 */
import { forbidden } from '../errors.js';
import type { TeamRepository } from '../repositories/team.repository.js';
import { TtlCache } from './ttl-cache.js';

/** Another process sees a membership change within this, as it sees project settings. */
const MEMBERS_TTL_MS = 1000;

export class ProjectMembership {
  private readonly restricted = new TtlCache<number, boolean>(MEMBERS_TTL_MS);

  constructor(private readonly teams: TeamRepository) {}

  async mayWork(projectId: number, userId: number): Promise<boolean> {
    if (!(await this.restricted.get(projectId, () => this.teams.hasProjectMembers(projectId)))) return true;
    return this.teams.isProjectMember(projectId, userId);
  }

  async assertMayWork(projectId: number, userId: number): Promise<void> {
    if (!(await this.mayWork(projectId, userId))) {
      throw forbidden('not_project_member', 'This project is assigned to other people.');
    }
  }

  /** Of `projectIds`, those the worker may not work on. */
  closedTo(projectIds: number[], userId: number): Promise<Set<number>> {
    return this.teams.closedTo(projectIds, userId);
  }

  /** Called after this process changes a project's members. */
  changed(projectId: number): void {
    this.restricted.delete(projectId);
  }
}
