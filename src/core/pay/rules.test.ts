import { describe, expect, it } from 'vitest';
import {
  bonusFen,
  bonusPctFor,
  effectiveHourlyFen,
  floorTopUpFen,
  hoursOf,
  isBelowMinimum,
  MS_PER_HOUR,
  settle,
} from './rules.js';

const tiers = [
  { minAccuracy: 0.95, bonusPct: 20 },
  { minAccuracy: 0.9, bonusPct: 10 },
];

describe('bonus tiers', () => {
  it('takes the highest tier reached, whatever the order they are listed in', () => {
    expect(bonusPctFor(0.89, tiers)).toBe(0);
    expect(bonusPctFor(0.9, tiers)).toBe(10);
    expect(bonusPctFor(0.97, tiers)).toBe(20);
    expect(bonusPctFor(0.97, [...tiers].reverse())).toBe(20);
  });
  it('pays no bonus without an accuracy, without tiers, or on nothing earned', () => {
    expect(bonusPctFor(null, tiers)).toBe(0);
    expect(bonusPctFor(Number.NaN, tiers)).toBe(0);
    expect(bonusFen(1000, 0.99, [])).toBe(0);
    expect(bonusFen(0, 0.99, tiers)).toBe(0);
    expect(bonusFen(-500, 0.99, tiers)).toBe(0);
  });
  it('rounds half up to whole fen', () => {
    expect(bonusFen(1234, 0.92, tiers)).toBe(123); // 123.4
    expect(bonusFen(1235, 0.92, tiers)).toBe(124); // 123.5
    expect(bonusFen(5, 0.92, tiers)).toBe(1); // 0.5
    expect(bonusFen(4, 0.92, tiers)).toBe(0); // 0.4
  });
});

describe('hourly floor', () => {
  it('tops up to the floor for the active time and never takes anything away', () => {
    expect(floorTopUpFen(1000, 2 * MS_PER_HOUR, 1500)).toBe(2000);
    expect(floorTopUpFen(5000, 2 * MS_PER_HOUR, 1500)).toBe(0);
    expect(floorTopUpFen(1000, 0, 1500)).toBe(0);
    expect(floorTopUpFen(1000, MS_PER_HOUR, 0)).toBe(0);
  });
  it('counts part hours to the fen', () => {
    // 20 minutes at 2,000 fen/h is 666.67 fen, owed as 667.
    expect(floorTopUpFen(0, 20 * 60_000, 2000)).toBe(667);
  });
  it('lets the floor top up piece pay plus bonus, not swallow the bonus', () => {
    expect(settle({ pieceFen: 1000, accuracy: 0.95, activeMs: MS_PER_HOUR, tiers, floorFenPerHour: 2000 })).toEqual({
      bonusFen: 200,
      floorTopUpFen: 800,
    });
    expect(settle({ pieceFen: 3000, accuracy: 0.5, activeMs: MS_PER_HOUR, tiers, floorFenPerHour: 2000 })).toEqual({
      bonusFen: 0,
      floorTopUpFen: 0,
    });
  });
});

describe('effective hourly pay and the fair-pay check', () => {
  it('divides earnings by active hours', () => {
    expect(effectiveHourlyFen(3000, 90 * 60_000)).toBe(2000);
    expect(effectiveHourlyFen(1000, 3 * MS_PER_HOUR)).toBe(333);
    expect(effectiveHourlyFen(-300, MS_PER_HOUR)).toBe(-300);
    expect(effectiveHourlyFen(1000, 0)).toBeNull();
  });
  it('flags pay under the minimum, and nobody without active time', () => {
    expect(isBelowMinimum(1999, 2000)).toBe(true);
    expect(isBelowMinimum(2000, 2000)).toBe(false);
    expect(isBelowMinimum(null, 2000)).toBe(false);
  });
  it('shows hours with two decimals', () => {
    expect(hoursOf(90 * 60_000)).toBe(1.5);
    expect(hoursOf(61_000)).toBe(0.02);
  });
});
