import { describe, expect, it } from 'vitest';
import type { AnnotationData } from '../annotation.js';
import { face68 } from '../templates/index.js';
import { scoreGold } from './gold-score.js';

/** The template's reference face placed in a 200 px box at (x0, y0). */
function face(x0: number, y0: number, side = 200): AnnotationData['instances'][number] {
  return {
    bbox: [x0, y0, side, side],
    points: face68.points.map((p) => [x0 + p.ref[0] * side, y0 + p.ref[1] * side, 2] as [number, number, 2]),
  };
}

describe('scoreGold', () => {
  const reference: AnnotationData = { instances: [face(100, 100), face(400, 100)] };

  it('gives a perfect answer 1 and no feedback', () => {
    const r = scoreGold(reference, reference, face68);
    expect(r.score).toBeCloseTo(1, 10);
    expect(r.nme).toBeCloseTo(0, 10);
    expect(r.feedback).toEqual([]);
  });

  it('counts a missed face as 0 and says so', () => {
    const r = scoreGold({ instances: [face(400, 100)] }, reference, face68);
    expect(r.score).toBeCloseTo(0.5, 6);
    expect(r.feedback).toContainEqual({ code: 'missed_instance', count: 1 });
  });

  it('names a left/right swap', () => {
    const f = face(100, 100);
    const flipped = { ...f, points: f.points.map((_, i) => f.points[flipIndex(i)]) };
    const r = scoreGold({ instances: [flipped] }, { instances: [f] }, face68);
    expect(r.swapped).toBe(true);
    expect(r.feedback[0]).toEqual({ code: 'left_right_swap', instance: 0 });
    expect(r.score).toBeLessThan(0.6);
  });

  it('names imprecise points and visibility mismatches', () => {
    const f = face(100, 100);
    const moved = {
      ...f,
      points: f.points.map((p, i) =>
        i === 30 ? ([p[0] + 40, p[1], 2] as typeof p) : i === 8 ? ([0, 0, 0] as unknown as typeof p) : p,
      ),
    };
    const r = scoreGold({ instances: [moved] }, { instances: [f] }, face68);
    expect(r.feedback).toContainEqual({ code: 'imprecise_points', points: [8, 30] });
    expect(r.feedback).toContainEqual({ code: 'visibility_mismatch', points: [8] });
    expect(r.score).toBeGreaterThan(0.8);
    expect(r.score).toBeLessThan(1);
  });
});

function flipIndex(i: number): number {
  for (const [a, b] of face68.flipPairs) {
    if (a === i) return b;
    if (b === i) return a;
  }
  return i;
}
