/**
 * The employment report: how many people the base employs, by household status, by
 * county / township and by month, what they did and what they earned, and how many
 * stay. Pure: the caller reads plain rows (see `employment-types.ts`) and gets the
 * whole report back. Definitions are in `worker-history.ts` and `retention.ts`;
 * privacy rules in `privacy.ts`. Only workers who consented are named; everyone else
 * is one anonymous row.
 *
 * @example
 * const report = employmentReport({ from: '2026-11', to: '2026-11', workers, days, accepted, income, householdStatuses });
 * report.summary.workers;            // employed in November
 * report.byHousehold.rows[0];        // { code: 'registered_poor', workers: 12, figures: {...} } or workers '<3'
 */
import {
  MIN_GROUP_SIZE,
  type AreaRow,
  type Breakdown,
  type EmploymentInput,
  type EmploymentReport,
  type HouseholdRow,
  type NamedWorkerRow,
} from './employment-types.js';
import { addTally, emptyTally, figuresOf, flowFiguresOf, type Tally } from './figures.js';
import { addMonths, isMonth, monthRange } from './months.js';
import { breakdown } from './privacy.js';
import { cohortRetention, retentionTotal } from './retention.js';
import { buildHistories, sumTallies, type WorkerHistory } from './worker-history.js';

const collator = new Intl.Collator('zh-Hans-CN');

/** Orders nulls (not given) last. */
function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return collator.compare(a, b);
}

export function employmentReport(input: EmploymentInput): EmploymentReport {
  const { from, to } = input;
  const trendFrom = input.trendFrom ?? from;
  for (const m of [from, to, trendFrom]) if (!isMonth(m)) throw new RangeError(`not a month: ${m}`);
  if (from > to) throw new RangeError(`the period starts (${from}) after it ends (${to})`);
  if (trendFrom > from) throw new RangeError(`the trend starts (${trendFrom}) after the period (${from})`);
  const min = input.minGroupSize ?? MIN_GROUP_SIZE;
  const months = monthRange(from, to);
  const trendMonths = monthRange(trendFrom, to);

  const histories = buildHistories(input.workers, input.days, input.accepted, input.income);
  const employed: { h: WorkerHistory; t: Tally }[] = [];
  for (const h of histories) {
    const t = h.tally(months);
    if (t) employed.push({ h, t });
  }
  const total = employed.reduce((sum, e) => addTally(sum, e.t), emptyTally());

  const trend = trendMonths.map((month) => ({ month, ...figuresOf(sumTallies(histories, [month])) }));
  const trendTotal = flowFiguresOf(
    trendMonths.reduce((sum, m) => addTally(sum, sumTallies(histories, [m])), emptyTally()),
  );

  const cohortRows = trendMonths.map((c) => cohortRetention(histories, c, to));
  const headline = (k: 3 | 6) => {
    const row = cohortRetention(histories, addMonths(to, -k), to);
    return { cohort: row.cohort, size: row.size, ...(k === 3 ? row.after3 : row.after6) };
  };

  return {
    period: { from, to, months },
    trendMonths,
    minGroupSize: min,
    summary: figuresOf(total),
    retention: { after3: headline(3), after6: headline(6) },
    householdStatuses: [...input.householdStatuses]
      .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code))
      .map(({ code, labelZh, labelEn }) => ({ code, labelZh, labelEn })),
    byHousehold: byHousehold(input, employed, total, min),
    byArea: byArea(employed, total, min),
    trend,
    trendTotal,
    workers: workerRows(employed, total),
    cohorts: { rows: cohortRows, total: retentionTotal(cohortRows) },
  };
}

/** Every active status in the list's order (also with nobody), then other codes in use. */
function byHousehold(
  input: EmploymentInput,
  employed: { h: WorkerHistory; t: Tally }[],
  total: Tally,
  min: number,
): Breakdown<HouseholdRow> {
  const groups = new Map<string, { base: Pick<HouseholdRow, 'code' | 'labelZh' | 'labelEn'>; tally: Tally }>();
  const statuses = [...input.householdStatuses].sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
  for (const s of statuses) {
    if (s.active)
      groups.set(s.code, { base: { code: s.code, labelZh: s.labelZh, labelEn: s.labelEn }, tally: emptyTally() });
  }
  const labels = new Map(statuses.map((s) => [s.code, s]));
  for (const { h, t } of employed) {
    const code = h.worker.household ?? '';
    let g = groups.get(code);
    if (!g) {
      const s = labels.get(code);
      g = {
        base: { code, labelZh: s?.labelZh ?? (code || '未填写'), labelEn: s?.labelEn ?? (code || 'Not given') },
        tally: emptyTally(),
      };
      groups.set(code, g);
    }
    addTally(g.tally, t);
  }
  return breakdown([...groups.values()], total, min);
}

function byArea(employed: { h: WorkerHistory; t: Tally }[], total: Tally, min: number): Breakdown<AreaRow> {
  const groups = new Map<string, { base: { county: string | null; township: string | null }; tally: Tally }>();
  for (const { h, t } of employed) {
    const county = h.worker.county?.trim() || null;
    const township = h.worker.township?.trim() || null;
    const key = JSON.stringify([county, township]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { base: { county, township }, tally: emptyTally() }));
    addTally(g.tally, t);
  }
  const ordered = [...groups.values()].sort(
    (a, b) => compareText(a.base.county, b.base.county) || compareText(a.base.township, b.base.township),
  );
  return breakdown(ordered, total, min);
}

/** Consenting workers by name; everyone else only inside one aggregated row. */
function workerRows(employed: { h: WorkerHistory; t: Tally }[], total: Tally): EmploymentReport['workers'] {
  const named: NamedWorkerRow[] = [];
  const unnamed = emptyTally();
  for (const { h, t } of employed) {
    const w = h.worker;
    if (!w.consentNamed) {
      addTally(unnamed, t);
      continue;
    }
    named.push({
      id: w.id,
      name: w.name,
      household: w.household,
      county: w.county,
      township: w.township,
      village: w.village,
      startDate: w.startDate,
      endDate: w.endDate,
      figures: figuresOf(t),
    });
  }
  named.sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id);
  return { named, unnamed: { count: unnamed.workers, figures: figuresOf(unnamed) }, total: figuresOf(total) };
}
