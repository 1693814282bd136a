/** A hand-made month of work for the report's unit tests (see `fixture`). */
import type { EmploymentInput, HouseholdStatus, ReportWorker, WorkerDay } from './employment-types.js';
import { DAY_MS } from './months.js';

export const statuses: HouseholdStatus[] = [
  { code: 'registered_poor', labelZh: '建档立卡贫困户', labelEn: 'Registered poor household', sort: 1, active: true },
  { code: 'lifted', labelZh: '脱贫户', labelEn: 'Lifted out of poverty', sort: 2, active: true },
  { code: 'monitored', labelZh: '防止返贫监测对象', labelEn: 'Monitored household', sort: 3, active: true },
  { code: 'none', labelZh: '一般户', labelEn: 'None', sort: 4, active: true },
  { code: 'old_code', labelZh: '旧类别', labelEn: 'Old', sort: 9, active: false },
];

export const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const at = (date: string) => Date.parse(`${date}T09:00:00Z`);

export function worker(id: number, name: string, over: Partial<ReportWorker>): ReportWorker {
  return {
    id,
    name,
    consentNamed: true,
    household: 'none',
    county: null,
    township: null,
    village: null,
    startDate: null,
    endDate: null,
    firstActivityAt: null,
    ...over,
  };
}

/**
 * November 2026, counted by hand:
 * - Amy: consents, poor, A/X, started 2026-08-15; Nov: 2 days, 5 items, 1.5 h, 4 accepted, 5 yuan.
 * - Bo: no consent, poor, A/X, no start date, first answer 2026-11-03 (new); 1 day, 2 items, 0.25 h, 1 accepted, 2 yuan.
 * - Chen: consents, poor, A/Y, 2026-05-01 to 2026-11-20 (leaving); 1 day, 1 item, 1,234,567 ms (→ 0.34 h),
 *   1 yuan less a 0.5 yuan reversal; also active in August.
 * - Dan: consents, lifted, B/Z, starts 2026-11-10 (new), no work yet.
 * - Eve: no consent, monitored, A/X, 2026-01-01 to 2026-10-31: gone before November.
 * - Fay: consents, none, starts 2027-01-04: not yet employed.
 */
export function fixture(): EmploymentInput {
  const workers = [
    worker(1, 'Amy', {
      household: 'registered_poor',
      county: 'A县',
      township: 'X乡',
      startDate: '2026-08-15',
      firstActivityAt: at('2026-08-20'),
    }),
    worker(2, 'Bo', {
      consentNamed: false,
      household: 'registered_poor',
      county: 'A县',
      township: 'X乡',
      firstActivityAt: at('2026-11-03'),
    }),
    worker(3, 'Chen', {
      household: 'registered_poor',
      county: 'A县',
      township: 'Y镇',
      startDate: '2026-05-01',
      endDate: '2026-11-20',
      firstActivityAt: at('2026-05-02'),
    }),
    worker(4, 'Dan', { household: 'lifted', county: 'B县', township: 'Z乡', startDate: '2026-11-10' }),
    worker(5, 'Eve', {
      consentNamed: false,
      household: 'monitored',
      county: 'A县',
      township: 'X乡',
      startDate: '2026-01-01',
      endDate: '2026-10-31',
      firstActivityAt: at('2026-01-05'),
    }),
    worker(6, 'Fay', { startDate: '2027-01-04' }),
  ];
  const days: WorkerDay[] = [
    { workerId: 1, day: day('2026-08-20'), items: 1, activeMs: 600_000 },
    { workerId: 1, day: day('2026-11-02'), items: 3, activeMs: 3_600_000 },
    { workerId: 1, day: day('2026-11-30'), items: 2, activeMs: 1_800_000 },
    { workerId: 2, day: day('2026-11-03'), items: 2, activeMs: 900_000 },
    { workerId: 3, day: day('2026-05-02'), items: 4, activeMs: 1_000_000 },
    { workerId: 3, day: day('2026-08-03'), items: 1, activeMs: 100_000 },
    { workerId: 3, day: day('2026-11-19'), items: 1, activeMs: 1_234_567 },
    { workerId: 5, day: day('2026-10-30'), items: 7, activeMs: 7_200_000 },
    { workerId: 99, day: day('2026-11-05'), items: 50, activeMs: 1 }, // not a worker of this report
  ];
  return {
    from: '2026-11',
    to: '2026-11',
    trendFrom: '2026-05',
    workers,
    days,
    accepted: [
      { workerId: 1, day: day('2026-10-31'), accepted: 1 },
      { workerId: 1, day: day('2026-11-03'), accepted: 4 },
      { workerId: 2, day: day('2026-11-04'), accepted: 1 },
    ],
    income: [
      { workerId: 1, period: '2026-11', amountFen: 500 },
      { workerId: 2, period: '2026-11', amountFen: 200 },
      { workerId: 3, period: '2026-11', amountFen: 100 },
      { workerId: 3, period: '2026-11', amountFen: -50 },
      { workerId: 5, period: '2026-10', amountFen: 300 },
    ],
    householdStatuses: statuses,
  };
}
