/** Shapes of the people API as the web app reads them (see src/server/presenters/people.presenter.ts). */
import type { Locale } from '../../i18n';

export interface Person {
  id: number;
  username: string;
  displayName: string;
  role: 'worker' | 'reviewer' | 'manager' | 'admin' | 'client';
  disabled: boolean;
  phone: string | null;
  county: string | null;
  township: string | null;
  village: string | null;
  household: string;
  startDate: string | null;
  endDate: string | null;
  consentNamed: boolean;
  mustChangePassword: boolean;
  teamId: number | null;
  teamName: string | null;
  createdAt: string;
}

export interface ProfileChange {
  id: number;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  at: string;
  changedBy: number | null;
  changedByName: string | null;
}

export interface PersonDetail extends Person {
  changes: ProfileChange[];
}

export interface HouseholdStatus {
  code: string;
  labelZh: string;
  labelEn: string;
  sort: number;
  active: boolean;
}

export interface Team {
  id: number;
  name: string;
  leadUserId: number | null;
  leadName: string | null;
  members: number;
  createdAt: string;
}

export interface Invitation {
  id: number;
  role: string;
  teamId: number | null;
  teamName: string | null;
  expiresAt: string;
  maxUses: number;
  uses: number;
  status: 'active' | 'expired' | 'used_up' | 'revoked';
  createdAt: string;
  createdBy: string | null;
}

/** A person just created, with the one-time code to read out (shown once). */
export interface IssuedCode {
  id: number;
  username: string;
  displayName: string;
  code: string | null;
  expiresAt: string | null;
  line?: number;
  team?: string | null;
}

export type CohortField =
  'name' | 'phone' | 'county' | 'township' | 'village' | 'household' | 'startDate' | 'consent' | 'team' | 'username';

export interface CohortProblem {
  line: number;
  field: CohortField;
  reason: string;
  value: string;
  severity: 'error' | 'warning';
  firstLine?: number;
}

export interface CohortPreview {
  ok: boolean;
  total: number;
  valid: number;
  columns: { header: string; field: CohortField | null }[];
  sheet: { line: number; cells: Partial<Record<CohortField, string>> }[];
  problems: CohortProblem[];
  rows: { line: number; username: string; household: string }[];
  newTeams: string[];
}

export interface ProjectMembers {
  open: boolean;
  users: { id: number; username: string | null; displayName: string | null }[];
  teams: { id: number; name: string | null }[];
}

export function householdLabel(statuses: HouseholdStatus[], code: string, locale: Locale): string {
  const h = statuses.find((s) => s.code === code);
  if (!h) return code;
  return locale === 'en' ? h.labelEn : h.labelZh;
}

/** Local date and time of an ISO instant, short. */
export function shortTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
