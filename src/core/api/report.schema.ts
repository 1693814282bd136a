import { z } from 'zod';
import { isMonth } from '../report/months.js';

/**
 * Longest period or trend one report covers: five years of months keeps the per-day
 * rows a report reads (workers × active days) within what one request should carry.
 */
export const MAX_REPORT_MONTHS = 60;

const month = z.string().refine(isMonth, { message: "must be a month 'YYYY-MM'" });

/**
 * `GET /api/reports/employment[.xlsx]?month=2026-11`, or `?from=2026-06&to=2026-11`
 * for a range; no month means the current one. `trendMonths` months of history end
 * at the last month (the trend also covers the whole period). `lang` names the
 * `.xlsx` file's language.
 */
export const employmentQuery = z.object({
  month: month.optional(),
  from: month.optional(),
  to: month.optional(),
  trendMonths: z.coerce.number().int().min(1).max(MAX_REPORT_MONTHS).default(12),
  lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
});

export type EmploymentQuery = z.input<typeof employmentQuery>;
