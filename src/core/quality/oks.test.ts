import { describe, expect, it } from 'vitest';
import { OKS_EPS, oks, oksArea, oksVariances } from './oks.js';
import { inst, makeTemplate } from './test-helpers.js';

describe('oks', () => {
  it('is 1 for a perfect answer', () => {
    const t = makeTemplate(3);
    const ref = inst(
      [
        [1, 2],
        [30, 4],
        [5, 60],
      ],
      [0, 0, 100, 100],
    );
    expect(oks(ref, ref, t)).toBe(1);
  });

  it('follows the pycocotools formula e = d² / (2σ)² / (area + eps) / 2', () => {
    // σ = 0.05 → vars = 0.01; box 20×20 → area 400; offset (3, 4) → d² = 25;
    // e = 25 / 0.01 / 400 / 2 = 3.125.
    const t = makeTemplate(1, { sigma: 0.05 });
    const r = oks(inst([[3, 4]]), inst([[0, 0]], [0, 0, 20, 20]), t);
    expect(r).toBeCloseTo(Math.exp(-3.125), 12);
    expect(Math.exp(-3.125)).toBeCloseTo(0.0439369, 6);
  });

  it('averages over the labelled reference points, each with its own sigma', () => {
    // σ = 0.025 → vars 0.0025; area 100·100; 1 px off → e = 1 / 0.0025 / 10000 / 2 = 0.02.
    // σ = 0.1 → vars 0.04; 2 px off → e = 4 / 0.04 / 10000 / 2 = 0.005.
    const t = makeTemplate(3, { sigma: [0.025, 0.1, 0.025] });
    const ref = inst(
      [
        [10, 10],
        [50, 50],
        [90, 10],
      ],
      [0, 0, 100, 100],
    );
    const r = oks(
      inst([
        [11, 10],
        [50, 52],
        [90, 10],
      ]),
      ref,
      t,
    );
    expect(r).toBeCloseTo((Math.exp(-0.02) + Math.exp(-0.005) + 1) / 3, 12);
  });

  it("uses the reference points' box area when the reference has no box", () => {
    const t = makeTemplate(2, { sigma: 0.05 });
    const ref = inst([
      [0, 0],
      [10, 40],
    ]);
    expect(oksArea(ref)).toBe(400);
    const r = oks(
      inst([
        [3, 4],
        [10, 40],
      ]),
      ref,
      t,
    );
    expect(r).toBeCloseTo((Math.exp(-3.125) + 1) / 2, 12);
  });

  it('takes an area override', () => {
    const t = makeTemplate(1, { sigma: 0.05 });
    expect(oks(inst([[3, 4]]), inst([[0, 0]], [0, 0, 1, 1]), t, { area: 400 })).toBeCloseTo(Math.exp(-3.125), 12);
  });

  it('scores occluded reference points, ignores unlabelled ones, and gives unlabelled answers 0', () => {
    const t = makeTemplate(3, { sigma: 0.05 });
    const box: [number, number, number, number] = [0, 0, 20, 20];
    const ref = inst(
      [
        [0, 0, 1],
        [5, 5, 0],
        [10, 10, 2],
      ],
      box,
    );
    // Point 1 is ignored (reference v = 0) however far off; point 0 (occluded) is scored.
    expect(
      oks(
        inst([
          [3, 4],
          [999, 999],
          [10, 10],
        ]),
        ref,
        t,
      ),
    ).toBeCloseTo((Math.exp(-3.125) + 1) / 2, 12);
    // An answer point with v = 0 contributes 0 even at the right place.
    const unplaced = inst([
      [0, 0, 0],
      [5, 5, 2],
      [10, 10, 2],
    ]);
    expect(oks(unplaced, ref, t)).toBeCloseTo(0.5, 12);
  });

  it('is 0 when the reference labels nothing', () => {
    const t = makeTemplate(2);
    const ref = inst(
      [
        [0, 0, 0],
        [1, 1, 0],
      ],
      [0, 0, 10, 10],
    );
    expect(
      oks(
        inst([
          [0, 0],
          [1, 1],
        ]),
        ref,
        t,
      ),
    ).toBe(0);
  });

  it('matches the cocoeval eps and caches variances per template', () => {
    expect(OKS_EPS).toBe(Number.EPSILON);
    const t = makeTemplate(2, { sigma: [0.025, 0.107] });
    const v = oksVariances(t);
    expect(v[0]).toBeCloseTo(0.0025, 15);
    expect(v[1]).toBeCloseTo(0.214 ** 2, 15);
    expect(oksVariances(t)).toBe(v);
  });
});
