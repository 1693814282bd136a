/**
 * The household status list. Official categories change with policy periods, so an
 * admin adds, relabels and retires statuses; a code someone holds is never deleted,
 * only made inactive, so old records keep their meaning.
 */
import type { z } from 'zod';
import type { householdStatusBody, householdStatusPatch } from '../../core/api/people.js';
import { isUniqueViolation } from '../db/tx.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { householdView } from '../presenters/people.presenter.js';
import type { HouseholdRepository } from '../repositories/household.repository.js';
import { requireRole, type Actor } from './access.js';

/** Everyone without a status holds this one; it cannot go. */
const DEFAULT_CODE = 'none';

export class HouseholdService {
  constructor(private readonly households: HouseholdRepository) {}

  async list(actor: Actor) {
    requireRole(actor, 'admin', 'manager');
    return (await this.households.list()).map(householdView);
  }

  async create(actor: Actor, body: z.infer<typeof householdStatusBody>) {
    requireRole(actor, 'admin');
    try {
      const row = await this.households.insert({
        code: body.code,
        label_zh: body.labelZh,
        label_en: body.labelEn,
        sort: body.sort,
        active: 1,
      });
      return householdView(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('household_status_exists', `The code ${body.code} exists already.`);
      throw err;
    }
  }

  async update(actor: Actor, code: string, patch: z.infer<typeof householdStatusPatch>) {
    requireRole(actor, 'admin');
    const current = await this.households.get(code);
    if (!current) throw notFound('household_status');
    if (Object.values(patch).every((v) => v === undefined)) return householdView(current);
    if (code === DEFAULT_CODE && patch.active === false) {
      throw badRequest('household_status_required', 'The default status "none" stays active.');
    }
    const row = await this.households.update(code, {
      label_zh: patch.labelZh,
      label_en: patch.labelEn,
      sort: patch.sort,
      active: patch.active === undefined ? undefined : patch.active ? 1 : 0,
    });
    return householdView(row);
  }

  async delete(actor: Actor, code: string) {
    requireRole(actor, 'admin');
    if (!(await this.households.get(code))) throw notFound('household_status');
    if (code === DEFAULT_CODE) throw badRequest('household_status_required', 'The default status "none" stays.');
    if (await this.households.inUse(code)) {
      throw conflict('household_status_in_use', 'People hold this status; make it inactive instead.');
    }
    await this.households.delete(code);
    return { ok: true };
  }
}
