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

// --- the response ------------------------------------------------------------------
// Registered as the route's response schema, so the serializer drops any field not
// listed here: a structural guard that nothing about a person who did not consent
// (a name, a user name, an id) can leave the server by a later slip in the code.

const figures = z.object({
  workers: z.number(),
  newWorkers: z.number(),
  activeWorkers: z.number(),
  leavingWorkers: z.number(),
  activeDays: z.number(),
  hours: z.number(),
  items: z.number(),
  accepted: z.number(),
  incomeFen: z.number(),
  incomePerWorkerFen: z.number().nullable(),
  incomePerHourFen: z.number().nullable(),
});
const group = {
  suppressed: z.boolean(),
  workers: z.union([z.number(), z.literal('<3')]),
  figures: figures.nullable(),
};
const breakdown = <Row extends z.ZodTypeAny>(row: Row) =>
  z.object({
    rows: z.array(row),
    smallGroups: z.object({ groups: z.number(), ...group }).nullable(),
    total: figures,
  });
const retentionCell = z.object({
  month: z.string(),
  observed: z.boolean(),
  retained: z.number().nullable(),
  rate: z.number().nullable(),
});
const retentionSum = z.object({ size: z.number(), retained: z.number(), rate: z.number().nullable() });
const headline = retentionCell.extend({ cohort: z.string(), size: z.number() });

export const employmentReportResponse = z.object({
  period: z.object({ from: z.string(), to: z.string(), months: z.array(z.string()) }),
  trendMonths: z.array(z.string()),
  minGroupSize: z.number(),
  summary: figures,
  retention: z.object({ after3: headline, after6: headline }),
  householdStatuses: z.array(z.object({ code: z.string(), labelZh: z.string(), labelEn: z.string() })),
  byHousehold: breakdown(z.object({ code: z.string(), labelZh: z.string(), labelEn: z.string(), ...group })),
  byArea: breakdown(z.object({ county: z.string().nullable(), township: z.string().nullable(), ...group })),
  trend: z.array(figures.extend({ month: z.string() })),
  trendTotal: figures.pick({
    newWorkers: true,
    leavingWorkers: true,
    activeDays: true,
    hours: true,
    items: true,
    accepted: true,
    incomeFen: true,
    incomePerHourFen: true,
  }),
  workers: z.object({
    named: z.array(
      z.object({
        id: z.number(),
        name: z.string(),
        household: z.string().nullable(),
        county: z.string().nullable(),
        township: z.string().nullable(),
        village: z.string().nullable(),
        startDate: z.string().nullable(),
        endDate: z.string().nullable(),
        figures,
      }),
    ),
    unnamed: z.object({ count: z.number(), figures }),
    total: figures,
  }),
  cohorts: z.object({
    rows: z.array(z.object({ cohort: z.string(), size: z.number(), after3: retentionCell, after6: retentionCell })),
    total: z.object({ size: z.number(), after3: retentionSum, after6: retentionSum }),
  }),
});

/** The response as the web reads it; the route's typing checks that the computed report fits it. */
export type EmploymentReportResponse = z.infer<typeof employmentReportResponse>;
