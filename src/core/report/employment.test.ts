import { describe, expect, it } from 'vitest';
import { employmentReport } from './employment.js';
import type { Figures } from './employment-types.js';
import { day, fixture, worker } from './test-fixture.js';

const additive: (keyof Figures)[] = [
  'workers',
  'newWorkers',
  'activeWorkers',
  'leavingWorkers',
  'activeDays',
  'items',
  'accepted',
  'incomeFen',
];

function sum(rows: Figures[]): Record<string, number> {
  const out: Record<string, number> = { centiHours: 0 };
  for (const k of additive) out[k] = 0;
  for (const r of rows) {
    for (const k of additive) out[k] += r[k] as number;
    out.centiHours += Math.round(r.hours * 100);
  }
  return out;
}

describe('employmentReport', () => {
  it('matches the hand counts for November', () => {
    const r = employmentReport(fixture());
    expect(r.summary).toEqual({
      workers: 4,
      newWorkers: 2,
      activeWorkers: 3,
      leavingWorkers: 1,
      activeDays: 4,
      hours: 2.09,
      items: 8,
      accepted: 5,
      incomeFen: 750,
      incomePerWorkerFen: 250,
      incomePerHourFen: 359,
    });
    expect(r.period.months).toEqual(['2026-11']);
    expect(r.trendMonths).toEqual(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
  });

  it('breaks down by household status, hiding groups under three people', () => {
    const r = employmentReport(fixture());
    const rows = Object.fromEntries(r.byHousehold.rows.map((row) => [row.code, row]));
    expect(r.byHousehold.rows.map((row) => row.code)).toEqual(['registered_poor', 'lifted', 'monitored', 'none']);
    expect(rows.registered_poor.workers).toBe(3);
    expect(rows.registered_poor.figures).toMatchObject({
      newWorkers: 1,
      activeWorkers: 3,
      leavingWorkers: 1,
      incomeFen: 750,
    });
    expect(rows.registered_poor.labelZh).toBe('建档立卡贫困户');
    expect(rows.lifted).toMatchObject({ suppressed: true, workers: '<3', figures: null });
    expect(rows.monitored).toMatchObject({ suppressed: false, workers: 0 });
    expect(r.byHousehold.smallGroups).toMatchObject({ groups: 1, suppressed: true, workers: '<3', figures: null });
    expect(r.byHousehold.total).toEqual(r.summary);
  });

  it('breaks down by county and township', () => {
    const r = employmentReport({ ...fixture(), minGroupSize: 1 });
    expect(r.byArea.rows.map((a) => [a.county, a.township, a.workers])).toEqual([
      ['A县', 'X乡', 2],
      ['A县', 'Y镇', 1],
      ['B县', 'Z乡', 1],
    ]);
    expect(r.byArea.rows[0].figures).toMatchObject({ activeDays: 3, items: 7, hours: 1.75, incomeFen: 700 });
    expect(r.byArea.smallGroups).toBeNull();

    const guarded = employmentReport(fixture());
    expect(guarded.byArea.rows.every((a) => a.workers === '<3' && a.figures === null)).toBe(true);
    // The three small groups together hold four people: enough to show.
    expect(guarded.byArea.smallGroups).toMatchObject({ groups: 3, suppressed: false, workers: 4 });
    expect(guarded.byArea.smallGroups!.figures).toEqual(guarded.summary);
  });

  it('names only consenting workers and folds the others into one row', () => {
    const r = employmentReport(fixture());
    expect(r.workers.named.map((w) => w.name)).toEqual(['Amy', 'Chen', 'Dan']);
    expect(r.workers.unnamed.count).toBe(1);
    expect(r.workers.unnamed.figures).toMatchObject({ items: 2, incomeFen: 200, newWorkers: 1 });
    const text = JSON.stringify(r);
    expect(text).not.toContain('Bo');
    expect(text).not.toContain('Eve');
    expect(text).not.toContain('"id":2');
  });

  it('adds up: rows to totals, hours included', () => {
    const r = employmentReport({ ...fixture(), minGroupSize: 1 });
    for (const b of [r.byHousehold, r.byArea]) {
      expect(sum(b.rows.map((row) => row.figures!))).toEqual(sum([r.summary]));
    }
    expect(sum([...r.workers.named.map((w) => w.figures), r.workers.unnamed.figures])).toEqual(sum([r.summary]));
    const flow = sum(r.trend);
    expect(flow.items).toBe(r.trendTotal.items);
    expect(flow.incomeFen).toBe(r.trendTotal.incomeFen);
    expect(flow.centiHours).toBe(Math.round(r.trendTotal.hours * 100));
  });

  it('reads the monthly trend', () => {
    const r = employmentReport(fixture());
    const aug = r.trend.find((t) => t.month === '2026-08')!;
    // Amy (starts), Chen, Eve employed; Amy and Chen active.
    expect(aug).toMatchObject({ workers: 3, newWorkers: 1, activeWorkers: 2, leavingWorkers: 0, items: 2 });
    const oct = r.trend.find((t) => t.month === '2026-10')!;
    expect(oct).toMatchObject({ workers: 3, leavingWorkers: 1, activeWorkers: 1, accepted: 1, incomeFen: 300 });
    const may = r.trend.find((t) => t.month === '2026-05')!;
    expect(may).toMatchObject({ workers: 2, newWorkers: 1 });
  });

  it('measures retention at 3 and 6 months', () => {
    const r = employmentReport(fixture());
    expect(r.retention.after3).toMatchObject({ cohort: '2026-08', size: 1, month: '2026-11', retained: 1, rate: 1 });
    expect(r.retention.after6).toMatchObject({ cohort: '2026-05', size: 1, month: '2026-11', retained: 1, rate: 1 });
    const may = r.cohorts.rows.find((c) => c.cohort === '2026-05')!;
    expect(may.after3).toEqual({ month: '2026-08', observed: true, retained: 1, rate: 1 });
    const nov = r.cohorts.rows.find((c) => c.cohort === '2026-11')!;
    expect(nov.size).toBe(2);
    expect(nov.after3).toEqual({ month: '2027-02', observed: false, retained: null, rate: null });
    expect(r.cohorts.total).toEqual({
      size: 4,
      after3: { size: 2, retained: 2, rate: 1 },
      after6: { size: 1, retained: 1, rate: 1 },
    });
  });

  it('a worker who stopped working is not retained', () => {
    const input = fixture();
    input.days = input.days.filter((d) => !(d.workerId === 1 && d.day >= day('2026-11-01')));
    const r = employmentReport(input);
    expect(r.retention.after3).toMatchObject({ cohort: '2026-08', size: 1, retained: 0, rate: 0 });
    // Amy is still employed (no end date) but not active.
    expect(r.summary).toMatchObject({ workers: 4, activeWorkers: 2 });
  });

  it('covers a range of months', () => {
    const r = employmentReport({ ...fixture(), from: '2026-10', to: '2026-11', trendFrom: undefined });
    expect(r.trendMonths).toEqual(['2026-10', '2026-11']);
    // Eve (October) joins; Amy's October acceptance counts.
    expect(r.summary).toMatchObject({ workers: 5, activeWorkers: 4, leavingWorkers: 2, accepted: 6, incomeFen: 1050 });
  });

  it('rejects bad months', () => {
    expect(() => employmentReport({ ...fixture(), from: '2026-13' })).toThrow(RangeError);
    expect(() => employmentReport({ ...fixture(), from: '2026-12' })).toThrow(/after it ends/);
    expect(() => employmentReport({ ...fixture(), trendFrom: '2026-12' })).toThrow(RangeError);
  });

  it('labels codes not in the list and keeps inactive codes in use', () => {
    const input = fixture();
    input.workers[3] = { ...input.workers[3], household: 'old_code' };
    input.workers.push(worker(7, 'Gu', { household: 'mystery', startDate: '2026-11-01' }));
    const r = employmentReport({ ...input, minGroupSize: 1 });
    const codes = r.byHousehold.rows.map((row) => [row.code, row.labelZh]);
    expect(codes).toContainEqual(['old_code', '旧类别']);
    expect(codes).toContainEqual(['mystery', 'mystery']);
  });
});
