import { describe, expect, it } from 'vitest';
import { expNeg } from './fast-exp.js';

describe('expNeg', () => {
  it('matches Math.exp(−e) to a relative 1e-15 over its range', () => {
    let worst = 0;
    for (let i = 0; i < 399_900; i++) {
      const e = i * 1e-4 + ((i * 7919) % 97) * 1e-7;
      const want = Math.exp(-e);
      worst = Math.max(worst, Math.abs(expNeg(e) - want) / want);
    }
    expect(worst).toBeLessThan(1e-15);
  });

  it('is exact at 0, 0 beyond the table and NaN for NaN', () => {
    expect(expNeg(0)).toBe(1);
    expect(expNeg(40)).toBe(0);
    expect(expNeg(1e300)).toBe(0);
    expect(expNeg(Infinity)).toBe(0);
    expect(expNeg(NaN)).toBeNaN();
  });
});
