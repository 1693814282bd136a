/**
 * Calendar months as `'YYYY-MM'` strings, always in UTC. A month string sorts
 * like its date, so `<` and `>` compare months.
 */

export type Month = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const DAY_MS = 86_400_000;

/** True for a well-formed `'YYYY-MM'` between 2000-01 and 2999-12. */
export function isMonth(s: string): s is Month {
  const m = MONTH.exec(s);
  return m !== null && Number(m[1]) >= 2000 && Number(m[1]) <= 2999;
}

function parts(month: Month): [number, number] {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month: ${month}`);
  return [Number(m[1]), Number(m[2])];
}

function fromIndex(index: number): Month {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

function toIndex(month: Month): number {
  const [y, m] = parts(month);
  return y * 12 + m - 1;
}

/**
 * The month `n` months after (or before, for negative `n`) `month`.
 * @example addMonths('2026-11', 3) // '2027-02'
 */
export function addMonths(month: Month, n: number): Month {
  return fromIndex(toIndex(month) + n);
}

/** Months from `from` to `to`, both included; empty when `from > to`. */
export function monthRange(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let i = toIndex(from), end = toIndex(to); i <= end; i++) out.push(fromIndex(i));
  return out;
}

/** Number of months from `from` to `to`, both included. */
export function monthCount(from: Month, to: Month): number {
  return toIndex(to) - toIndex(from) + 1;
}

/** UTC milliseconds of the month's first instant. */
export function monthStartMs(month: Month): number {
  const [y, m] = parts(month);
  return Date.UTC(y, m - 1, 1);
}

/** UTC milliseconds of the next month's first instant (the month's exclusive end). */
export function monthEndMs(month: Month): number {
  return monthStartMs(addMonths(month, 1));
}

/** The UTC month of a time in milliseconds. */
export function monthOfMs(ms: number): Month {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The UTC month of a day number (whole days since 1970-01-01). */
export function monthOfDay(day: number): Month {
  return monthOfMs(day * DAY_MS);
}

/** The month of a `'YYYY-MM-DD'` date, or null when the text is not one. */
export function monthOfDate(date: string | null | undefined): Month | null {
  if (!date || !/^\d{4}-\d{2}-\d{2}/.test(date)) return null;
  const month = date.slice(0, 7);
  return isMonth(month) ? month : null;
}
