/**
 * One worker's month-by-month record, from which every figure of the employment
 * report is read. The definitions live here, once:
 *
 * - **start month**: the month of her profile's start date, or, without one, of her
 *   first submitted answer ever; none when she has neither.
 * - **active in a month**: at least one answer submitted in it (UTC).
 * - **employed in a month**: active in it, or paid or accepted in it, or her
 *   employment (start month to the month of her end date, open-ended without one)
 *   covers it.
 * - **new in a month**: her start month is that month. **Leaving**: her end date is in it.
 */
import type { ReportWorker, WorkerAcceptedDay, WorkerDay, WorkerIncome } from './employment-types.js';
import { addTally, centiHoursOf, emptyTally, type Tally } from './figures.js';
import { monthOfDate, monthOfDay, monthOfMs, type Month } from './months.js';

interface MonthFacts {
  days: Set<number>;
  activeMs: number;
  items: number;
  accepted: number;
  incomeFen: number;
}

const emptyFacts = (): MonthFacts => ({ days: new Set(), activeMs: 0, items: 0, accepted: 0, incomeFen: 0 });

export class WorkerHistory {
  readonly startMonth: Month | null;
  readonly endMonth: Month | null;
  private readonly months = new Map<Month, MonthFacts>();

  constructor(readonly worker: ReportWorker) {
    this.startMonth =
      monthOfDate(worker.startDate) ?? (worker.firstActivityAt === null ? null : monthOfMs(worker.firstActivityAt));
    this.endMonth = monthOfDate(worker.endDate);
  }

  facts(month: Month): MonthFacts {
    let f = this.months.get(month);
    if (!f) this.months.set(month, (f = emptyFacts()));
    return f;
  }

  addDay(d: WorkerDay) {
    const f = this.facts(monthOfDay(d.day));
    f.days.add(d.day);
    f.items += d.items;
    f.activeMs += d.activeMs;
  }

  addAccepted(a: WorkerAcceptedDay) {
    this.facts(monthOfDay(a.day)).accepted += a.accepted;
  }

  addIncome(i: WorkerIncome) {
    this.facts(i.period).incomeFen += i.amountFen;
  }

  active(month: Month): boolean {
    return (this.months.get(month)?.days.size ?? 0) > 0;
  }

  employed(month: Month): boolean {
    const f = this.months.get(month);
    if (f && (f.days.size > 0 || f.accepted > 0 || f.incomeFen !== 0)) return true;
    if (this.startMonth === null || this.startMonth > month) return false;
    return this.endMonth === null || this.endMonth >= month;
  }

  /** Her tally over `months` (one worker), or null when she was not employed in any of them. */
  tally(months: Month[]): Tally | null {
    if (!months.some((m) => this.employed(m))) return null;
    const t = emptyTally();
    t.workers = 1;
    t.newWorkers = this.startMonth !== null && months.includes(this.startMonth) ? 1 : 0;
    t.leavingWorkers = this.endMonth !== null && months.includes(this.endMonth) ? 1 : 0;
    t.activeWorkers = months.some((m) => this.active(m)) ? 1 : 0;
    for (const m of months) {
      const f = this.months.get(m);
      if (!f) continue;
      t.activeDays += f.days.size;
      // Rounded per worker and month, so that any table's rows add up to its total.
      t.centiHours += centiHoursOf(f.activeMs);
      t.items += f.items;
      t.accepted += f.accepted;
      t.incomeFen += f.incomeFen;
    }
    return t;
  }
}

/** Histories of all `workers`, filled from the day, acceptance and income rows. */
export function buildHistories(
  workers: ReportWorker[],
  days: WorkerDay[],
  accepted: WorkerAcceptedDay[],
  income: WorkerIncome[],
): WorkerHistory[] {
  const byId = new Map(workers.map((w) => [w.id, new WorkerHistory(w)]));
  for (const d of days) byId.get(d.workerId)?.addDay(d);
  for (const a of accepted) byId.get(a.workerId)?.addAccepted(a);
  for (const i of income) byId.get(i.workerId)?.addIncome(i);
  return [...byId.values()];
}

/** The sum of the tallies of `histories` over `months`; only employed workers count. */
export function sumTallies(histories: Iterable<WorkerHistory>, months: Month[]): Tally {
  const total = emptyTally();
  for (const h of histories) {
    const t = h.tally(months);
    if (t) addTally(total, t);
  }
  return total;
}
