import { describe, expect, it } from 'vitest';
import type { Instance } from '../annotation.js';
import type { Point } from '../templates/template.js';
import { mergeAnswers, mergePoints } from './consensus.js';
import { oks } from './oks.js';
import { inst, makeTemplate } from './test-helpers.js';

const f = (...v: number[]) => Float64Array.from(v);

describe('mergePoints', () => {
  it('takes the coordinate-wise median of the labelled points', () => {
    const out = mergePoints([f(0, 5, 2, 1, 1, 2), f(2, 0, 2, 3, 3, 2), f(9, 9, 2, 100, -50, 2)]);
    expect(Array.from(out)).toEqual([2, 5, 2, 3, 1, 2]);
  });

  it('averages the two middle values for an even count, ignoring unlabelled workers', () => {
    const out = mergePoints([f(0, 0, 2), f(4, 2, 2), f(100, 100, 0)]);
    expect(Array.from(out)).toEqual([2, 1, 2]);
    const four = mergePoints([f(1, 0, 2), f(2, 0, 2), f(10, 0, 2), f(30, 0, 2)]);
    expect(four[0]).toBe(6);
  });

  it('votes visibility: labelled vs not first (ties → labelled), then visible vs occluded (ties → visible)', () => {
    const vis = (...v: number[]) => mergePoints(v.map((x, i) => f(i, i, x)))[2];
    expect(vis(2, 1, 0)).toBe(2); // labelled 2:1, then visible 1 : occluded 1 → visible
    expect(vis(1, 1, 2)).toBe(1);
    expect(vis(2, 0, 0)).toBe(0);
    expect(vis(2, 0)).toBe(2);
    expect(Array.from(mergePoints([f(5, 5, 0), f(6, 6, 0), f(7, 7, 2)]))).toEqual([0, 0, 0]);
  });

  it('uses worker weights for the median and the vote', () => {
    // Weights 1, 1, 3 over 0, 1, 10: half of 5 is reached at 10.
    expect(mergePoints([f(0, 0, 2), f(1, 0, 2), f(10, 0, 2)], undefined, { weights: [1, 1, 3] })[0]).toBe(10);
    // A heavy worker who left the point out outvotes two who placed it.
    expect(mergePoints([f(0, 0, 2), f(1, 0, 2), f(10, 0, 0)], undefined, { weights: [1, 1, 3] })[2]).toBe(0);
    // A zero-weight worker has no say.
    expect(mergePoints([f(0, 0, 2), f(1, 0, 2), f(50, 0, 2)], undefined, { weights: [1, 1, 0] })[0]).toBe(0.5);
    // All zero: equal weights.
    expect(mergePoints([f(0, 0, 2), f(1, 0, 2), f(50, 0, 2)], undefined, { weights: [0, 0, 0] })[0]).toBe(1);
    expect(() => mergePoints([f(0, 0, 2)], undefined, { weights: [-1] })).toThrow(RangeError);
    expect(() => mergePoints([f(0, 0, 2)], undefined, { weights: [1, 1] })).toThrow(RangeError);
  });

  it('finds the geometric median (Fermat point) of a right isosceles triangle', () => {
    // Vertices (0,0), (1,0), (0,1): the point (t, t) with 6t² − 6t + 1 = 0, t = ½ − √3/6.
    // The coordinate-wise median is the vertex (0, 0), which is not the geometric median.
    const tri = [f(0, 0, 2), f(1, 0, 2), f(0, 1, 2)];
    expect(Array.from(mergePoints(tri))).toEqual([0, 0, 2]);
    // Iterations stop once a step is below 1e-4 of the spread, so expect ~4 digits.
    const g = mergePoints(tri, undefined, { method: 'geometric-median', iterations: 100 });
    expect(g[0]).toBeCloseTo(0.5 - Math.sqrt(3) / 6, 3);
    expect(g[1]).toBeCloseTo(0.5 - Math.sqrt(3) / 6, 3);
    // The default 10 iterations get within 1% of the triangle's size.
    const g10 = mergePoints(tri, undefined, { method: 'geometric-median' });
    expect(Math.abs(g10[0] - (0.5 - Math.sqrt(3) / 6))).toBeLessThan(0.01);
    // Weights 1.2, 1, 1: (1 − 2t)/√(2t² − 2t + 1) = 0.6√2 gives t = 0.125.
    const w = mergePoints(tri, undefined, { method: 'geometric-median', weights: [1.2, 1, 1], iterations: 200 });
    expect(w[0]).toBeCloseTo(0.125, 3);
    expect(w[1]).toBeCloseTo(0.125, 3);
    // Weight 3 ≥ |unit pull of the others| = √2: the heavy vertex is the median.
    expect(Array.from(mergePoints(tri, undefined, { method: 'geometric-median', weights: [3, 1, 1] }))).toEqual([
      0, 0, 2,
    ]);
  });

  it('writes into a given buffer and checks shapes', () => {
    const out = new Float64Array(3);
    expect(mergePoints([f(1, 2, 2)], out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 2, 2]);
    expect(() => mergePoints([f(1, 2, 2), f(1, 2)])).toThrow(RangeError);
  });
});

// Two points normalised by their distance; boxes so that the OKS area is known.
const t2 = makeTemplate(2, { normalization: [0, 1] });
const box: [number, number, number, number] = [0, -5, 10, 10];
const face = (pts: ([number, number] | Point)[], b: Instance['bbox'] = box) => inst(pts, b);

describe('mergeAnswers', () => {
  it('merges one instance of three workers with hand-computed agreement', () => {
    const big: [number, number, number, number] = [0, -50, 100, 100];
    const w0 = face(
      [
        [0, 0],
        [100, 0],
      ],
      big,
    );
    const w1 = face(
      [
        [0, 3],
        [100, 0],
      ],
      big,
    );
    const w2 = face(
      [
        [0, -10],
        [100, 4],
      ],
      big,
    );
    const r = mergeAnswers([[w0], [w1], [w2]], t2);
    expect(r.unmerged).toEqual([]);
    expect(r.instances).toHaveLength(1);
    const c = r.instances[0];
    expect(c.points).toEqual([
      [0, 0, 2],
      [100, 0, 2],
    ]);
    expect(c.bbox).toEqual(big);
    expect(c.members).toEqual([0, 0, 0]);
    // Normaliser 100: distances 0, 0.03, 0.1 and 0, 0, 0.04.
    expect(c.agreement.perPoint[0]).toBeCloseTo(0.13 / 3, 12);
    expect(c.agreement.perPoint[1]).toBeCloseTo(0.04 / 3, 12);
    expect(c.agreement.within).toEqual([2 / 3, 1]);
    expect(c.agreement.support).toBe(3);
    // Area 10000, σ = 0.025 → e = d² / 0.0025 / 10000 / 2 = d² / 50: 9 → 0.18, 100 → 2, 16 → 0.32.
    const expected = (1 + (Math.exp(-0.18) + 1) / 2 + (Math.exp(-2) + Math.exp(-0.32)) / 2) / 3;
    expect(c.agreement.oks).toBeCloseTo(expected, 12);
    expect(r.agreement).toBeCloseTo(expected, 12);
    // The instance OKS is the mean of oks() of each worker against the consensus.
    const consensus: Instance = { bbox: c.bbox, points: c.points };
    expect([w0, w1, w2].reduce((s, w) => s + oks(w, consensus, t2), 0) / 3).toBeCloseTo(expected, 12);
  });

  it('matches instances across workers whatever their order', () => {
    const left = (d: number) =>
      face(
        [
          [d, 0],
          [10 + d, 0],
        ],
        [d, -5, 10, 10],
      );
    const right = (d: number) =>
      face(
        [
          [500 + d, 0],
          [510 + d, 0],
        ],
        [500 + d, -5, 10, 10],
      );
    const r = mergeAnswers(
      [
        [left(0), right(0)],
        [right(0.2), left(0.4)],
        [left(-0.1), right(1)],
      ],
      t2,
    );
    expect(r.instances).toHaveLength(2);
    expect(r.instances[0].members).toEqual([0, 1, 0]);
    expect(r.instances[1].members).toEqual([1, 0, 1]);
    expect(r.instances[0].points[0][0]).toBe(0);
    expect(r.instances[1].points[0][0]).toBe(500.2);
  });

  it('reports instances found by fewer than a quorum and counts them against the item', () => {
    const a = face([
      [0, 0],
      [10, 0],
    ]);
    const extra = face(
      [
        [300, 0],
        [310, 0],
      ],
      [300, -5, 10, 10],
    );
    const r = mergeAnswers([[a], [a, extra], [a]], t2);
    // Pivot is worker 1 (most instances); the extra instance has support 1 < quorum 2.
    expect(r.instances).toHaveLength(1);
    expect(r.instances[0].agreement.oks).toBe(1);
    expect(r.unmerged).toEqual([{ members: [-1, 1, -1], support: 1 }]);
    expect(r.agreement).toBeCloseTo((1 * 3 + 0) / (3 * 2), 12);
    // With quorum 1 it is merged, from its one worker.
    const r1 = mergeAnswers([[a], [a, extra], [a]], t2, { quorum: 1 });
    expect(r1.instances).toHaveLength(2);
    expect(r1.instances[1].agreement.support).toBe(1);
    expect(r1.agreement).toBeCloseTo((3 + 1) / (3 * 2), 12);
  });

  it('counts a worker who left a consensus point unlabelled as 1.0 for that point', () => {
    const r = mergeAnswers(
      [
        [
          face([
            [0, 0],
            [10, 0],
          ]),
        ],
        [
          face([
            [0, 0],
            [10, 0],
          ]),
        ],
        [
          face([
            [0, 0],
            [0, 0, 0],
          ]),
        ],
      ],
      t2,
    );
    const c = r.instances[0];
    expect(c.points[1]).toEqual([10, 0, 2]);
    expect(c.agreement.perPoint).toEqual([0, 1 / 3]);
    expect(c.agreement.within).toEqual([1, 2 / 3]);
    expect(c.agreement.oks).toBeCloseTo((1 + 1 + 0.5) / 3, 12);
  });

  it('gives NaN agreement for a point the consensus leaves unlabelled', () => {
    const t3 = makeTemplate(3, { normalization: [0, 1] });
    const pts: Point[] = [
      [0, 0, 2],
      [10, 0, 2],
      [5, 5, 0],
    ];
    const r = mergeAnswers([[inst(pts, box)], [inst(pts, box)], [inst([...pts.slice(0, 2), [5, 5, 2]], box)]], t3);
    const c = r.instances[0];
    expect(c.points[2]).toEqual([0, 0, 0]);
    expect(c.agreement.perPoint[2]).toBeNaN();
    expect(c.agreement.within[2]).toBeNaN();
    expect(c.agreement.oks).toBe(1);
  });

  it('uses weights and the geometric median when asked', () => {
    const ws = [
      face([
        [0, 0],
        [10, 0],
      ]),
      face([
        [1, 0],
        [10, 0],
      ]),
      face([
        [0, 1],
        [10, 0],
      ]),
    ];
    const plain = mergeAnswers(
      ws.map((w) => [w]),
      t2,
    );
    expect(plain.instances[0].points[0]).toEqual([0, 0, 2]);
    const geo = mergeAnswers(
      ws.map((w) => [w]),
      t2,
      { method: 'geometric-median', iterations: 100 },
    );
    expect(geo.instances[0].points[0][0]).toBeCloseTo(0.5 - Math.sqrt(3) / 6, 3);
    const weighted = mergeAnswers(
      ws.map((w) => [w]),
      t2,
      { weights: [1, 5, 1] },
    );
    expect(weighted.instances[0].points[0]).toEqual([1, 0, 2]);
  });

  it('takes the median box and falls back to no box', () => {
    const r = mergeAnswers(
      [
        [
          face(
            [
              [0, 0],
              [10, 0],
            ],
            [0, 0, 10, 10],
          ),
        ],
        [
          face(
            [
              [0, 0],
              [10, 0],
            ],
            [2, 1, 10, 12],
          ),
        ],
        [
          face(
            [
              [0, 0],
              [10, 0],
            ],
            [1, 2, 12, 9],
          ),
        ],
      ],
      t2,
    );
    // Corners: x0 0, 2, 1 → 1; y0 0, 1, 2 → 1; x1 10, 12, 13 → 12; y1 10, 13, 11 → 11.
    expect(r.instances[0].agreement.support).toBe(3);
    expect(r.instances[0].bbox).toEqual([1, 1, 11, 10]);
    const none = mergeAnswers(
      [
        [
          face(
            [
              [0, 0],
              [10, 0],
            ],
            null,
          ),
        ],
        [
          face(
            [
              [0, 0],
              [10, 0],
            ],
            null,
          ),
        ],
      ],
      t2,
      {
        match: { by: 'oks', minScore: 0.5 },
      },
    );
    expect(none.instances[0].bbox).toBeNull();
    // Points box 10 × 0 has no area; the normaliser still comes from the pair.
    expect(none.instances[0].agreement.perPoint).toEqual([0, 0]);
  });

  it('handles empty answers and returns plain data', () => {
    expect(mergeAnswers([[], [], []], t2)).toEqual({ instances: [], unmerged: [], agreement: 1 });
    const r = mergeAnswers(
      [
        [
          face([
            [0, 0],
            [10, 0],
          ]),
        ],
        [
          face([
            [0, 0],
            [10, 0],
          ]),
        ],
      ],
      t2,
    );
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('treats points missing from a short instance as unlabelled', () => {
    const r = mergeAnswers(
      [
        [
          face([
            [0, 0],
            [10, 0],
          ]),
        ],
        [
          face([
            [0, 0],
            [10, 0],
          ]),
        ],
        [face([[0, 0]])],
      ],
      t2,
    );
    expect(r.instances[0].points[1]).toEqual([10, 0, 2]);
    expect(r.instances[0].agreement.perPoint[1]).toBeCloseTo(1 / 3, 12);
  });
});

describe('weightQuorum', () => {
  it('lets one accurate worker outweigh two inaccurate ones who agree with each other', () => {
    const template = {
      points: [0, 1, 2].map((i) => ({ sigma: 0.05, id: `p${i}` })) as any,
      normalization: null,
    };
    const face = (x: number) => ({
      bbox: [x, 0, 40, 40] as [number, number, number, number],
      points: [
        [x + 5, 10, 2],
        [x + 35, 10, 2],
        [x + 20, 30, 2],
      ] as any,
    });
    const answers = [[face(0)], [face(200)], [face(201)]];
    const byCount = mergeAnswers(answers, template);
    expect(byCount.instances[0].points[0][0]).toBeGreaterThan(200);
    const byWeight = mergeAnswers(answers, template, { weights: [0.9, 0.05, 0.05], weightQuorum: 0.5 });
    expect(byWeight.instances).toHaveLength(1);
    expect(byWeight.instances[0].points[0][0]).toBe(5);
  });
});
