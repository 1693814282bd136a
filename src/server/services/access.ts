/**
 * Who may do what. Every service method calls one of these on its first line.
 * A project belongs to the vendor organisation that runs it and, optionally, to
 * one client organisation that ordered it.
 */
import { forbidden, notFound, unauthorized } from '../errors.js';
import type { Project, Role } from '../db/types.js';
import type { PublicUser } from '../repositories/user.repository.js';

export type Actor = PublicUser;

export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw unauthorized();
  return actor;
}

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) {
    throw forbidden('role_not_allowed', `This needs one of these roles: ${roles.join(', ')}.`);
  }
}

function isStaffOf(actor: Actor, project: Pick<Project, 'org_id'>) {
  return project.org_id === actor.org_id;
}

function isClientOf(actor: Actor, project: Pick<Project, 'client_org_id'>) {
  return actor.role === 'client' && project.client_org_id === actor.org_id;
}

/**
 * May see the project and its data. Outsiders get "not found" rather than
 * "forbidden", so project ids of other organisations are not confirmed.
 */
export function assertCanView(actor: Actor, project: Project | undefined): asserts project is Project {
  if (!project) throw notFound('project');
  const staff = isStaffOf(actor, project) && ['admin', 'manager', 'reviewer'].includes(actor.role);
  if (!staff && !isClientOf(actor, project)) {
    if (isStaffOf(actor, project)) throw forbidden('role_not_allowed', 'Your role cannot see this project.');
    throw notFound('project');
  }
}

/** May change the project's settings. */
export function assertCanManage(actor: Actor, project: Project | undefined): asserts project is Project {
  assertCanView(actor, project);
  if (!['admin', 'manager'].includes(actor.role)) {
    throw forbidden('role_not_allowed', 'Only managers can change a project.');
  }
}

/** May add images: the vendor's managers, or the client who ordered the project. */
export function assertCanUpload(actor: Actor, project: Project | undefined): asserts project is Project {
  assertCanView(actor, project);
  if (!['admin', 'manager', 'client'].includes(actor.role)) {
    throw forbidden('role_not_allowed', 'Only managers and the client can add images.');
  }
}

/** May take work from the project. */
export function assertCanWork(actor: Actor, project: Project | undefined): asserts project is Project {
  if (!project || !isStaffOf(actor, project)) throw notFound('project');
  if (actor.role !== 'worker') throw forbidden('role_not_allowed', 'Only workers take items.');
  if (project.status !== 'active') throw forbidden('project_not_active', 'This project is not taking work now.');
}
