/**
 * A cohort sheet (a village group arriving together) checked row by row before
 * anything is created: every bad row is named with its line number and reason.
 * Reading the file (xlsx or csv) is the server's job; this module sees text cells.
 */
import {
  householdOf,
  normalizePhone,
  parseDate,
  parseYesNo,
  USERNAME_PATTERN,
  type HouseholdStatusLabel,
} from './profile.js';

export const COHORT_KEYS = [
  'name',
  'phone',
  'county',
  'township',
  'village',
  'household',
  'startDate',
  'consent',
  'team',
  'username',
] as const;
export type CohortKey = (typeof COHORT_KEYS)[number];

/** The template's headers, Chinese first, in column order. `username` is optional: blank means generated. */
export const COHORT_HEADERS: Record<CohortKey, string> = {
  name: '姓名',
  phone: '手机号',
  county: '县',
  township: '乡镇',
  village: '村',
  household: '户籍类别',
  startDate: '入职日期',
  consent: '同意具名',
  team: '班组',
  username: '用户名',
};

/** Other headers people type for the same columns (compared without spaces, case-insensitive). */
const ALIASES: Record<CohortKey, string[]> = {
  name: ['姓名', '名字', 'name', 'displayname', '显示名'],
  phone: ['手机号', '手机', '手机号码', '电话', '联系电话', 'phone', 'mobile'],
  county: ['县', '县区', '区县', '县(区)', 'county'],
  township: ['乡镇', '乡', '镇', '乡(镇)', 'township'],
  village: ['村', '村组', '村(社区)', 'village'],
  household: ['户籍类别', '户籍类别/household', '户类型', '户籍', '家庭类别', 'household', 'householdstatus'],
  startDate: ['入职日期', '开始日期', '入职时间', 'startdate', 'start_date', 'start'],
  consent: ['同意具名', '同意署名', '同意公开姓名', 'consent', 'consentnamed', 'consent_named'],
  team: ['班组', '小组', '组', 'team'],
  username: ['用户名', '账号', 'username', 'login'],
};

// Spaces, brackets and case do not matter: 县（区）, 县(区) and 县区 are one header.
const normHeader = (h: string) => h.replace(/[\s（）()_]/g, '').toLowerCase();

/** Which field each column holds (null: ignored), and the required fields no column holds. */
export function mapHeader(headers: string[]): { columns: (CohortKey | null)[]; missing: CohortKey[] } {
  const columns = headers.map((h) => {
    const n = normHeader(h ?? '');
    if (!n) return null;
    return COHORT_KEYS.find((k) => ALIASES[k].some((a) => normHeader(a) === n)) ?? null;
  });
  const missing = (['name'] as CohortKey[]).filter((k) => !columns.includes(k));
  return { columns, missing };
}

export type CohortReason =
  | 'missing_name'
  | 'name_too_long'
  | 'bad_phone'
  | 'unknown_household'
  | 'bad_date'
  | 'bad_consent'
  | 'bad_username'
  | 'duplicate_username'
  | 'duplicate_phone'
  | 'too_long';

/** What is wrong with one cell. Errors block the import; warnings are shown and let it go ahead. */
export interface CohortProblem {
  line: number;
  field: CohortKey;
  reason: CohortReason;
  value: string;
  severity: 'error' | 'warning';
  /** For duplicates inside the sheet: the line that had it first. */
  firstLine?: number;
}

export interface CohortRow {
  line: number;
  displayName: string;
  phone: string | null;
  county: string | null;
  township: string | null;
  village: string | null;
  household: string;
  startDate: string;
  consentNamed: boolean;
  team: string | null;
  /** Given in the sheet, or null to be generated. */
  username: string | null;
}

export interface CohortSource {
  line: number;
  cells: Partial<Record<CohortKey, string>>;
}

export interface CohortLookups {
  statuses: HouseholdStatusLabel[];
  /** User names from the sheet that already exist in the database. */
  takenUsernames: ReadonlySet<string>;
  /** Phones already on someone in the organisation. */
  knownPhones: ReadonlySet<string>;
  /** Start date for rows that leave it blank ('YYYY-MM-DD'). */
  today: string;
}

/** Longest name and place name taken: a Chinese name is short; 100 leaves room for others. */
export const MAX_FIELD_LENGTH = 100;

/** Checks every row; `rows` holds the good ones, `problems` names every bad cell. */
export function checkCohort(
  sources: CohortSource[],
  lookups: CohortLookups,
): { rows: CohortRow[]; problems: CohortProblem[] } {
  const problems: CohortProblem[] = [];
  const rows: CohortRow[] = [];
  const seenUsernames = new Map<string, number>();
  const seenPhones = new Map<string, number>();
  for (const { line, cells } of sources) {
    const cell = (k: CohortKey) => (cells[k] ?? '').trim();
    const before = problems.length;
    const problem = (field: CohortKey, reason: CohortReason, extra: Partial<CohortProblem> = {}) =>
      problems.push({ line, field, reason, value: cell(field), severity: 'error', ...extra });

    const displayName = cell('name');
    if (!displayName) problem('name', 'missing_name');
    else if (displayName.length > MAX_FIELD_LENGTH) problem('name', 'name_too_long');

    let phone: string | null = null;
    if (cell('phone')) {
      phone = normalizePhone(cell('phone'));
      if (!phone) problem('phone', 'bad_phone');
      else if (lookups.knownPhones.has(phone)) problem('phone', 'duplicate_phone', { severity: 'warning' });
      else if (seenPhones.has(phone)) {
        problem('phone', 'duplicate_phone', { severity: 'warning', firstLine: seenPhones.get(phone) });
      } else seenPhones.set(phone, line);
    }
    for (const k of ['county', 'township', 'village', 'team'] as const) {
      if (cell(k).length > MAX_FIELD_LENGTH) problem(k, 'too_long');
    }
    const household = householdOf(cell('household'), lookups.statuses);
    if (household === null) problem('household', 'unknown_household');

    const startDate = cell('startDate') ? parseDate(cell('startDate')) : lookups.today;
    if (startDate === null) problem('startDate', 'bad_date');

    const consent = parseYesNo(cell('consent'));
    if (consent === null) problem('consent', 'bad_consent');

    const username = cell('username') || null;
    if (username !== null) {
      if (!USERNAME_PATTERN.test(username)) problem('username', 'bad_username');
      else if (lookups.takenUsernames.has(username)) problem('username', 'duplicate_username');
      else if (seenUsernames.has(username.toLowerCase())) {
        problem('username', 'duplicate_username', { firstLine: seenUsernames.get(username.toLowerCase()) });
      } else seenUsernames.set(username.toLowerCase(), line);
    }

    const blocking = problems.slice(before).some((p) => p.severity === 'error');
    if (!blocking) {
      rows.push({
        line,
        displayName,
        phone,
        county: cell('county') || null,
        township: cell('township') || null,
        village: cell('village') || null,
        household: household!,
        startDate: startDate!,
        consentNamed: consent!,
        team: cell('team') || null,
        username,
      });
    }
  }
  return { rows, problems };
}
