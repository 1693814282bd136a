/** Pay: integer-fen rules, periods and money formatting. Pure; no I/O. */
export { fenToYuan, formatYuan, yuanToFen } from './money.js';
export { isPeriod, nextPeriod, periodOf, periodRange, previousPeriod, utcWeekStart } from './period.js';
export {
  bonusFen,
  bonusPctFor,
  effectiveHourlyFen,
  floorTopUpFen,
  hoursOf,
  isBelowMinimum,
  MS_PER_HOUR,
  settle,
  type BonusTier,
  type Settlement,
} from './rules.js';
