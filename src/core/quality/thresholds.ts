/**
 * A worker is warned when their rolling gold accuracy falls below `warnBelow` and
 * suspended below `suspendBelow`. Suspension is the harsher step, so it must not sit
 * above the warning: "warn below 10 %, suspend below 90 %" would suspend workers who
 * were never warned.
 */

/** The column defaults of migration 0002, for a project created without thresholds. */
export const DEFAULT_THRESHOLDS = { warnBelow: 0.75, suspendBelow: 0.6 } as const;

/**
 * Null when the pair is consistent (`suspendBelow ≤ warnBelow`), else why not.
 *
 * @example thresholdsProblem(0.1, 0.9) // → 'Workers would be suspended below 90 % …'
 */
export function thresholdsProblem(warnBelow: number, suspendBelow: number): string | null {
  if (suspendBelow <= warnBelow) return null;
  const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
  return (
    `Workers would be suspended below ${pct(suspendBelow)} accuracy but warned only below ${pct(warnBelow)}: ` +
    'the suspension threshold must not be above the warning threshold.'
  );
}
