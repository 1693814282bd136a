import { describe, expect, it } from 'vitest';
import { employmentReport } from './employment.js';
import { employmentTables } from './employment-tables.js';
import { fixture } from './test-fixture.js';

describe('employmentTables', () => {
  it('lays out six sheets whose totals are the sums of their rows', () => {
    const tables = employmentTables(employmentReport({ ...fixture(), minGroupSize: 1 }));
    expect(tables.map((t) => t.sheet)).toEqual(['概况', '按户籍类别', '按县乡', '月度趋势', '人员明细', '留存']);
    for (const table of tables) {
      expect(table.sheet.length).toBeLessThanOrEqual(31);
      for (const row of [...table.rows, ...table.totals]) expect(row).toHaveLength(table.columns.length);
      if (table.totals.length === 0) continue;
      table.columns.forEach((c, i) => {
        // Ratios (per worker, per hour, rates) are derived, not summed.
        if (!['int', 'hours', 'yuan'].includes(c.kind) || /人均|时均/.test(c.header)) return;
        const total = table.totals[0][i];
        if (total === null) return;
        const sum = table.rows.reduce((s, r) => s + (typeof r[i] === 'number' ? (r[i] as number) : 0), 0);
        expect(sum, `${table.sheet} ${c.header}`).toBeCloseTo(total as number, 9);
      });
    }
  });

  it('writes money in yuan, numbers as numbers and small groups as <3', () => {
    const [summary, household, , , workers] = employmentTables(employmentReport(fixture()));
    expect(summary.rows.find((r) => r[0] === '收入（元）')![1]).toBe(7.5);
    const lifted = household.rows.find((r) => r[0] === '脱贫户')!;
    expect(lifted[1]).toBe('<3');
    expect(lifted.slice(2).every((v) => v === null)).toBe(true);
    expect(workers.rows.map((r) => r[0])).toEqual(['Amy', 'Chen', 'Dan', '未具名 1 人']);
  });

  it('speaks English on request', () => {
    const [summary] = employmentTables(employmentReport(fixture()), 'en');
    expect(summary.sheet).toBe('Summary');
    expect(summary.rows[1][0]).toBe('Employed');
  });
});
