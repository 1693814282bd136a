import { describe, expect, it } from 'vitest';
import { checkCohort, mapHeader } from './cohort.js';

const lookups = {
  statuses: [{ code: 'none', label_zh: '一般户', label_en: 'None', active: 1 }],
  takenUsernames: new Set(['admin']),
  knownPhones: new Set(['13900139000']),
  today: '2026-12-02',
};

describe('cohort sheet', () => {
  it('maps Chinese and English headers, whatever their spacing, brackets and case', () => {
    const { columns, missing } = mapHeader(['姓 名', 'Phone', '县（区）', 'start_date', '备注']);
    expect(columns).toEqual(['name', 'phone', 'county', 'startDate', null]);
    expect(missing).toEqual([]);
    expect(mapHeader(['手机号']).missing).toEqual(['name']);
  });

  it('names every bad cell and keeps only rows without errors', () => {
    const { rows, problems } = checkCohort(
      [
        { line: 2, cells: { name: '甲', phone: '13900139000' } },
        { line: 3, cells: { name: '乙', username: 'admin' } },
        { line: 4, cells: { name: '丙', username: 'Bing' } },
        { line: 5, cells: { name: '丁', username: 'bing', consent: '是' } },
        { line: 6, cells: { name: '戊'.repeat(101) } },
      ],
      lookups,
    );
    expect(problems.map((p) => [p.line, p.reason, p.severity])).toEqual([
      [2, 'duplicate_phone', 'warning'],
      [3, 'duplicate_username', 'error'],
      [5, 'duplicate_username', 'error'],
      [6, 'name_too_long', 'error'],
    ]);
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(rows[0]).toMatchObject({ household: 'none', startDate: '2026-12-02', consentNamed: false, username: null });
  });
});
