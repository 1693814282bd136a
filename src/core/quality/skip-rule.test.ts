import { describe, expect, it } from 'vitest';
import { binomialTail, skipVerdict } from './skip-rule.js';

describe('binomialTail', () => {
  it('matches hand-computed tails', () => {
    expect(binomialTail(0, 10, 0.3)).toBe(1);
    expect(binomialTail(11, 10, 0.3)).toBe(0);
    expect(binomialTail(10, 10, 0.5)).toBeCloseTo(1 / 1024, 12);
    // P(X ≥ 1 | 3, 0.5) = 1 − 1/8
    expect(binomialTail(1, 3, 0.5)).toBeCloseTo(7 / 8, 12);
    // P(X ≥ 2 | 5, 0.1) = 1 − 0.9^5 − 5·0.1·0.9^4
    expect(binomialTail(2, 5, 0.1)).toBeCloseTo(1 - 0.9 ** 5 - 5 * 0.1 * 0.9 ** 4, 12);
  });

  it('stays finite for large n', () => {
    const p = binomialTail(600, 1000, 0.5);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-9);
  });
});

describe('skipVerdict', () => {
  const opts = { minLeases: 5, margin: 0.25 };

  it('acts on a worker who skips every check and no regular item', () => {
    const v = skipVerdict({ gold: { leases: 6, skips: 6 }, regular: { leases: 50, skips: 0 } }, opts);
    expect(v.acts).toBe(true);
    expect(v.goldRate).toBe(1);
    expect(v.pValue).toBeLessThan(1e-6);
  });

  it('waits for min leases of gold', () => {
    expect(skipVerdict({ gold: { leases: 4, skips: 4 }, regular: { leases: 50, skips: 0 } }, opts).acts).toBe(false);
  });

  it('leaves alone a worker who skips gold and regular items alike', () => {
    const v = skipVerdict({ gold: { leases: 20, skips: 6 }, regular: { leases: 180, skips: 50 } }, opts);
    expect(v.acts).toBe(false);
  });

  it('leaves alone a small, chance excess (two skips of five checks)', () => {
    const v = skipVerdict({ gold: { leases: 5, skips: 2 }, regular: { leases: 45, skips: 2 } }, opts);
    expect(v.goldRate - v.regularRate).toBeGreaterThan(0.25);
    expect(v.acts).toBe(false);
  });

  /** 2,000 simulated workers × 400 leases at 10 % gold, each item skipped with `skip`; `goldSkipper` skips every check. */
  function simulate(skip: number, goldSkipper: boolean, seed0 = 7) {
    let seed = seed0;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const caughtAt: number[] = [];
    for (let w = 0; w < 2000; w++) {
      const c = { gold: { leases: 0, skips: 0 }, regular: { leases: 0, skips: 0 } };
      for (let i = 0; i < 400; i++) {
        const gold = rand() < 0.1;
        const side = gold ? c.gold : c.regular;
        side.leases++;
        if ((gold && goldSkipper) || rand() < skip) side.skips++;
        if (skipVerdict(c, opts).acts) {
          caughtAt.push(c.gold.leases);
          break;
        }
      }
    }
    return caughtAt;
  }

  it('never acts on careful workers who skip 5 % or 15 % of everything', () => {
    for (const seed of [7, 2026]) {
      expect(simulate(0.05, false, seed)).toEqual([]);
      expect(simulate(0.15, false, seed)).toEqual([]);
    }
  });

  it('catches every gold skipper within 20 checks', () => {
    for (const skip of [0, 0.05, 0.15]) {
      const at = simulate(skip, true);
      expect(at).toHaveLength(2000);
      expect(Math.max(...at)).toBeLessThanOrEqual(20);
    }
  });
});
