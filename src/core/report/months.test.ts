import { describe, expect, it } from 'vitest';
import {
  addMonths,
  isMonth,
  monthCount,
  monthEndMs,
  monthOfDate,
  monthOfDay,
  monthOfMs,
  monthRange,
  monthStartMs,
} from './months.js';

describe('months', () => {
  it('validates', () => {
    expect(isMonth('2026-11')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-11', '2026-11-01', '1999-12', ''])
      expect(isMonth(bad)).toBe(false);
  });

  it('steps across years', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2026-02', -6)).toBe('2025-08');
    expect(monthRange('2026-11', '2027-01')).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(monthRange('2026-11', '2026-10')).toEqual([]);
    expect(monthCount('2026-01', '2026-12')).toBe(12);
  });

  it('bounds a month in UTC', () => {
    expect(monthStartMs('2026-11')).toBe(Date.UTC(2026, 10, 1));
    expect(monthEndMs('2026-12')).toBe(Date.UTC(2027, 0, 1));
    expect(monthOfMs(Date.UTC(2026, 10, 30, 23, 59, 59, 999))).toBe('2026-11');
    expect(monthOfMs(Date.UTC(2026, 11, 1))).toBe('2026-12');
    expect(monthOfDay(Date.UTC(2026, 10, 30) / 86_400_000)).toBe('2026-11');
    expect(monthOfDate('2026-11-20')).toBe('2026-11');
    expect(monthOfDate('garbage')).toBeNull();
    expect(monthOfDate(null)).toBeNull();
  });
});
