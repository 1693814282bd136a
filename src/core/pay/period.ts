/**
 * Pay periods are calendar months in UTC, named 'YYYY-MM' so they sort as text.
 */

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True for a well-formed period name such as '2026-11'. */
export function isPeriod(s: string): boolean {
  return PERIOD_RE.test(s);
}

/**
 * The period holding an instant.
 * @example periodOf(Date.UTC(2026, 10, 30, 23, 59)) // → '2026-11'
 */
export function periodOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function parse(period: string): [number, number] {
  const m = PERIOD_RE.exec(period);
  if (!m) throw new RangeError(`not a pay period: ${period}`);
  return [Number(m[1]), Number(m[2]) - 1];
}

/** The first and the after-last UTC millisecond of a period: `start <= t < end`. */
export function periodRange(period: string): { start: number; end: number } {
  const [y, m] = parse(period);
  return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
}

/** @example nextPeriod('2026-12') // → '2027-01' */
export function nextPeriod(period: string): string {
  return periodOf(periodRange(period).end);
}

/** @example previousPeriod('2027-01') // → '2026-12' */
export function previousPeriod(period: string): string {
  return periodOf(periodRange(period).start - 1);
}

/** Start of the ISO week (Monday 00:00 UTC) holding `ms`. */
export function utcWeekStart(ms: number): number {
  const day = Math.floor(ms / 86_400_000);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting Monday as 0.
  const weekday = (day + 3) % 7;
  return (day - weekday) * 86_400_000;
}
