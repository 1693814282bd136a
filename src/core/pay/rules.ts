/**
 * Pay rules, pure and in integer fen: piece rate, bonus tiers by accuracy, an hourly
 * floor, effective hourly pay and the fair-pay check. The server books what these
 * return in the ledger; nothing here reads the clock or the database.
 *
 * Rounding is half up to the nearest fen, done in integers. The products stay far
 * below 2^53 for any real month (1,000 yuan/h × 744 h in ms is 2.7e14).
 */

/** One step of a project's bonus ladder: at or above `minAccuracy`, `bonusPct` % more. */
export interface BonusTier {
  /** Gold accuracy (mean OKS, 0–1) from which this tier applies. */
  minAccuracy: number;
  /** Whole percent of the period's piece earnings, 0–100. */
  bonusPct: number;
}

export const MS_PER_HOUR = 3_600_000;

/** Half-up rounding of a non-negative integer quotient, without floats in the way. */
function divRound(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/**
 * The bonus percent a worker's accuracy earns: the highest tier reached, else 0. No
 * accuracy (no gold scored in the period) earns no bonus.
 * @example bonusPctFor(0.93, [{ minAccuracy: 0.9, bonusPct: 10 }, { minAccuracy: 0.95, bonusPct: 20 }]) // → 10
 */
export function bonusPctFor(accuracy: number | null, tiers: readonly BonusTier[]): number {
  if (accuracy === null || !Number.isFinite(accuracy)) return 0;
  let pct = 0;
  for (const t of tiers) if (accuracy >= t.minAccuracy && t.bonusPct > pct) pct = t.bonusPct;
  return pct;
}

/**
 * The bonus on a period's net piece earnings; nothing on zero or negative earnings.
 * @example bonusFen(1234, 0.92, [{ minAccuracy: 0.9, bonusPct: 10 }]) // → 123
 */
export function bonusFen(pieceFen: number, accuracy: number | null, tiers: readonly BonusTier[]): number {
  if (pieceFen <= 0) return 0;
  return divRound(pieceFen * bonusPctFor(accuracy, tiers), 100);
}

/**
 * What the hourly floor adds so that pay for the active time reaches the floor:
 * max(0, floor × hours − earned). A floor of 0 means none.
 * @example floorTopUpFen(1000, 2 * MS_PER_HOUR, 1500) // → 2000 (2 h at ¥15 is ¥30, ¥10 earned)
 */
export function floorTopUpFen(earnedFen: number, activeMs: number, floorFenPerHour: number): number {
  if (floorFenPerHour <= 0 || activeMs <= 0) return 0;
  const owed = divRound(floorFenPerHour * activeMs, MS_PER_HOUR);
  return Math.max(0, owed - earnedFen);
}

/** What closing a period adds for one worker in one project. */
export interface Settlement {
  bonusFen: number;
  floorTopUpFen: number;
}

/**
 * A worker's period in one project: the bonus first, then the floor tops up piece
 * pay plus bonus, so a bonus is never swallowed by the floor it helps to reach.
 * @example settle({ pieceFen: 1000, accuracy: 0.95, activeMs: MS_PER_HOUR, tiers: [{ minAccuracy: 0.9, bonusPct: 10 }], floorFenPerHour: 2000 })
 * // → { bonusFen: 100, floorTopUpFen: 900 }
 */
export function settle(input: {
  pieceFen: number;
  accuracy: number | null;
  activeMs: number;
  tiers: readonly BonusTier[];
  floorFenPerHour: number;
}): Settlement {
  const bonus = bonusFen(input.pieceFen, input.accuracy, input.tiers);
  return {
    bonusFen: bonus,
    floorTopUpFen: floorTopUpFen(input.pieceFen + bonus, input.activeMs, input.floorFenPerHour),
  };
}

/**
 * Earnings per active hour in fen, or null without active time.
 * @example effectiveHourlyFen(3000, 90 * 60_000) // → 2000
 */
export function effectiveHourlyFen(earnedFen: number, activeMs: number): number | null {
  if (activeMs <= 0) return null;
  const sign = earnedFen < 0 ? -1 : 1;
  return sign * divRound(Math.abs(earnedFen) * MS_PER_HOUR, activeMs);
}

/**
 * The fair-pay check: effective hourly pay under the local minimum hourly wage. A
 * worker with no active time is not flagged (there is nothing to divide).
 * @example isBelowMinimum(1800, 2000) // → true
 */
export function isBelowMinimum(effectiveFen: number | null, minHourlyFen: number): boolean {
  return effectiveFen !== null && effectiveFen < minHourlyFen;
}

/** Active milliseconds as hours with two decimals, for tables and sheets. */
export function hoursOf(activeMs: number): number {
  return Math.round(activeMs / 36_000) / 100;
}
