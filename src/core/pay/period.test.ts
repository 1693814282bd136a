import { describe, expect, it } from 'vitest';
import { fenToYuan, formatYuan, yuanToFen } from './money.js';
import { isPeriod, nextPeriod, periodOf, periodRange, previousPeriod, utcWeekStart } from './period.js';

describe('pay periods', () => {
  it('names the UTC month of an instant', () => {
    expect(periodOf(Date.UTC(2026, 10, 30, 23, 59, 59, 999))).toBe('2026-11');
    expect(periodOf(Date.UTC(2026, 11, 1))).toBe('2026-12');
  });
  it('steps across the year end both ways', () => {
    expect(nextPeriod('2026-12')).toBe('2027-01');
    expect(previousPeriod('2027-01')).toBe('2026-12');
    expect(nextPeriod('2026-02')).toBe('2026-03');
  });
  it('spans the whole month, end excluded', () => {
    const r = periodRange('2026-02');
    expect(r).toEqual({ start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) });
  });
  it('accepts only YYYY-MM', () => {
    expect(isPeriod('2026-11')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-11', '2026-11-01', '']) expect(isPeriod(bad)).toBe(false);
    expect(() => periodRange('2026-13')).toThrow(RangeError);
  });
  it('starts the week on Monday', () => {
    // 2026-11-28 is a Saturday; its week began on Monday 2026-11-23.
    expect(utcWeekStart(Date.UTC(2026, 10, 28, 8))).toBe(Date.UTC(2026, 10, 23));
    expect(utcWeekStart(Date.UTC(2026, 10, 23))).toBe(Date.UTC(2026, 10, 23));
    expect(utcWeekStart(Date.UTC(2026, 10, 22, 23))).toBe(Date.UTC(2026, 10, 16));
  });
});

describe('money', () => {
  it('writes fen as yuan exactly', () => {
    expect(fenToYuan(1234)).toBe('12.34');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(-5)).toBe('-0.05');
    expect(fenToYuan(0)).toBe('0.00');
    expect(formatYuan(123456)).toBe('¥1234.56');
    expect(formatYuan(-1)).toBe('-¥0.01');
    expect(() => fenToYuan(1.5)).toThrow(RangeError);
  });
  it('reads typed yuan as exact fen, and nothing doubtful', () => {
    expect(yuanToFen('12')).toBe(1200);
    expect(yuanToFen('12.3')).toBe(1230);
    expect(yuanToFen(' ¥1,234.05 ')).toBe(123405);
    expect(yuanToFen('0.07')).toBe(7);
    for (const bad of ['', '-1', '1.234', 'abc', '1e3', '.5']) expect(yuanToFen(bad)).toBeNull();
  });
});
