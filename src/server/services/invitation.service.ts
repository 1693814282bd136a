/**
 * Self-service sign-up: a manager makes an invitation code (role, optional team,
 * expiry, most uses) and hands it out; whoever has it signs up at /signup?code=… with
 * her own password. Codes are stored as hashes, wrong codes count against the address
 * like failed logins, and the last use cannot be taken twice.
 */
import type { InvitationBody, SignupBody } from '../../core/api/people.js';
import { utcDate } from '../../core/people/profile.js';
import type { Config } from '../config.js';
import { AppError, notFound, tooManyRequests } from '../errors.js';
import { invitationView } from '../presenters/people.presenter.js';
import type { InvitationRepository } from '../repositories/invitation.repository.js';
import type { LoginFailureRepository } from '../repositories/login-failure.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { requireRole, type Actor } from './access.js';
import { addressKey } from './address-key.js';
import type { Clock } from './clock.js';
import { invitationCodeHash, newInvitationCode, openSession } from './people-codes.js';
import type { PeopleService } from './people.service.js';

/** Failed codes are counted in the login-failure table under this name, which no user name can be. */
const SIGNUP_KEY = '#signup';

const gone = (id: string, message: string) => new AppError(410, id, message);

export class InvitationService {
  constructor(
    private readonly invitations: InvitationRepository,
    private readonly peopleService: PeopleService,
    private readonly users: UserRepository,
    private readonly failures: LoginFailureRepository,
    private readonly config: Config,
    private readonly clock: Clock,
  ) {}

  /** A new code, shown once. */
  async create(actor: Actor, body: InvitationBody) {
    requireRole(actor, 'admin', 'manager');
    const team = body.teamId ? await this.peopleService.assertTeam(actor.org_id, body.teamId) : null;
    const code = newInvitationCode();
    const now = this.clock.now();
    const row = await this.invitations.create({
      org_id: actor.org_id,
      code_hash: invitationCodeHash(code),
      role: body.role,
      team_id: team?.id ?? null,
      expires_at: now + body.expiresInHours * 3_600_000,
      max_uses: body.maxUses,
      uses: 0,
      created_by: actor.id,
      created_at: now,
      revoked_at: null,
    });
    return {
      ...invitationView({ ...row, team_name: team?.name ?? null, created_by_name: actor.display_name }, now),
      code,
      signupPath: `/signup?code=${encodeURIComponent(code)}`,
    };
  }

  async list(actor: Actor) {
    requireRole(actor, 'admin', 'manager');
    const now = this.clock.now();
    return (await this.invitations.list(actor.org_id)).map((i) => invitationView(i, now));
  }

  async revoke(actor: Actor, id: number) {
    requireRole(actor, 'admin', 'manager');
    const inv = await this.invitations.get(id);
    if (!inv || inv.org_id !== actor.org_id) throw notFound('invitation');
    await this.invitations.revoke(id, this.clock.now());
    return { ok: true };
  }

  /** Public: what a code is for, so the sign-up page can say which base it joins. */
  async check(code: string, ip: string) {
    const inv = await this.findLive(code, ip);
    return {
      orgName: inv.org_name,
      teamName: inv.team_name,
      role: inv.role,
      expiresAt: new Date(inv.expires_at).toISOString(),
    };
  }

  /** Public: creates the person with her own password and opens her session. */
  async signup(body: SignupBody, ip: string) {
    const inv = await this.findLive(body.code, ip);
    const now = this.clock.now();
    const [created] = await this.peopleService.createMany(
      inv.org_id,
      null,
      [
        {
          displayName: body.displayName,
          username: null,
          role: inv.role === 'reviewer' ? 'reviewer' : 'worker',
          phone: this.peopleService.phoneOf(body.phone) ?? null,
          county: body.county?.trim() || null,
          township: body.township?.trim() || null,
          village: body.village?.trim() || null,
          // A manager records household status after checking it; nobody declares her own.
          household: 'none',
          startDate: utcDate(now),
          consentNamed: body.consentNamed,
          teamId: inv.team_id,
        },
      ],
      {
        password: body.password,
        inTx: async (trx) => {
          if (!(await this.invitations.consume(trx, inv.id, now))) throw this.refusal(inv, now, true)!;
        },
      },
    );
    const token = await openSession(this.users, this.config, created.id, now);
    return { token, username: created.username, user: (await this.users.get(created.id))! };
  }

  private async findLive(code: string, ip: string) {
    const now = this.clock.now();
    const since = now - this.config.loginWindowSeconds * 1000;
    const address = addressKey(ip);
    if ((await this.failures.count(SIGNUP_KEY, address, since)).pair >= this.config.loginMaxFailures) {
      throw tooManyRequests('signup_rate_limited', 'Too many wrong codes. Wait a few minutes and try again.');
    }
    const inv = await this.invitations.findByHash(invitationCodeHash(code));
    if (!inv) {
      await this.failures.record(SIGNUP_KEY, address, now);
      throw notFound('invitation');
    }
    const refusal = this.refusal(inv, now, false);
    if (refusal) throw refusal;
    return inv;
  }

  /** Why an invitation cannot be used now; `used` says its last use was just taken by someone else. */
  private refusal(
    inv: { revoked_at: number | null; expires_at: number; uses: number; max_uses: number },
    now: number,
    used: boolean,
  ): AppError | null {
    if (inv.revoked_at !== null) return gone('invitation_revoked', 'This invitation was withdrawn.');
    if (inv.expires_at <= now) return gone('invitation_expired', 'This invitation has expired.');
    if (used || inv.uses >= inv.max_uses) return gone('invitation_used_up', 'This invitation has been used up.');
    return null;
  }
}
