/**
 * The employment report for the development zone and the rural revitalisation office:
 * an admin's or a manager's own vendor organisation, its workers only. The figures
 * come from `core/report`; this service picks the period, reads the rows and writes
 * the `.xlsx` file.
 */
import { MAX_REPORT_MONTHS, type EmploymentQuery } from '../../core/api/report.schema.js';
import { employmentReport } from '../../core/report/employment.js';
import { employmentTables } from '../../core/report/employment-tables.js';
import type { EmploymentReport } from '../../core/report/employment-types.js';
import type { ReportLocale } from '../../core/report/labels.js';
import {
  addMonths,
  isMonth,
  monthCount,
  monthEndMs,
  monthOfMs,
  monthStartMs,
  type Month,
} from '../../core/report/months.js';
import { badRequest } from '../errors.js';
import type { ReportRepository } from '../repositories/report.repository.js';
import { tenancyOf, type Actor } from './access.js';
import type { Clock } from './clock.js';
import { tablesToXlsx } from './report-xlsx.js';

export interface ReportPeriod {
  from: Month;
  to: Month;
  trendFrom: Month;
}

export class ReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly clock: Clock,
  ) {}

  async employment(actor: Actor, query: EmploymentQuery): Promise<EmploymentReport> {
    const orgId = tenancyOf(actor);
    return this.employmentOf(orgId, query);
  }

  async employmentXlsx(actor: Actor, query: EmploymentQuery): Promise<{ filename: string; body: Buffer }> {
    const orgId = tenancyOf(actor);
    return this.employmentXlsxOf(orgId, query);
  }

  /** Without an actor: the CLI, run by the server's operator, names the organisation. */
  async employmentOf(orgId: number, query: EmploymentQuery): Promise<EmploymentReport> {
    const period = resolvePeriod(query, monthOfMs(this.clock.now()));
    const fromMs = monthStartMs(period.trendFrom);
    const toMs = monthEndMs(period.to);
    const [workers, days, accepted, income, householdStatuses] = await Promise.all([
      this.reports.workers(orgId),
      this.reports.days(orgId, fromMs, toMs),
      this.reports.accepted(orgId, fromMs, toMs),
      this.reports.income(orgId, period.trendFrom, period.to),
      this.reports.householdStatuses(),
    ]);
    return employmentReport({ ...period, workers, days, accepted, income, householdStatuses });
  }

  async employmentXlsxOf(orgId: number, query: EmploymentQuery): Promise<{ filename: string; body: Buffer }> {
    const report = await this.employmentOf(orgId, query);
    const locale: ReportLocale = query.lang ?? 'zh-CN';
    const { from, to } = report.period;
    const filename = `shugu-employment-${from === to ? from : `${from}_${to}`}.xlsx`;
    return { filename, body: await tablesToXlsx(employmentTables(report, locale), new Date(this.clock.now())) };
  }
}

/**
 * The months a query asks for: `month`, or `from`..`to` (either alone is a single
 * month), or the current month; the trend reaches `trendMonths` back from the end.
 */
export function resolvePeriod(query: EmploymentQuery, currentMonth: Month): ReportPeriod {
  for (const m of [query.month, query.from, query.to]) {
    if (m !== undefined && !isMonth(m)) throw badRequest('invalid_month', `'${m}' is not a month 'YYYY-MM'.`);
  }
  if (query.month && (query.from || query.to)) {
    throw badRequest('invalid_period', 'Ask for one month, or for a range with from and to, not both.');
  }
  const from = query.month ?? query.from ?? query.to ?? currentMonth;
  const to = query.month ?? query.to ?? query.from ?? currentMonth;
  if (from > to) throw badRequest('invalid_period', `The period starts (${from}) after it ends (${to}).`);
  if (monthCount(from, to) > MAX_REPORT_MONTHS) {
    throw badRequest('period_too_long', `A report covers at most ${MAX_REPORT_MONTHS} months.`);
  }
  const trendMonths = Number(query.trendMonths ?? 12);
  if (!Number.isInteger(trendMonths) || trendMonths < 1 || trendMonths > MAX_REPORT_MONTHS) {
    throw badRequest('invalid_trend', `The trend covers 1 to ${MAX_REPORT_MONTHS} months.`);
  }
  const back = addMonths(to, -(trendMonths - 1));
  return { from, to, trendFrom: back < from ? back : from };
}
