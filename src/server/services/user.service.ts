import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import type { Household, OrgKind, Role } from '../db/types.js';
import { isUniqueViolation } from '../db/tx.js';
import type { OrgRepository } from '../repositories/org.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { requireRole, type Actor } from './access.js';
import { hashPassword } from './auth.service.js';
import type { Clock } from './clock.js';

export interface NewUser {
  orgId?: number;
  username: string;
  password: string;
  displayName?: string;
  role: Role;
  locale?: string;
  county?: string | null;
  township?: string | null;
  village?: string | null;
  household?: Household;
}

export const MIN_PASSWORD_LENGTH = 8;

export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly orgs: OrgRepository,
    private readonly clock: Clock,
  ) {}

  async createOrg(actor: Actor, name: string, kind: OrgKind) {
    requireRole(actor, 'admin');
    return this.orgs.create(name.trim(), kind, this.clock.now());
  }

  async listOrgs(actor: Actor) {
    requireRole(actor, 'admin', 'manager');
    return this.orgs.list();
  }

  /**
   * Admins create anyone anywhere; managers create workers and reviewers in their
   * own organisation, and client users for client organisations.
   */
  async create(actor: Actor, input: NewUser) {
    requireRole(actor, 'admin', 'manager');
    const orgId = input.orgId ?? actor.org_id;
    const org = await this.orgs.get(orgId);
    if (!org) throw notFound('org');
    if (actor.role === 'manager') {
      const ownOrgRole = orgId === actor.org_id && ['worker', 'reviewer'].includes(input.role);
      const clientUser = org.kind === 'client' && input.role === 'client';
      if (!ownOrgRole && !clientUser) {
        throw forbidden('role_not_allowed', 'Managers create workers and reviewers, and client users.');
      }
    }
    if ((org.kind === 'client') !== (input.role === 'client')) {
      throw badRequest('role_org_mismatch', 'Client users belong to client organisations, and only they do.');
    }
    return UserService.insert(this.users, { ...input, orgId }, this.clock.now());
  }

  /** Creation without an actor: the first start's seed and the CLI's `users add`. */
  static async insert(users: UserRepository, input: NewUser & { orgId: number }, now: number) {
    if (!/^[A-Za-z0-9_.@-]{2,64}$/.test(input.username)) {
      throw badRequest('invalid_username', 'A user name has 2–64 letters, digits or the signs _ . @ -.');
    }
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw badRequest('weak_password', `A password has at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    try {
      return await users.create({
        org_id: input.orgId,
        username: input.username,
        display_name: input.displayName?.trim() || input.username,
        password_hash: await hashPassword(input.password),
        role: input.role,
        locale: input.locale ?? 'zh-CN',
        disabled: 0,
        county: input.county ?? null,
        township: input.township ?? null,
        village: input.village ?? null,
        household: input.household ?? 'none',
        created_at: now,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('username_taken', `The user name ${input.username} is taken.`);
      throw err;
    }
  }

  async list(actor: Actor) {
    requireRole(actor, 'admin', 'manager');
    return this.users.listByOrg(actor.role === 'admin' ? null : actor.org_id);
  }
}
