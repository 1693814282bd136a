import { badRequest, conflict } from '../errors.js';
import type { Household, OrgKind, Role } from '../db/types.js';
import { isUniqueViolation } from '../db/tx.js';
import type { OrgRepository } from '../repositories/org.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { assertCanAddUser, assertCanCreateOrg, requireRole, tenancyOf, type Actor } from './access.js';
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

  /** Only admins create organisations: client organisations of their own vendor. */
  async createOrg(actor: Actor, name: string, kind: OrgKind) {
    const vendorOrgId = assertCanCreateOrg(actor, kind);
    return this.orgs.create(name.trim(), kind, this.clock.now(), vendorOrgId);
  }

  /** The actor's vendor organisation and its clients. */
  async listOrgs(actor: Actor) {
    return this.orgs.listTenancy(tenancyOf(actor));
  }

  /**
   * Admins create anyone inside their vendor and its clients; managers create workers
   * and reviewers in their own organisation, and client users for its clients.
   */
  async create(actor: Actor, input: NewUser) {
    requireRole(actor, 'admin', 'manager');
    const orgId = input.orgId ?? actor.org_id;
    const org = await this.orgs.get(orgId);
    assertCanAddUser(actor, org, input.role);
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
    if (input.household !== undefined && !(await users.isActiveHousehold(input.household))) {
      throw badRequest('unknown_household_status', `"${input.household}" is not a household status in use.`);
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

  /** Users of the actor's vendor organisation and its clients. */
  async list(actor: Actor) {
    return this.users.listByTenancy(tenancyOf(actor));
  }
}
