/**
 * The employment report laid out as tables: one per `.xlsx` sheet, also printed by
 * the CLI. Cells are numbers (money in yuan, i.e. fen ÷ 100), text, or null for an
 * empty cell; `<3` is the only text in a figure column. Each table's totals row is
 * the report's total, which its rows add up to.
 */
import type { EmploymentReport, Figures, GroupFigures } from './employment-types.js';
import { reportLabel, type ReportLabelKey, type ReportLocale } from './labels.js';

export type CellKind = 'text' | 'int' | 'yuan' | 'hours' | 'rate';
export type Cell = string | number | null;

export interface Column {
  header: string;
  kind: CellKind;
}

export interface ReportTable {
  /** Worksheet name (≤ 31 characters, as Excel requires). */
  sheet: string;
  title: string;
  columns: Column[];
  rows: Cell[][];
  /** Rows after the body, shown bold: totals. */
  totals: Cell[][];
  /** Per body row, the kind of its last cell where it differs from the column's (the summary's values). */
  rowKinds?: CellKind[];
  notes: string[];
}

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

const FIGURE_COLUMNS: [ReportLabelKey, CellKind, (f: Figures) => Cell][] = [
  ['col.workers', 'int', (f) => f.workers],
  ['col.newWorkers', 'int', (f) => f.newWorkers],
  ['col.activeWorkers', 'int', (f) => f.activeWorkers],
  ['col.leavingWorkers', 'int', (f) => f.leavingWorkers],
  ['col.activeDays', 'int', (f) => f.activeDays],
  ['col.hours', 'hours', (f) => f.hours],
  ['col.items', 'int', (f) => f.items],
  ['col.accepted', 'int', (f) => f.accepted],
  ['col.income', 'yuan', (f) => yuan(f.incomeFen)],
  ['col.incomePerWorker', 'yuan', (f) => yuan(f.incomePerWorkerFen)],
  ['col.incomePerHour', 'yuan', (f) => yuan(f.incomePerHourFen)],
];

export function employmentTables(report: EmploymentReport, locale: ReportLocale = 'zh-CN'): ReportTable[] {
  const L = (key: ReportLabelKey, params?: Record<string, string | number>) => reportLabel(locale, key, params);
  const period =
    report.period.from === report.period.to ? report.period.from : `${report.period.from} – ${report.period.to}`;
  const title = (sheet: ReportLabelKey) => `${L('title', { period })} · ${L(sheet)}`;
  const figureColumns = FIGURE_COLUMNS.map(([key, kind]) => ({ header: L(key), kind }));
  const figureCells = (f: Figures) => FIGURE_COLUMNS.map(([, , get]) => get(f));
  const groupCells = (g: GroupFigures) =>
    g.figures ? figureCells(g.figures) : FIGURE_COLUMNS.map((_, i) => (i === 0 ? g.workers : null));
  const given = (s: string | null) => s ?? L('row.notGiven');
  const privacyNote = L('note.privacy', { min: report.minGroupSize });
  const smallRow = (lead: number, b: EmploymentReport['byHousehold'] | EmploymentReport['byArea']) =>
    b.smallGroups
      ? [
          [
            L('row.smallGroups', { min: report.minGroupSize, groups: b.smallGroups.groups }),
            ...Array(lead - 1).fill(null),
            ...groupCells(b.smallGroups),
          ],
        ]
      : [];
  const label = (code: string, zh: string, en: string) => (locale === 'en' ? en : zh) || code;
  const householdLabel = new Map(report.householdStatuses.map((s) => [s.code, label(s.code, s.labelZh, s.labelEn)]));

  const s = report.summary;
  const r3 = report.retention.after3;
  const r6 = report.retention.after6;
  const summary: ReportTable = {
    sheet: L('sheet.summary'),
    title: title('sheet.summary'),
    columns: [
      { header: L('col.item'), kind: 'text' },
      { header: L('col.value'), kind: 'text' },
    ],
    rowKinds: ['text', ...FIGURE_COLUMNS.map(([, kind]) => kind), 'rate', 'rate'],
    rows: [
      [L('row.period'), period],
      ...FIGURE_COLUMNS.map(([key, , get]) => [L(key), get(s)]),
      [L('row.retention3', { cohort: r3.cohort, size: r3.size }), r3.rate],
      [L('row.retention6', { cohort: r6.cohort, size: r6.size }), r6.rate],
    ],
    totals: [],
    notes: [privacyNote],
  };

  const household: ReportTable = {
    sheet: L('sheet.household'),
    title: title('sheet.household'),
    columns: [{ header: L('col.household'), kind: 'text' }, ...figureColumns],
    rows: [
      ...report.byHousehold.rows.map((r) => [
        label(r.code, r.labelZh, r.labelEn) || L('row.notGiven'),
        ...groupCells(r),
      ]),
      ...smallRow(1, report.byHousehold),
    ],
    totals: [[L('row.total'), ...figureCells(report.byHousehold.total)]],
    notes: [privacyNote],
  };

  const area: ReportTable = {
    sheet: L('sheet.area'),
    title: title('sheet.area'),
    columns: [{ header: L('col.county'), kind: 'text' }, { header: L('col.township'), kind: 'text' }, ...figureColumns],
    rows: [
      ...report.byArea.rows.map((r) => [given(r.county), given(r.township), ...groupCells(r)]),
      ...smallRow(2, report.byArea),
    ],
    totals: [[L('row.total'), null, ...figureCells(report.byArea.total)]],
    notes: [privacyNote],
  };

  const t = report.trendTotal;
  const trend: ReportTable = {
    sheet: L('sheet.trend'),
    title: title('sheet.trend'),
    columns: [{ header: L('col.month'), kind: 'text' }, ...figureColumns],
    rows: report.trend.map((row) => [row.month, ...figureCells(row)]),
    totals: [
      [
        L('row.total'),
        null,
        t.newWorkers,
        null,
        t.leavingWorkers,
        t.activeDays,
        t.hours,
        t.items,
        t.accepted,
        yuan(t.incomeFen),
        null,
        yuan(t.incomePerHourFen),
      ],
    ],
    notes: [L('note.trendTotal')],
  };

  const u = report.workers.unnamed;
  const workers: ReportTable = {
    sheet: L('sheet.workers'),
    title: title('sheet.workers'),
    columns: [
      { header: L('col.name'), kind: 'text' },
      { header: L('col.household'), kind: 'text' },
      { header: L('col.county'), kind: 'text' },
      { header: L('col.township'), kind: 'text' },
      { header: L('col.village'), kind: 'text' },
      { header: L('col.startDate'), kind: 'text' },
      { header: L('col.endDate'), kind: 'text' },
      ...figureColumns,
    ],
    rows: [
      ...report.workers.named.map((w) => [
        w.name,
        w.household === null ? null : (householdLabel.get(w.household) ?? w.household),
        w.county,
        w.township,
        w.village,
        w.startDate,
        w.endDate,
        ...figureCells(w.figures),
      ]),
      ...(u.count > 0
        ? [[L('row.unnamed', { n: u.count }), null, null, null, null, null, null, ...figureCells(u.figures)]]
        : []),
    ],
    totals: [[L('row.total'), null, null, null, null, null, null, ...figureCells(report.workers.total)]],
    notes: [privacyNote],
  };

  const c = report.cohorts;
  const retention: ReportTable = {
    sheet: L('sheet.retention'),
    title: title('sheet.retention'),
    columns: [
      { header: L('col.cohort'), kind: 'text' },
      { header: L('col.cohortSize'), kind: 'int' },
      { header: L('col.after3Month'), kind: 'text' },
      { header: L('col.after3'), kind: 'int' },
      { header: L('col.after3Rate'), kind: 'rate' },
      { header: L('col.after6Month'), kind: 'text' },
      { header: L('col.after6'), kind: 'int' },
      { header: L('col.after6Rate'), kind: 'rate' },
    ],
    rows: c.rows.map((r) => [
      r.cohort,
      r.size,
      r.after3.month,
      r.after3.retained,
      r.after3.rate,
      r.after6.month,
      r.after6.retained,
      r.after6.rate,
    ]),
    totals: [
      [
        L('row.total'),
        c.total.size,
        null,
        c.total.after3.retained,
        c.total.after3.rate,
        null,
        c.total.after6.retained,
        c.total.after6.rate,
      ],
    ],
    notes: [],
  };

  return [summary, household, area, trend, workers, retention];
}
