import { nextPeriod, periodOf } from '../../core/pay/period.js';
import type { Executor } from '../db/tx.js';
import { conflict } from '../errors.js';
import type { LedgerRepository } from '../repositories/ledger.repository.js';

/** How far ahead a late entry may be pushed past closed periods: ten years of months. */
const MAX_PERIODS_AHEAD = 120;

/**
 * The period a new ledger entry is booked in: the month of `now`, or, when that is
 * closed, the next open one. A closed period is never written again, so a decision
 * made late (a reversal in December of November's earning) lands in the open month.
 * Call inside the transaction that inserts the entry: on PostgreSQL the period row
 * stays share-locked until commit, so it cannot close under the entry.
 */
export async function bookingPeriod(
  ledger: LedgerRepository,
  trx: Executor,
  orgId: number,
  now: number,
  start = periodOf(now),
): Promise<string> {
  let period = start;
  for (let i = 0; i < MAX_PERIODS_AHEAD; i++) {
    if ((await ledger.periodStatusForBooking(trx, orgId, period, now)) === 'open') return period;
    period = nextPeriod(period);
  }
  throw conflict('no_open_period', 'Every pay period for the next ten years is closed.');
}
