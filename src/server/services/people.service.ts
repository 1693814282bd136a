/**
 * The base's people, as managers see them: profiles with household status and
 * consent, one-time codes instead of passwords handed out, disabling and leaving.
 * Every profile change is logged with who made it and when, in the transaction that
 * makes it.
 */
import argon2 from 'argon2';
import type { Insertable, Updateable } from 'kysely';
import type { PeopleQuery, PersonBody, PersonPatch } from '../../core/api/people.js';
import { nextUsernames, normalizePhone, utcDate } from '../../core/people/profile.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation, withTx, type Executor } from '../db/tx.js';
import type { ProfileChangeTable, UserTable } from '../db/types.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import { personView } from '../presenters/people.presenter.js';
import type { HouseholdRepository } from '../repositories/household.repository.js';
import type { PeopleRepository, ProfileRow } from '../repositories/people.repository.js';
import type { TeamRepository } from '../repositories/team.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { requireRole, type Actor } from './access.js';
import { hashPassword } from './auth.service.js';
import type { Clock } from './clock.js';
import { newOneTimeCode, ONE_TIME_CODE_TTL_MS, openSession } from './people-codes.js';

/** A person about to be created, already checked. */
export interface NewPerson {
  displayName: string;
  /** Null: the next sequence name is generated. */
  username: string | null;
  role: 'worker' | 'reviewer';
  phone: string | null;
  county: string | null;
  township: string | null;
  village: string | null;
  household: string;
  startDate: string;
  consentNamed: boolean;
  teamId: number | null;
  /** A team to find or create by name (the cohort sheet's 班组 column). */
  teamName?: string | null;
}

export interface CreatedPerson {
  id: number;
  username: string;
  displayName: string;
  /** The one-time code, shown once; null when the person chose a password (sign-up). */
  code: string | null;
  expiresAt: string | null;
}

/** Profile fields a manager edits, by their column: each change is one log row. */
type Editable = Pick<
  UserTable,
  | 'display_name'
  | 'phone'
  | 'county'
  | 'township'
  | 'village'
  | 'household'
  | 'start_date'
  | 'end_date'
  | 'team_id'
  | 'disabled'
>;

const blankToNull = (s: string | null | undefined) => (s === undefined ? undefined : s?.trim() || null);

export class PeopleService {
  constructor(
    private readonly db: Db,
    private readonly people: PeopleRepository,
    private readonly teams: TeamRepository,
    private readonly households: HouseholdRepository,
    private readonly users: UserRepository,
    private readonly config: Config,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: PeopleQuery) {
    requireRole(actor, 'admin', 'manager');
    return (await this.people.list(actor.org_id, query)).map(personView);
  }

  /** A profile and its change log, newest first. */
  async get(actor: Actor, id: number) {
    requireRole(actor, 'admin', 'manager');
    const p = await this.personOf(actor, id);
    const changes = await this.people.changes(id);
    return {
      ...personView(p),
      changes: changes.map((c) => ({
        id: c.id,
        field: c.field,
        oldValue: c.old_value,
        newValue: c.new_value,
        at: new Date(c.at).toISOString(),
        changedBy: c.changed_by,
        changedByName: c.changed_by_name,
      })),
    };
  }

  /** One person, with a one-time code for her first login. */
  async add(actor: Actor, body: PersonBody) {
    requireRole(actor, 'admin', 'manager');
    await this.assertHousehold(body.household);
    if (body.teamId) await this.assertTeam(actor.org_id, body.teamId);
    const [created] = await this.createMany(actor.org_id, actor.id, [
      {
        displayName: body.displayName,
        username: body.username ?? null,
        role: body.role,
        phone: this.phoneOf(body.phone) ?? null,
        county: blankToNull(body.county) ?? null,
        township: blankToNull(body.township) ?? null,
        village: blankToNull(body.village) ?? null,
        household: body.household,
        startDate: body.startDate ?? utcDate(this.clock.now()),
        consentNamed: body.consentNamed,
        teamId: body.teamId ?? null,
      },
    ]);
    return {
      person: personView((await this.people.get(created.id))!),
      code: created.code,
      expiresAt: created.expiresAt,
    };
  }

  /**
   * Creates people in one transaction: all or none. Each gets a one-time code unless
   * `password` is given (sign-up, where the person chose her own). `inTx` runs first
   * inside the same transaction (an invitation taking one use).
   */
  async createMany(
    orgId: number,
    by: number | null,
    inputs: NewPerson[],
    options: { password?: string; inTx?: (trx: Executor) => Promise<void> } = {},
  ): Promise<CreatedPerson[]> {
    const codes = inputs.map(() => (options.password === undefined ? newOneTimeCode() : null));
    const hashes = await hashAll(codes.map((c) => c ?? options.password!));
    const now = this.clock.now();
    const expiresAt = now + ONE_TIME_CODE_TTL_MS;
    // Two creations on PostgreSQL can pick the same next sequence name; the unique key refuses one, which tries again.
    for (let attempt = 0; ; attempt++) {
      try {
        return await withTx(this.db, async (trx) => {
          await options.inTx?.(trx);
          const generated = nextUsernames(
            await this.people.sequenceNames(trx),
            inputs.filter((p) => p.username === null).length,
          );
          const teamIds = new Map<string, number>();
          const out: CreatedPerson[] = [];
          for (const [i, p] of inputs.entries()) {
            const username = p.username ?? generated.shift()!;
            let teamId = p.teamId;
            if (p.teamName) {
              teamId =
                teamIds.get(p.teamName) ??
                (await this.teams.findByName(trx, orgId, p.teamName))?.id ??
                (await this.teams.create(trx, orgId, p.teamName, null, now)).id;
              teamIds.set(p.teamName, teamId);
            }
            const { id } = await this.people.insert(trx, {
              org_id: orgId,
              username,
              display_name: p.displayName,
              password_hash: hashes[i],
              role: p.role,
              locale: 'zh-CN',
              disabled: 0,
              phone: p.phone,
              county: p.county,
              township: p.township,
              village: p.village,
              household: p.household,
              start_date: p.startDate,
              end_date: null,
              consent_named: p.consentNamed ? 1 : 0,
              must_change_password: codes[i] === null ? 0 : 1,
              team_id: teamId,
              created_at: now,
            });
            if (codes[i] !== null) {
              await this.people.putOneTimeCode(trx, {
                user_id: id,
                code_hash: hashes[i],
                expires_at: expiresAt,
                used_at: null,
                created_by: by,
                created_at: now,
              });
            }
            const log = (field: string, value: string) => ({
              user_id: id,
              changed_by: by,
              field,
              old_value: null,
              new_value: value,
              at: now,
            });
            await this.people.logChanges(trx, [
              log('created', username),
              log('household', p.household),
              log('consent_named', p.consentNamed ? '1' : '0'),
            ]);
            out.push({
              id,
              username,
              displayName: p.displayName,
              code: codes[i],
              expiresAt: codes[i] === null ? null : new Date(expiresAt).toISOString(),
            });
          }
          return out;
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (attempt >= 3 || inputs.every((p) => p.username !== null)) {
          throw conflict('username_taken', 'A user name in this request is already taken.');
        }
      }
    }
  }

  /** Edits a profile; each changed field is logged with who and when. */
  async update(actor: Actor, id: number, patch: PersonPatch) {
    requireRole(actor, 'admin', 'manager');
    const p = await this.personOf(actor, id);
    const values: Partial<Editable> & { consent_named?: number } = {};
    if (patch.displayName !== undefined) values.display_name = patch.displayName;
    if (patch.phone !== undefined) values.phone = this.phoneOf(patch.phone) ?? null;
    if (patch.county !== undefined) values.county = blankToNull(patch.county) ?? null;
    if (patch.township !== undefined) values.township = blankToNull(patch.township) ?? null;
    if (patch.village !== undefined) values.village = blankToNull(patch.village) ?? null;
    if (patch.household !== undefined && patch.household !== p.household) {
      await this.assertHousehold(patch.household);
      values.household = patch.household;
    }
    if (patch.startDate !== undefined) values.start_date = patch.startDate;
    if (patch.endDate !== undefined) values.end_date = patch.endDate;
    if (patch.consentNamed !== undefined) values.consent_named = patch.consentNamed ? 1 : 0;
    if (patch.teamId !== undefined) {
      if (patch.teamId !== null) await this.assertTeam(actor.org_id, patch.teamId);
      values.team_id = patch.teamId;
    }
    await this.apply(p, values, actor.id);
    return personView((await this.people.get(id))!);
  }

  /** Locks a person out; `leaving` also records the day she left the base. */
  async disable(actor: Actor, id: number, leaving: boolean, endDate?: string) {
    requireRole(actor, 'admin', 'manager');
    const p = await this.personOf(actor, id);
    if (p.id === actor.id) throw badRequest('cannot_disable_self', 'You cannot disable your own account.');
    const values: Partial<Editable> = { disabled: 1 };
    if (leaving) values.end_date = endDate ?? utcDate(this.clock.now());
    await this.apply(p, values, actor.id, (trx) => this.people.deleteSessions(trx, id));
    return personView((await this.people.get(id))!);
  }

  /** Lets a disabled person back in; someone who had left is back at the base, so her end date goes. */
  async enable(actor: Actor, id: number) {
    requireRole(actor, 'admin', 'manager');
    const p = await this.personOf(actor, id);
    await this.apply(p, { disabled: 0, end_date: null }, actor.id);
    return personView((await this.people.get(id))!);
  }

  /**
   * A new one-time code: the old password and every open session stop working, and
   * the first login with the code can only set a new password.
   */
  async resetCode(actor: Actor, id: number) {
    requireRole(actor, 'admin', 'manager');
    const p = await this.personOf(actor, id);
    if (p.id === actor.id) throw badRequest('cannot_reset_self', 'Change your own password instead.');
    const code = newOneTimeCode();
    const hash = await hashPassword(code);
    const now = this.clock.now();
    const expiresAt = now + ONE_TIME_CODE_TTL_MS;
    await withTx(this.db, async (trx) => {
      await this.people.update(trx, id, { password_hash: hash, must_change_password: 1 });
      await this.people.putOneTimeCode(trx, {
        user_id: id,
        code_hash: hash,
        expires_at: expiresAt,
        used_at: null,
        created_by: actor.id,
        created_at: now,
      });
      await this.people.deleteSessions(trx, id);
      await this.people.logChanges(trx, [
        { user_id: id, changed_by: actor.id, field: 'password', old_value: null, new_value: 'reset', at: now },
      ]);
    });
    return {
      id,
      username: p.username,
      displayName: p.display_name,
      code,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /**
   * Sets the caller's own password. After a one-time code no current password is
   * asked (the code was it); otherwise it is. Every session of the person ends and a
   * fresh one is returned, so the restricted code session is gone for good.
   */
  async setPassword(actor: Actor, password: string, currentPassword?: string) {
    const row = (await this.people.passwordHash(actor.id))!;
    if (actor.must_change_password) {
      if (await argon2.verify(row.password_hash, password)) {
        throw badRequest('password_unchanged', 'Choose a password of your own, not the one-time code.');
      }
    } else if (!currentPassword || !(await argon2.verify(row.password_hash, currentPassword))) {
      throw badRequest('wrong_password', 'The current password is not right.');
    }
    const hash = await hashPassword(password);
    const now = this.clock.now();
    await withTx(this.db, async (trx) => {
      await this.people.update(trx, actor.id, { password_hash: hash, must_change_password: 0 });
      await this.people.markCodeUsed(trx, actor.id, now);
      await this.people.deleteSessions(trx, actor.id);
      await this.people.logChanges(trx, [
        { user_id: actor.id, changed_by: actor.id, field: 'password', old_value: null, new_value: 'set', at: now },
      ]);
    });
    const token = await openSession(this.users, this.config, actor.id, now);
    return { token, user: (await this.users.get(actor.id))! };
  }

  // --- checks shared with the import, teams and sign-up ------------------------

  /** A person of the actor's organisation that the actor may manage; outsiders get "not found". */
  async personOf(actor: Actor, id: number): Promise<ProfileRow> {
    const p = await this.people.get(id);
    if (!p || p.org_id !== actor.org_id) throw notFound('person');
    if (actor.role === 'manager' && p.role !== 'worker' && p.role !== 'reviewer') {
      throw forbidden('role_not_allowed', 'Managers manage workers and reviewers.');
    }
    return p;
  }

  async assertHousehold(code: string) {
    const h = await this.households.get(code);
    if (!h || !h.active) {
      throw badRequest('unknown_household_status', `"${code}" is not a household status in use.`);
    }
  }

  async assertTeam(orgId: number, teamId: number) {
    const t = await this.teams.get(teamId);
    if (!t || t.org_id !== orgId) throw badRequest('unknown_team', 'There is no such team.');
    return t;
  }

  phoneOf(input: string | null | undefined): string | null | undefined {
    if (input === undefined) return undefined;
    if (input === null || !input.trim()) return null;
    const phone = normalizePhone(input);
    if (!phone) throw badRequest('bad_phone', 'That is not a phone number (11-digit mobile or a landline).');
    return phone;
  }

  /** Writes the fields that changed and one log row for each, in one transaction. */
  private async apply(
    p: ProfileRow,
    values: Partial<Editable> & { consent_named?: number },
    by: number,
    alsoInTx?: (trx: Executor) => Promise<unknown>,
  ) {
    const now = this.clock.now();
    const changed: Updateable<UserTable> = {};
    const log: Insertable<ProfileChangeTable>[] = [];
    for (const [field, value] of Object.entries(values) as [keyof typeof values, string | number | null][]) {
      const old = p[field] as string | number | null;
      if ((old ?? null) === (value ?? null)) continue;
      (changed as Record<string, unknown>)[field] = value;
      log.push({
        user_id: p.id,
        changed_by: by,
        field,
        old_value: old === null ? null : String(old),
        new_value: value === null ? null : String(value),
        at: now,
      });
    }
    if (log.length === 0 && !alsoInTx) return;
    await withTx(this.db, async (trx) => {
      if (log.length > 0) {
        await this.people.update(trx, p.id, changed);
        await this.people.logChanges(trx, log);
      }
      await alsoInTx?.(trx);
    });
  }
}

/** argon2id costs ~20 MiB and tens of ms each; four at a time use libuv's pool without flooding memory. */
async function hashAll(secrets: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < secrets.length; i += 4)
    out.push(...(await Promise.all(secrets.slice(i, i + 4).map(hashPassword))));
  return out;
}
