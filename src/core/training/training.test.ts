import { describe, expect, it } from 'vitest';
import type { AnnotationData, Instance } from '../annotation.js';
import { face68 } from '../templates/index.js';
import type { Point } from '../templates/template.js';
import { cooldownLeft, retryAt } from './cooldown.js';
import { flipAnnotation } from './flip.js';
import { DEFAULT_MARKS, levelFor, scoreExam, scoreExamItem } from './exam-score.js';
import { nextPracticeItem, weakestPoints } from './next-step.js';
import { isComplete, pointErrors } from './point-errors.js';

/** The template's reference face in a 200 px box at (x0, y0). */
function face(x0: number, y0: number, side = 200): Instance {
  return {
    bbox: [x0, y0, side, side],
    points: face68.points.map((p) => [x0 + p.ref[0] * side, y0 + p.ref[1] * side, 2] as Point),
  };
}
const one = (i: Instance): AnnotationData => ({ instances: [i] });

describe('pointErrors', () => {
  it('names each point with its pixel error, largest first', () => {
    const ref = face(100, 100);
    const ans = face(100, 100);
    // The subject's left eye outer corner (index 45), 12 px to the right; chin 5 px down.
    ans.points[45] = [ans.points[45][0] + 12, ans.points[45][1], 2];
    ans.points[8] = [ans.points[8][0], ans.points[8][1] + 5, 2];
    const r = pointErrors(one(ans), one(ref), face68);
    expect(r.errors).toHaveLength(68);
    expect(r.errors[0]).toMatchObject({
      instance: 0,
      index: 45,
      id: 'left_eye_outer',
      name: { zh: '左眼外眼角', en: 'Left eye outer corner' },
      kind: 'offset',
      px: 12,
    });
    expect(r.errors[0].answer![0] - r.errors[0].reference![0]).toBeCloseTo(12, 6);
    expect(r.errors[1]).toMatchObject({ index: 8, px: 5 });
    expect(r.errors[2].px).toBe(0);
    expect(r.meanPx).toBeCloseTo(17 / 68, 1);
    expect(r.missedInstances).toBe(0);
  });

  it('puts missed and extra points first and counts missed faces', () => {
    const ref = face(100, 100);
    ref.points[30] = [0, 0, 0];
    const ans = face(100, 100);
    ans.points[36] = [0, 0, 0];
    const r = pointErrors({ instances: [ans] }, { instances: [ref, face(500, 100)] }, face68);
    expect(r.errors.slice(0, 2).map((e) => [e.index, e.kind])).toEqual([
      [30, 'extra'],
      [36, 'missed'],
    ]);
    expect(r.errors.find((e) => e.index === 36)!.reference).not.toBeNull();
    expect(r.missedInstances).toBe(1);
    expect(r.extraInstances).toBe(0);
  });
});

describe('isComplete', () => {
  it('needs every labelled reference point on every reference face', () => {
    const ref = one(face(0, 0));
    expect(isComplete(one(face(3, 2)), ref, face68)).toBe(true);
    const gap = face(0, 0);
    gap.points[10] = [0, 0, 0];
    expect(isComplete(one(gap), ref, face68)).toBe(false);
    expect(isComplete({ instances: [] }, ref, face68)).toBe(false);
    expect(isComplete({ instances: [face(0, 0)] }, { instances: [face(0, 0), face(300, 0)] }, face68)).toBe(false);
    // A point the reference leaves out need not be placed.
    const refGap = face(0, 0);
    refGap.points[10] = [0, 0, 0];
    expect(isComplete(one(gap), one(refGap), face68)).toBe(true);
    expect(isComplete({ instances: [] }, { instances: [] }, face68)).toBe(true);
  });
});

describe('exam scoring', () => {
  it('scores an item with the gold scoring', () => {
    const ref = one(face(0, 0));
    expect(scoreExamItem(ref, ref, face68)).toEqual({ score: 1, complete: true });
    const far = scoreExamItem(one(face(30, 0)), ref, face68);
    expect(far.score).toBeLessThan(0.5);
    expect(far.complete).toBe(true);
  });

  it('averages over every item, unanswered counting 0, and needs both marks', () => {
    const good = { score: 0.95, complete: true };
    const pass = scoreExam(Array(10).fill(good), DEFAULT_MARKS);
    expect(pass).toEqual({ accuracy: 0.95, completeness: 1, passed: true, level: 3 });
    // Nine good answers and one missing: accuracy 0.855, completeness 0.9.
    const nine = scoreExam([...Array(9).fill(good), null], DEFAULT_MARKS);
    expect(nine.accuracy).toBeCloseTo(0.855, 10);
    expect(nine.completeness).toBeCloseTo(0.9, 10);
    expect(nine).toMatchObject({ passed: true, level: 2 });
    // Accurate but incomplete fails on completeness alone.
    const sloppy = scoreExam(Array(10).fill({ score: 0.95, complete: false }), DEFAULT_MARKS);
    expect(sloppy).toMatchObject({ passed: false, level: null, completeness: 0 });
    // Complete but inaccurate fails on accuracy alone.
    expect(scoreExam(Array(10).fill({ score: 0.7, complete: true }), DEFAULT_MARKS).passed).toBe(false);
    expect(scoreExam([], DEFAULT_MARKS).passed).toBe(false);
  });

  it('levels by accuracy', () => {
    expect(levelFor(0.76, DEFAULT_MARKS)).toBe(1);
    expect(levelFor(0.85, DEFAULT_MARKS)).toBe(2);
    expect(levelFor(0.92, DEFAULT_MARKS)).toBe(3);
  });
});

describe('cool-down', () => {
  it('starts after a failure only', () => {
    expect(retryAt(null, 60_000)).toBeNull();
    expect(retryAt({ status: 'passed', finishedAt: 5 }, 60_000)).toBeNull();
    expect(retryAt({ status: 'failed', finishedAt: 5 }, 60_000)).toBe(60_005);
    expect(retryAt({ status: 'failed', finishedAt: 5 }, 0)).toBeNull();
    expect(cooldownLeft({ status: 'failed', finishedAt: 0 }, 60_000, 59_999)).toBe(1);
    expect(cooldownLeft({ status: 'failed', finishedAt: 0 }, 60_000, 60_000)).toBe(0);
  });
});

describe('what to practise next', () => {
  it('takes the untried item, then the weakest below the mark', () => {
    expect(
      nextPracticeItem([
        { id: 1, best: 0.9 },
        { id: 2, best: null },
      ]),
    ).toBe(2);
    expect(
      nextPracticeItem([
        { id: 1, best: 0.6 },
        { id: 2, best: 0.4 },
        { id: 3, best: 0.95 },
      ]),
    ).toBe(2);
    expect(nextPracticeItem([{ id: 1, best: 0.9 }])).toBeNull();
  });

  it('ranks points by mean error', () => {
    expect(
      weakestPoints(
        [
          [
            [36, 12],
            [45, 3],
          ],
          [[36, 8]],
        ],
        2,
      ),
    ).toEqual([
      { index: 36, meanPx: 10, n: 2 },
      { index: 45, meanPx: 3, n: 1 },
    ]);
  });
});

describe('flipAnnotation', () => {
  it('mirrors x and swaps each point with its flip partner', () => {
    const f = face(100, 50);
    const flipped = flipAnnotation({ instances: [f] }, 640, face68).instances[0];
    // The mirrored subject's right eye outer corner lies where her left one was, mirrored.
    expect(flipped.points[36]).toEqual([640 - f.points[45][0], f.points[45][1], 2]);
    expect(flipped.points[45]).toEqual([640 - f.points[36][0], f.points[36][1], 2]);
    // The chin is on the midline: it only moves.
    expect(flipped.points[8]).toEqual([640 - f.points[8][0], f.points[8][1], 2]);
    expect(flipped.bbox).toEqual([640 - 100 - 200, 50, 200, 200]);
    // Mirroring twice gives the answer back.
    const back = flipAnnotation({ instances: [flipped] }, 640, face68).instances[0];
    back.points.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(f.points[i][0], 9);
      expect(p[1]).toBe(f.points[i][1]);
    });
    // The template's reference shape is symmetric: mirrored about its own centre it lands
    // on itself, left points on left points, and scores as a perfect answer.
    expect(scoreExamItem(flipAnnotation(one(f), 400, face68), one(f), face68).score).toBeCloseTo(1, 6);
    // Mirrored without the swap it would be a left/right mix-up.
    const unswapped = { ...f, points: f.points.map(([x, y, v]) => [400 - x, y, v] as Point) };
    expect(scoreExamItem(one(unswapped), one(f), face68).score).toBeLessThan(0.6);
  });
});
