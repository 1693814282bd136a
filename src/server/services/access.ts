/**
 * Who may do what. Every service method calls one of these on its first line.
 *
 * Tenancy, stated once here: a vendor organisation runs projects and employs the
 * staff (admin, manager, reviewer, worker); a client organisation belongs to the
 * vendor that created it (`orgs.vendor_org_id`) and holds client users only. A
 * project belongs to its vendor and, optionally, to one client of that vendor. An
 * admin or a manager acts inside their own vendor organisation and its clients and
 * nowhere else; whatever lies outside answers exactly like something that does not
 * exist, so no id of another organisation is ever confirmed.
 */
import { badRequest, forbidden, notFound, unauthorized } from '../errors.js';
import type { Org, OrgKind, Project, Role } from '../db/types.js';
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

const STAFF_READERS: Role[] = ['admin', 'manager', 'reviewer'];

function isStaffOf(actor: Actor, project: Pick<Project, 'org_id'>) {
  return project.org_id === actor.org_id && STAFF_READERS.includes(actor.role);
}

function isClientOf(actor: Actor, project: Pick<Project, 'client_org_id'>) {
  return actor.role === 'client' && project.client_org_id === actor.org_id;
}

/**
 * May see the project and its data. Outsiders get "not found" rather than
 * "forbidden", so project ids of other organisations are not confirmed; `what` names
 * the thing the caller asked for (`item` for an item's project), so that a foreign
 * item answers exactly like a missing item. Workers never read through these routes,
 * and are refused by role before anything is looked up.
 */
export function assertCanView(
  actor: Actor,
  project: Project | undefined,
  what = 'project',
): asserts project is Project {
  if (actor.role === 'worker') throw forbidden('role_not_allowed', 'Workers see projects through their work only.');
  if (!project || (!isStaffOf(actor, project) && !isClientOf(actor, project))) throw notFound(what);
}

/** May change the project's settings. */
export function assertCanManage(
  actor: Actor,
  project: Project | undefined,
  what = 'project',
): asserts project is Project {
  assertCanView(actor, project, what);
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
  if (actor.role !== 'worker') throw forbidden('role_not_allowed', 'Only workers take items.');
  if (!project || project.org_id !== actor.org_id) throw notFound('project');
  if (project.status !== 'active') throw forbidden('project_not_active', 'This project is not taking work now.');
}

// --- organisations ------------------------------------------------------------------

type OrgRef = Pick<Org, 'id' | 'kind' | 'vendor_org_id'>;

/** The vendor organisation whose tenancy an admin or a manager administers: their own. */
export function tenancyOf(actor: Actor): number {
  requireRole(actor, 'admin', 'manager');
  return actor.org_id;
}

/** The actor's vendor organisation, or one of its clients. */
function inTenancy(actor: Actor, org: OrgRef) {
  return org.id === actor.org_id || (org.kind === 'client' && org.vendor_org_id === actor.org_id);
}

/**
 * Only an admin creates organisations, and only client organisations of their own
 * vendor: a new vendor is a new tenancy, which the server's operator creates on the
 * command line (`shugu orgs add`). Returns the vendor the new client belongs to.
 */
export function assertCanCreateOrg(actor: Actor, kind: OrgKind): number {
  requireRole(actor, 'admin');
  if (kind !== 'client') {
    throw forbidden(
      'vendor_org_by_operator',
      'A vendor organisation is a tenancy of its own; the server operator creates it with `shugu orgs add`.',
    );
  }
  return actor.org_id;
}

/**
 * May add a user with this role to the organisation. Admins add anyone inside their
 * tenancy; managers add workers and reviewers to their own organisation and client
 * users to its clients. An organisation outside the tenancy answers exactly like a
 * missing one, before anything else about the request is judged.
 */
export function assertCanAddUser(actor: Actor, org: Org | undefined, role: Role): asserts org is Org {
  requireRole(actor, 'admin', 'manager');
  if (!org || !inTenancy(actor, org)) throw notFound('org');
  if (actor.role === 'manager') {
    const ownOrgRole = org.id === actor.org_id && ['worker', 'reviewer'].includes(role);
    const clientUser = org.kind === 'client' && role === 'client';
    if (!ownOrgRole && !clientUser) {
      throw forbidden('role_not_allowed', 'Managers create workers and reviewers, and client users.');
    }
  }
  assertRoleFitsOrg(org, role);
}

/** Client users belong to client organisations, and only they do (also for the CLI). */
export function assertRoleFitsOrg(org: Pick<Org, 'kind'>, role: Role): void {
  if ((org.kind === 'client') !== (role === 'client')) {
    throw badRequest('role_org_mismatch', 'Client users belong to client organisations, and only they do.');
  }
}

/**
 * A project may be made for a client of the actor's own vendor only; another vendor's
 * client answers exactly like a missing one.
 */
export function assertOwnClient(actor: Actor, org: OrgRef | undefined): void {
  if (!org || org.kind !== 'client' || org.vendor_org_id !== actor.org_id) {
    throw badRequest('invalid_client_org', 'The client organisation does not exist.');
  }
}

// --- images -------------------------------------------------------------------------

/**
 * An image is stored once by SHA-256, but an organisation may name it (in a manifest
 * row) only when it is in one of the organisation's projects, that is when it or the
 * other organisation of such a project uploaded it. These are the organisations that
 * gain an image when it enters this project.
 */
export function imageHoldersOf(project: Pick<Project, 'org_id' | 'client_org_id'>): number[] {
  return project.client_org_id === null ? [project.org_id] : [project.org_id, project.client_org_id];
}

/**
 * The organisation whose images a manifest may name: the caller's own. Null for the
 * server's operator on the command line, who holds the whole store anyway.
 */
export function imageNamerOf(actor: Actor | null): number | null {
  return actor ? actor.org_id : null;
}
