/**
 * Retention: of the workers whose start month is C (the cohort), the share active
 * (at least one answer submitted) in month C + 3, and in C + 6. A month after the
 * report's last month is not observed yet and gives no figure.
 */
import type { RetentionCell, RetentionRow, RetentionTotal } from './employment-types.js';
import { addMonths, type Month } from './months.js';
import type { WorkerHistory } from './worker-history.js';

const rate = (retained: number, size: number) => (size > 0 ? retained / size : null);

function cell(members: WorkerHistory[], month: Month, last: Month): RetentionCell {
  if (month > last) return { month, observed: false, retained: null, rate: null };
  const retained = members.filter((h) => h.active(month)).length;
  return { month, observed: true, retained, rate: rate(retained, members.length) };
}

/** Retention of the cohort that started in `cohort`, looked at up to month `last`. */
export function cohortRetention(histories: WorkerHistory[], cohort: Month, last: Month): RetentionRow {
  const members = histories.filter((h) => h.startMonth === cohort);
  return {
    cohort,
    size: members.length,
    after3: cell(members, addMonths(cohort, 3), last),
    after6: cell(members, addMonths(cohort, 6), last),
  };
}

/** Sums over cohorts; each rate counts only the cohorts whose month is observed. */
export function retentionTotal(rows: RetentionRow[]): RetentionTotal {
  const sum = (pick: (r: RetentionRow) => RetentionCell) => {
    let size = 0;
    let retained = 0;
    for (const r of rows) {
      const c = pick(r);
      if (!c.observed) continue;
      size += r.size;
      retained += c.retained ?? 0;
    }
    return { size, retained, rate: rate(retained, size) };
  };
  return {
    size: rows.reduce((s, r) => s + r.size, 0),
    after3: sum((r) => r.after3),
    after6: sum((r) => r.after6),
  };
}
