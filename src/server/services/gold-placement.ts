/**
 * Where gold goes in a worker's queue. Each lease is gold with the project's gold rate,
 * drawn afresh from the operating system's generator: no fixed positions, no share
 * that a worker could count her way along, no run that predicts the next. A new worker
 * (fewer than `min_gold` scored checks) meets gold at twice the rate, at most one in
 * two, so a spammer is found within a few dozen items; that warm-up is random too.
 * Which gold item comes is random as well (a random point in the gold lease order).
 */
import { randomFillSync } from 'node:crypto';
import type { Project } from '../db/types.js';

const POOL_BYTES = 6 * 1024;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** A uniform draw in [0, 1) with 48 random bits, from a buffered crypto source. */
export function secureUniform(): number {
  if (offset + 6 > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const v = pool.readUIntBE(offset, 6);
  offset += 6;
  return v / 2 ** 48;
}

/** The gold rate a worker meets: doubled (at most one in two) until `min_gold` checks are scored. */
export function goldRateFor(project: Pick<Project, 'gold_rate' | 'min_gold'>, scoredChecks: number): number {
  if (project.gold_rate <= 0) return 0;
  return scoredChecks < project.min_gold ? Math.min(0.5, 2 * project.gold_rate) : project.gold_rate;
}

/**
 * Whether this lease is gold. `scoredChecks` is read only when the draw falls between
 * the plain and the warm-up rate, so most leases cost no query at all.
 */
export async function drawGold(
  project: Pick<Project, 'gold_rate' | 'min_gold'>,
  scoredChecks: () => Promise<number>,
  u = secureUniform(),
): Promise<boolean> {
  if (project.gold_rate <= 0) return false;
  if (u < project.gold_rate) return true;
  if (u >= Math.min(0.5, 2 * project.gold_rate)) return false;
  return u < goldRateFor(project, await scoredChecks());
}

/** A random start in the lease-order key space, for picking a gold item. */
export function randomOrderKey(): number {
  return Math.floor(secureUniform() * 2147483647);
}
