import { describe, expect, it } from 'vitest';
import { boxScale, failureRate, hardestPoints, meanPerPointError, nme, nmeNormalizer } from './nme.js';
import { inst, makeTemplate } from './test-helpers.js';

const pair2 = makeTemplate(2, { normalization: [0, 1] });

describe('nme', () => {
  it('averages point errors divided by the reference pair distance', () => {
    // Reference pair 10 px apart; errors 1 px and 3 px → 0.1 and 0.3.
    const r = nme(
      inst([
        [1, 0],
        [10, 3],
      ]),
      inst([
        [0, 0],
        [10, 0],
      ]),
      pair2,
    );
    expect(r.normalizer).toBe(10);
    expect(r.perPoint[0]).toBeCloseTo(0.1, 12);
    expect(r.perPoint[1]).toBeCloseTo(0.3, 12);
    expect(r.nme).toBeCloseTo(0.2, 12);
    expect(r.scored).toBe(2);
    expect(r.missed).toBe(0);
  });

  it('normalises by the pair in the reference, not in the answer', () => {
    // The answer's pair is 20 px apart; the errors are 0 and 10 px over a 10 px reference pair.
    const r = nme(
      inst([
        [0, 0],
        [20, 0],
      ]),
      inst([
        [0, 0],
        [10, 0],
      ]),
      pair2,
    );
    expect(r.normalizer).toBe(10);
    expect(r.nme).toBeCloseTo(0.5, 12);
  });

  it('is 0 for a perfect answer', () => {
    const ref = inst([
      [3, 4],
      [30, 40],
    ]);
    expect(nme(ref, ref, pair2).nme).toBe(0);
  });

  it('falls back to sqrt(w·h) of the reference box without a normalisation pair', () => {
    const t = makeTemplate(2, { normalization: null });
    // Box 40×10 → sqrt(400) = 20; errors 2 px and 0 → (0.1 + 0) / 2.
    const r = nme(
      inst([
        [2, 0],
        [5, 5],
      ]),
      inst(
        [
          [0, 0],
          [5, 5],
        ],
        [0, 0, 40, 10],
      ),
      t,
    );
    expect(r.normalizer).toBe(20);
    expect(r.nme).toBeCloseTo(0.05, 12);
  });

  it("falls back to the reference points' box when there is no box either", () => {
    const t = makeTemplate(3, { normalization: null });
    // Points box 8×2 → sqrt(16) = 4; error 1 px on point 2 only.
    const r = nme(
      inst([
        [0, 0],
        [8, 0],
        [0, 3],
      ]),
      inst([
        [0, 0],
        [8, 0],
        [0, 2],
      ]),
      t,
    );
    expect(r.normalizer).toBe(4);
    expect(r.perPoint).toEqual([0, 0, 0.25]);
    expect(r.nme).toBeCloseTo(0.25 / 3, 12);
  });

  it('falls back to the box when the reference leaves the normalisation pair unlabelled', () => {
    const t = makeTemplate(3, { normalization: [0, 1] });
    const ref = inst(
      [
        [0, 0],
        [0, 0, 0],
        [6, 0],
      ],
      [0, 0, 10, 40],
    );
    expect(nmeNormalizer(ref, t)).toBe(20);
    // Point 1 is not scored (reference v = 0) however far the answer put it.
    const r = nme(
      inst([
        [2, 0],
        [500, 500],
        [6, 0],
      ]),
      ref,
      t,
    );
    expect(r.scored).toBe(2);
    expect(r.perPoint[1]).toBeNaN();
    expect(r.nme).toBeCloseTo((0.1 + 0) / 2, 12);
  });

  it('scores occluded reference points (v = 1) and ignores unlabelled ones (v = 0)', () => {
    const t = makeTemplate(3, { normalization: [0, 2] });
    const ref = inst([
      [0, 0, 2],
      [5, 5, 1],
      [10, 0, 2],
    ]);
    const r = nme(
      inst([
        [0, 0],
        [5, 7],
        [10, 0],
      ]),
      ref,
      t,
    );
    expect(r.perPoint).toEqual([0, 0.2, 0]);
    expect(r.nme).toBeCloseTo(0.2 / 3, 12);

    const refWithGap = inst([
      [0, 0, 2],
      [5, 5, 0],
      [10, 0, 2],
    ]);
    const r2 = nme(
      inst([
        [0, 0],
        [5, 7],
        [10, 0],
      ]),
      refWithGap,
      t,
    );
    expect(r2.scored).toBe(2);
    expect(r2.nme).toBe(0);
  });

  it('gives a point the reference labels but the answer does not an error of 1.0', () => {
    const t = makeTemplate(3, { normalization: [0, 2] });
    const ref = inst([
      [0, 0],
      [5, 5],
      [10, 0],
    ]);
    const r = nme(
      inst([
        [0, 0],
        [5, 5, 0],
        [10, 0],
      ]),
      ref,
      t,
    );
    expect(r.missed).toBe(1);
    expect(r.perPoint).toEqual([0, 1, 0]);
    expect(r.nme).toBeCloseTo(1 / 3, 12);
    // A missing point (short points array) is a miss too.
    expect(nme(inst([[0, 0]]), ref, t).missed).toBe(2);
  });

  it('reads the answer through a permutation', () => {
    const t = makeTemplate(3, { normalization: [0, 2] });
    const r = nme(
      inst([
        [10, 0],
        [5, 5],
        [0, 0],
      ]),
      inst([
        [0, 0],
        [5, 5],
        [10, 0],
      ]),
      t,
      { permutation: [2, 1, 0] },
    );
    expect(r.nme).toBe(0);
  });

  it('is NaN when the reference labels nothing', () => {
    const t = makeTemplate(2, { normalization: null });
    const r = nme(
      inst([
        [0, 0],
        [1, 1],
      ]),
      inst(
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
        [0, 0, 10, 10],
      ),
      t,
    );
    expect(r.scored).toBe(0);
    expect(r.nme).toBeNaN();
  });

  it('boxScale is NaN for a degenerate reference', () => {
    expect(boxScale(inst([[1, 1]]))).toBeNaN();
    expect(boxScale(inst([[1, 1]], [0, 0, 9, 4]))).toBe(6);
  });
});

describe('failureRate', () => {
  it('counts NMEs strictly above the threshold among finite values', () => {
    expect(failureRate([0.02, 0.09, 0.2, NaN], 0.08)).toBeCloseTo(2 / 3, 12);
    expect(failureRate([0.02, 0.09, 0.2, NaN])).toBeCloseTo(1 / 3, 12);
    expect(failureRate([0.1], 0.1)).toBe(0);
    expect(failureRate([])).toBeNaN();
  });
});

describe('per-point difficulty', () => {
  it('averages per-point errors skipping NaN and ranks the hardest first', () => {
    const means = meanPerPointError([{ perPoint: [0.1, NaN, 0.05] }, { perPoint: [0.3, 0.2, 0.05] }]);
    expect(means[0]).toBeCloseTo(0.2, 12);
    expect(means[1]).toBeCloseTo(0.2, 12);
    expect(means[2]).toBeCloseTo(0.05, 12);
    expect(hardestPoints([0.1, 0.3, NaN, 0.2])).toEqual([1, 3, 0, 2]);
    expect(hardestPoints([0.1, 0.3, NaN, 0.2], 2)).toEqual([1, 3]);
  });
});
