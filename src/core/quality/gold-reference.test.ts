import { describe, expect, it } from 'vitest';
import { face5 } from '../templates/index.js';
import { goldReferenceProblem } from './gold-reference.js';
import { thresholdsProblem } from './thresholds.js';

describe('goldReferenceProblem', () => {
  const inst = (vs: (0 | 1 | 2)[]) => ({
    bbox: null,
    points: vs.map((v, j): [number, number, 0 | 1 | 2] => [j, j, v]),
  });

  it('refuses an empty reference and names undecided points', () => {
    expect(goldReferenceProblem(face5, { instances: [] })?.message).toMatch(/empty/);
    const p = goldReferenceProblem(face5, { instances: [inst([2, 2, 2, 2, 2]), inst([2, 0, 1, 0, 2])] });
    expect(p?.missing).toEqual([{ instance: 1, points: [1, 3], ids: [face5.points[1].id, face5.points[3].id] }]);
    expect(p?.message).toContain('instance 2 lacks 2 of 5 points');
  });

  it('accepts points marked not in the image', () => {
    expect(goldReferenceProblem(face5, { instances: [inst([2, 0, 1, 0, 2])] }, [[1, 3]])).toBeNull();
    expect(goldReferenceProblem(face5, { instances: [inst([2, 0, 1, 0, 2])] }, [[1]])?.missing[0].points).toEqual([3]);
  });
});

describe('thresholdsProblem', () => {
  it('wants suspension at or below the warning', () => {
    expect(thresholdsProblem(0.75, 0.6)).toBeNull();
    expect(thresholdsProblem(0.7, 0.7)).toBeNull();
    expect(thresholdsProblem(0.1, 0.9)).toMatch(/suspended below 90 % accuracy but warned only below 10 %/);
  });
});
