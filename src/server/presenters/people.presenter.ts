/**
 * People rows as the API shows them: camelCase, booleans as booleans, times as ISO
 * strings. Household status and consent appear only in `personView`, which only
 * manager and admin routes return.
 */
import type { HouseholdStatusTable } from '../db/types.js';
import type { ProfileRow } from '../repositories/people.repository.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function personView(p: ProfileRow) {
  return {
    id: p.id,
    username: p.username,
    displayName: p.display_name,
    role: p.role,
    disabled: p.disabled === 1,
    phone: p.phone,
    county: p.county,
    township: p.township,
    village: p.village,
    household: p.household,
    startDate: p.start_date,
    endDate: p.end_date,
    consentNamed: p.consent_named === 1,
    mustChangePassword: p.must_change_password === 1,
    teamId: p.team_id,
    teamName: p.team_name ?? null,
    createdAt: iso(p.created_at),
  };
}
export type PersonView = ReturnType<typeof personView>;

export function householdView(h: HouseholdStatusTable) {
  return { code: h.code, labelZh: h.label_zh, labelEn: h.label_en, sort: h.sort, active: h.active === 1 };
}

export function teamView(t: {
  id: number;
  name: string;
  lead_user_id: number | null;
  lead_name?: string | null;
  members?: number | string | null;
  created_at: number;
}) {
  return {
    id: t.id,
    name: t.name,
    leadUserId: t.lead_user_id,
    leadName: t.lead_name ?? null,
    members: Number(t.members ?? 0),
    createdAt: iso(t.created_at),
  };
}

export function invitationView(
  i: {
    id: number;
    role: string;
    team_id: number | null;
    team_name: string | null;
    expires_at: number;
    max_uses: number;
    uses: number;
    created_at: number;
    revoked_at: number | null;
    created_by_name?: string | null;
  },
  now: number,
) {
  const status =
    i.revoked_at !== null ? 'revoked' : i.expires_at <= now ? 'expired' : i.uses >= i.max_uses ? 'used_up' : 'active';
  return {
    id: i.id,
    role: i.role,
    teamId: i.team_id,
    teamName: i.team_name,
    expiresAt: iso(i.expires_at),
    maxUses: i.max_uses,
    uses: i.uses,
    status,
    createdAt: iso(i.created_at),
    createdBy: i.created_by_name ?? null,
  };
}
