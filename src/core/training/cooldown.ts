/**
 * When a worker may sit an exam again. A failed attempt starts a cool-down, so the
 * exam is learnt from practice rather than by trying it over and over; a pass has
 * none (a worker may retake it to raise her level).
 */

/** An exam left open this long is closed and scored as it stands: no endless looking. */
export const EXAM_TIME_LIMIT_MS = 3 * 3_600_000;

export interface FinishedAttempt {
  status: 'passed' | 'failed';
  finishedAt: number;
}

/**
 * The earliest time (UTC ms) of the next attempt after `last`, or null when there is
 * no wait.
 *
 * @example retryAt({ status: 'failed', finishedAt: 1000 }, 60_000) // → 61_000
 */
export function retryAt(last: FinishedAttempt | null, cooldownMs: number): number | null {
  if (!last || last.status !== 'failed' || cooldownMs <= 0) return null;
  return last.finishedAt + cooldownMs;
}

/**
 * Milliseconds left before a retry, 0 when one may start now.
 *
 * @example cooldownLeft({ status: 'failed', finishedAt: 0 }, 60_000, 45_000) // → 15_000
 */
export function cooldownLeft(last: FinishedAttempt | null, cooldownMs: number, now: number): number {
  const at = retryAt(last, cooldownMs);
  return at === null ? 0 : Math.max(0, at - now);
}
