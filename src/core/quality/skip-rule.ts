/**
 * The skip rule: does a worker give back check (gold) items more often than she gives
 * back other items, by more than chance allows? A worker who could spot checks and
 * skip them would never be scored; one who skips only hard-looking images skips checks
 * and regular items alike, and is left alone.
 *
 * The rule acts when all three hold:
 * - she has been given at least `minLeases` check items;
 * - her gold skip rate exceeds her regular skip rate by at least `margin`;
 * - so many gold skips are unlikely by chance: the binomial tail
 *   P(X ≥ gold skips | gold leases, p) is below `SKIP_RULE_ALPHA`, where p is her
 *   regular skip rate (Laplace-smoothed, at least 2 %).
 *
 * @example
 * skipVerdict({ gold: { leases: 8, skips: 8 }, regular: { leases: 70, skips: 1 } }, { minLeases: 5, margin: 0.25 })
 * // → { acts: true, goldRate: 1, regularRate: 0.014…, pValue: ~3.5e-13 }
 */

/**
 * The chance that a worker who skips gold and regular items alike is caught anyway, per
 * evaluation. Small, because the rule is evaluated again at every skip and check: in
 * simulation (2 × 2,000 careful workers × 400 items, skipping 5 % or 15 % of
 * everything) none was caught, while every worker skipping every check was caught
 * within 20 checks (skip-rule.test.ts).
 */
export const SKIP_RULE_ALPHA = 1e-6;
/** The regular skip rate assumed at least, so that a worker who never skipped is not judged on nothing. */
const MIN_BASE_RATE = 0.02;

export interface SkipCounts {
  gold: { leases: number; skips: number };
  regular: { leases: number; skips: number };
}

export interface SkipVerdict {
  acts: boolean;
  goldRate: number;
  regularRate: number;
  pValue: number;
}

export function skipVerdict(c: SkipCounts, opts: { minLeases: number; margin: number }): SkipVerdict {
  const goldRate = c.gold.leases > 0 ? c.gold.skips / c.gold.leases : 0;
  const regularRate = c.regular.leases > 0 ? c.regular.skips / c.regular.leases : 0;
  const base = Math.max(MIN_BASE_RATE, (c.regular.skips + 1) / (c.regular.leases + 2));
  const pValue = binomialTail(c.gold.skips, c.gold.leases, base);
  const acts = c.gold.leases >= opts.minLeases && goldRate - regularRate >= opts.margin && pValue < SKIP_RULE_ALPHA;
  return { acts, goldRate, regularRate, pValue };
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space so large n does not overflow. */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let logC = logChoose(n, k);
  let sum = 0;
  for (let i = k; i <= n; i++) {
    sum += Math.exp(logC + i * lp + (n - i) * lq);
    // C(n, i + 1) = C(n, i) · (n − i) / (i + 1)
    logC += Math.log(n - i) - Math.log(i + 1);
  }
  return Math.min(1, sum);
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}
