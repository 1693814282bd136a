/**
 * Pure rules for a person's profile fields, shared by the API, the cohort import and
 * the web forms: phone numbers, calendar dates, yes/no consent and household labels.
 */

/**
 * A phone number in its stored form, or null when it is not one. Mainland mobiles
 * (11 digits starting 1[3-9]) and landlines with an area code are accepted; spaces,
 * dashes and a +86 / 0086 prefix are dropped.
 *
 * @example normalizePhone('+86 138-0013-8000') // '13800138000'
 */
export function normalizePhone(input: string): string | null {
  let s = input.replace(/[\s\-()（）]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  if (/^1[3-9]\d{9}$/.test(s)) return s;
  if (/^0\d{2,3}\d{7,8}$/.test(s)) return s;
  return null;
}

/** Excel's day 0 (1899-12-30) in UTC ms: serial day numbers count from it. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * A calendar date as 'YYYY-MM-DD', or null when the text is not a real date. Takes
 * 2026-12-01, 2026/12/1, 2026.12.1, 2026年12月1日 and Excel day numbers (a date cell
 * saved without its format).
 *
 * @example parseDate('2026年3月9日') // '2026-03-09'
 */
export function parseDate(input: string): string | null {
  const s = input.trim();
  let y: number, m: number, d: number;
  const parts = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (parts) {
    [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  } else if (/^\d{5}(\.0+)?$/.test(s) && Number(s) >= 20_000 && Number(s) <= 80_000) {
    const date = new Date(EXCEL_EPOCH + Math.floor(Number(s)) * 86_400_000);
    [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else {
    return null;
  }
  if (y < 1950 || y > 2100) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** The UTC calendar day of a time in ms, as 'YYYY-MM-DD'. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const YES = new Set(['是', '同意', '愿意', 'y', 'yes', 'true', '1', '√', '✓', '✔']);
const NO = new Set(['', '否', '不同意', '不愿意', 'n', 'no', 'false', '0', '×', '✗']);

/** A yes/no cell: true, false, or null when it is neither. Empty means no: consent is never assumed. */
export function parseYesNo(input: string): boolean | null {
  const s = input.trim().toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  return null;
}

export interface HouseholdStatusLabel {
  code: string;
  label_zh: string;
  label_en: string;
  active: number;
}

/**
 * The household code a cell names, by code, Chinese label or English label; empty
 * means 'none'. Inactive statuses are not offered for new entries.
 *
 * @example householdOf('脱贫户', statuses) // 'lifted'
 */
export function householdOf(input: string, statuses: HouseholdStatusLabel[]): string | null {
  const s = input.trim();
  if (!s) return 'none';
  const lower = s.toLowerCase();
  const hit = statuses.find(
    (h) => h.active && (h.code === lower || h.label_zh === s || h.label_en.toLowerCase() === lower),
  );
  return hit?.code ?? null;
}

/**
 * The next `n` sequence user names (`w0001`, `w0002`, …) after the highest one in
 * `existing`. Generated names carry no personal data: reviewers and clients see user
 * names, so a phone number or a name in pinyin would leak.
 *
 * @example nextUsernames(['w0007', 'manager'], 2) // ['w0008', 'w0009']
 */
export function nextUsernames(existing: Iterable<string>, n: number, prefix = 'w'): string[] {
  let max = 0;
  const re = new RegExp(`^${prefix}(\\d+)$`);
  for (const u of existing) {
    const m = re.exec(u);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return Array.from({ length: n }, (_, i) => `${prefix}${String(max + 1 + i).padStart(4, '0')}`);
}

export const USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{2,64}$/;
