import { describe, expect, it } from 'vitest';
import type { Box } from '../templates/template.js';
import { boxIou, instanceBox, matchInstances } from './matching.js';
import { inst, makeTemplate } from './test-helpers.js';

const t2 = makeTemplate(2);
/** An instance with box [x0, 0, x1 - x0, 10] and points on its corners. */
const strip = (x0: number, x1: number) =>
  inst(
    [
      [x0, 0],
      [x1, 10],
    ],
    [x0, 0, x1 - x0, 10],
  );

describe('boxIou', () => {
  it('is intersection over union', () => {
    expect(boxIou([0, 0, 10, 10], [5, 0, 10, 10])).toBeCloseTo(1 / 3, 12);
    expect(boxIou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(boxIou([0, 0, 10, 10], [2, 2, 5, 5])).toBeCloseTo(25 / 100, 12);
    expect(boxIou([0, 0, 10, 10], [10, 0, 10, 10])).toBe(0);
    expect(boxIou([0, 0, 10, 10], [50, 50, 1, 1])).toBe(0);
    expect(boxIou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });

  it('uses the points box for an instance without a box', () => {
    expect(
      instanceBox(
        inst([
          [1, 2],
          [4, 8],
        ]),
      ),
    ).toEqual([1, 2, 3, 6] satisfies Box);
  });
});

describe('matchInstances', () => {
  it('pairs instances regardless of order and reports the leftovers', () => {
    const b = [strip(0, 10), strip(100, 110)];
    const a = [strip(101, 111), strip(1, 11), strip(500, 510)];
    const r = matchInstances(a, b, t2, { by: 'iou', minScore: 0.5 });
    expect(r.pairs.map((p) => [p.a, p.b])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(r.pairs[0].score).toBeCloseTo(9 / 11, 12);
    expect(r.unmatchedA).toEqual([2]);
    expect(r.unmatchedB).toEqual([]);
  });

  it('finds the optimal matching where greedy would lose a pair', () => {
    // IoU(a0, b0) = 9/11 ≈ 0.82, IoU(a0, b1) = 7/13 ≈ 0.54, IoU(a1, b0) = 7/13, IoU(a1, b1) = 3/17.
    // Greedy takes a0–b0 and leaves a1 without a partner above 0.5; optimal pairs a0–b1 and a1–b0.
    const b = [strip(0, 10), strip(4, 14)];
    const a = [strip(1, 11), strip(-3, 7)];
    expect(boxIou(a[0].bbox!, b[0].bbox!)).toBeCloseTo(9 / 11, 12);
    expect(boxIou(a[1].bbox!, b[1].bbox!)).toBeCloseTo(3 / 17, 12);
    const r = matchInstances(a, b, t2, { by: 'iou', minScore: 0.5 });
    expect(r.pairs.map((p) => [p.a, p.b])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(r.unmatchedA).toEqual([]);
  });

  it('leaves pairs below minScore unmatched', () => {
    const r = matchInstances([strip(0, 10)], [strip(5, 15)], t2, { by: 'iou', minScore: 0.5 });
    expect(r.pairs).toEqual([]);
    expect(r.unmatchedA).toEqual([0]);
    expect(r.unmatchedB).toEqual([0]);
    const loose = matchInstances([strip(0, 10)], [strip(5, 15)], t2, { by: 'iou', minScore: 0.3 });
    expect(loose.pairs).toHaveLength(1);
  });

  it('matches by OKS by default', () => {
    const face = (dx: number) =>
      inst(
        [
          [dx, 0],
          [dx + 20, 0],
        ],
        [dx, -10, 20, 20],
      );
    const r = matchInstances([face(201), face(1)], [face(0), face(200)], t2);
    expect(r.pairs.map((p) => [p.a, p.b])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    // Both points 1 px off, σ = 0.025, area 400: e = 1 / 0.0025 / 400 / 2 = 0.5.
    expect(r.pairs[0].score).toBeCloseTo(Math.exp(-0.5), 12);
  });

  it('handles empty sides', () => {
    expect(matchInstances([], [strip(0, 1)], t2)).toEqual({ pairs: [], unmatchedA: [], unmatchedB: [0] });
    expect(matchInstances([strip(0, 1)], [], t2)).toEqual({ pairs: [], unmatchedA: [0], unmatchedB: [] });
  });
});
