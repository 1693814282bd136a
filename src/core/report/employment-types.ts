/**
 * The employment report's input (plain rows a repository reads) and output (what the
 * API returns, the web page shows and the `.xlsx` writer lays out). Money is integer
 * fen; months are UTC `'YYYY-MM'`.
 */
import type { Month } from './months.js';

/** What a group under the privacy threshold shows instead of its head count. */
export const SMALL_GROUP = '<3' as const;
export type SmallGroup = typeof SMALL_GROUP;

/** Groups with fewer people than this are not shown in breakdowns. */
export const MIN_GROUP_SIZE = 3;

/** One worker (role `worker`) of the organisation the report covers. */
export interface ReportWorker {
  id: number;
  /** Shown only when `consentNamed`; never copied into the output otherwise. */
  name: string;
  consentNamed: boolean;
  household: string | null;
  county: string | null;
  township: string | null;
  village: string | null;
  /** `'YYYY-MM-DD'` (UTC) the person started, when the profile says so. */
  startDate: string | null;
  /** `'YYYY-MM-DD'` (UTC) the person left. */
  endDate: string | null;
  /** UTC ms of her first submitted answer ever, or null. */
  firstActivityAt: number | null;
}

/** A worker's submitted answers on one UTC day (day = whole days since 1970-01-01). */
export interface WorkerDay {
  workerId: number;
  day: number;
  items: number;
  activeMs: number;
}

/** A worker's answers accepted on one UTC day. */
export interface WorkerAcceptedDay {
  workerId: number;
  day: number;
  accepted: number;
}

/** The net of a worker's pay entries (payouts excluded) booked to one pay period. */
export interface WorkerIncome {
  workerId: number;
  period: Month;
  amountFen: number;
}

/** One entry of the editable household-status list. */
export interface HouseholdStatus {
  code: string;
  labelZh: string;
  labelEn: string;
  sort: number;
  active: boolean;
}

export interface EmploymentInput {
  /** First and last month of the reporting period, both included. */
  from: Month;
  to: Month;
  /** First month of the monthly trend (at most `from`; default `from`). */
  trendFrom?: Month;
  workers: ReportWorker[];
  days: WorkerDay[];
  accepted: WorkerAcceptedDay[];
  income: WorkerIncome[];
  householdStatuses: HouseholdStatus[];
  /** Privacy threshold for breakdown groups (default 3). */
  minGroupSize?: number;
}

/** The report's figures for one set of workers over one set of months. */
export interface Figures {
  /** Workers employed at some time in the months (see docs/architecture.md). */
  workers: number;
  newWorkers: number;
  activeWorkers: number;
  leavingWorkers: number;
  /** Worker-days with at least one submitted answer. */
  activeDays: number;
  /** Active editor time in hours, two decimals; rows add up to their totals exactly. */
  hours: number;
  /** Answers submitted. */
  items: number;
  /** Answers accepted. */
  accepted: number;
  /** Earnings + bonuses + hourly-floor top-ups + adjustments − reversals, in fen. */
  incomeFen: number;
  /** `incomeFen` ÷ active workers, rounded; null with no active worker. */
  incomePerWorkerFen: number | null;
  /** `incomeFen` ÷ hours, rounded; null with no hours. */
  incomePerHourFen: number | null;
}

/** The additive part of `Figures`: what a sum over months means. */
export type FlowFigures = Pick<
  Figures,
  'newWorkers' | 'leavingWorkers' | 'activeDays' | 'hours' | 'items' | 'accepted' | 'incomeFen' | 'incomePerHourFen'
>;

/** A breakdown row: its figures, or, for a group under the threshold, only `<3`. */
export interface GroupFigures {
  suppressed: boolean;
  /** The head count, or `'<3'`. */
  workers: number | SmallGroup;
  /** Null when suppressed. */
  figures: Figures | null;
}

export interface HouseholdRow extends GroupFigures {
  code: string;
  labelZh: string;
  labelEn: string;
}

export interface AreaRow extends GroupFigures {
  county: string | null;
  township: string | null;
}

export interface Breakdown<Row> {
  rows: Row[];
  /** The suppressed groups taken together (itself `<3` when still too small); null when none. */
  smallGroups: (GroupFigures & { groups: number }) | null;
  /** Everyone: equal to the summary. */
  total: Figures;
}

export interface TrendRow extends Figures {
  month: Month;
}

export interface NamedWorkerRow {
  id: number;
  name: string;
  household: string | null;
  county: string | null;
  township: string | null;
  village: string | null;
  startDate: string | null;
  endDate: string | null;
  figures: Figures;
}

export interface RetentionCell {
  /** The month in which the cohort is looked at (cohort + 3 or + 6). */
  month: Month;
  /** False while that month is after the report's last month. */
  observed: boolean;
  retained: number | null;
  rate: number | null;
}

export interface RetentionRow {
  cohort: Month;
  size: number;
  after3: RetentionCell;
  after6: RetentionCell;
}

export interface RetentionTotal {
  size: number;
  /** Sizes of the cohorts whose month + 3 (+ 6) is observed, and their retained. */
  after3: { size: number; retained: number; rate: number | null };
  after6: { size: number; retained: number; rate: number | null };
}

export interface EmploymentReport {
  period: { from: Month; to: Month; months: Month[] };
  trendMonths: Month[];
  minGroupSize: number;
  summary: Figures;
  /** Of the workers who started 3 (6) months before the last month, how many are active in it. */
  retention: {
    after3: RetentionRow['after3'] & { cohort: Month; size: number };
    after6: RetentionRow['after6'] & { cohort: Month; size: number };
  };
  householdStatuses: { code: string; labelZh: string; labelEn: string }[];
  byHousehold: Breakdown<HouseholdRow>;
  byArea: Breakdown<AreaRow>;
  trend: TrendRow[];
  trendTotal: FlowFigures;
  workers: {
    named: NamedWorkerRow[];
    /** Everyone who did not consent to be named, as one row. */
    unnamed: { count: number; figures: Figures };
    total: Figures;
  };
  cohorts: { rows: RetentionRow[]; total: RetentionTotal };
}
