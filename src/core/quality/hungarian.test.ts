import { describe, expect, it } from 'vitest';
import { hungarian, solveAssignment } from './hungarian.js';

/** Best total by trying every injective map from the smaller side to the larger. */
function bruteForce(m: number[][], maximize: boolean): number {
  const rows = m.length;
  const cols = m[0].length;
  const small = Math.min(rows, cols);
  const big = Math.max(rows, cols);
  const at = (i: number, j: number) => (rows <= cols ? m[i][j] : m[j][i]);
  let best = maximize ? -Infinity : Infinity;
  const used = new Array<boolean>(big).fill(false);
  const rec = (i: number, sum: number) => {
    if (i === small) {
      best = maximize ? Math.max(best, sum) : Math.min(best, sum);
      return;
    }
    for (let j = 0; j < big; j++) {
      if (used[j]) continue;
      used[j] = true;
      rec(i + 1, sum + at(i, j));
      used[j] = false;
    }
  };
  rec(0, 0);
  return best;
}

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('hungarian', () => {
  it('solves a hand-checked 3×3 case', () => {
    // Rows [4 1 3] [2 0 5] [3 2 2]: best is 1 + 2 + 2 = 5 (row 0 → 1, row 1 → 0, row 2 → 2).
    expect(Array.from(solveAssignment([4, 1, 3, 2, 0, 5, 3, 2, 2], 3, 3))).toEqual([1, 0, 2]);
    const r = hungarian([
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ]);
    expect(r.total).toBe(5);
    expect(r.colToRow).toEqual([1, 0, 2]);
  });

  it('maximises when asked', () => {
    const r = hungarian(
      [
        [0.9, 0.1],
        [0.8, 0.7],
      ],
      { maximize: true },
    );
    expect(r.rowToCol).toEqual([0, 1]);
    expect(r.total).toBeCloseTo(1.6, 12);
  });

  it('beats greedy', () => {
    // Greedy takes 0.9 first and is left with 0; optimal is 0.8 + 0.7.
    const r = hungarian(
      [
        [0.9, 0.8],
        [0.7, 0],
      ],
      { maximize: true },
    );
    expect(r.rowToCol).toEqual([1, 0]);
  });

  it('handles rectangular matrices both ways', () => {
    const wide = hungarian([
      [5, 1, 9],
      [1, 5, 9],
    ]);
    expect(wide.rowToCol).toEqual([1, 0]);
    expect(wide.colToRow).toEqual([1, 0, -1]);
    const tall = hungarian([
      [5, 1],
      [1, 5],
      [0, 0],
    ]);
    expect(tall.total).toBe(1);
    expect(tall.rowToCol.filter((j) => j >= 0)).toHaveLength(2);
    expect(new Set(tall.rowToCol.filter((j) => j >= 0)).size).toBe(2);
  });

  it('agrees with brute force on random matrices up to 6×6', () => {
    const rnd = lcg(42);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(rnd() * 6);
      const cols = 1 + Math.floor(rnd() * 6);
      const ints = trial % 2 === 0; // integer costs produce many ties
      const m = Array.from({ length: rows }, () =>
        Array.from({ length: cols }, () => (ints ? Math.floor(rnd() * 4) : rnd() * 10 - 3)),
      );
      const maximize = trial % 3 === 0;
      const r = hungarian(m, { maximize });
      expect(r.total).toBeCloseTo(bruteForce(m, maximize), 9);
      const assigned = r.rowToCol.filter((j) => j >= 0);
      expect(assigned).toHaveLength(Math.min(rows, cols));
      expect(new Set(assigned).size).toBe(assigned.length);
    }
  });

  it('handles empty matrices and refuses non-finite costs', () => {
    expect(hungarian([])).toEqual({ rowToCol: [], colToRow: [], total: 0 });
    expect(Array.from(solveAssignment([], 2, 0))).toEqual([-1, -1]);
    expect(() => solveAssignment([1, Infinity], 1, 2)).toThrow(RangeError);
    expect(() => solveAssignment([1, 2, 3], 2, 2)).toThrow(RangeError);
  });
});
