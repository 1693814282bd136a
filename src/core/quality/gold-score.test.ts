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
    expect(r.feedback[0]).toMatchObject({
      code: 'left_right_swap',
      instance: 0,
      regions: ['jaw', 'brow', 'nose_bottom', 'eye', 'outer_lips', 'inner_lips'],
      label: { zh: '整体左右互换' },
    });
    expect(r.score).toBeLessThan(0.6);
  });

  /** The reference face with only the given points relabelled through their flip partners. */
  const partly = (f: AnnotationData['instances'][number], points: (i: number) => boolean) => ({
    ...f,
    points: f.points.map((_, i) => f.points[points(i) ? flipIndex(i) : i]),
  });

  it.each([
    ['eyebrows only', (i: number) => i >= 17 && i <= 26, 'brow', '左右眉毛互换', 5],
    ['eyes only', (i: number) => i >= 36 && i <= 47, 'eye', '左右眼睛互换', 6],
    ['the jaw line only', (i: number) => i <= 16, 'jaw', '左右下颌轮廓互换', 8],
  ])('names a partial swap: %s', (_name, which, region, zh, pairs) => {
    const f = face(100, 100);
    const r = scoreGold({ instances: [partly(f, which)] }, { instances: [f] }, face68);
    expect(r.swapped).toBe(true);
    const swap = r.feedback.find((x) => x.code === 'left_right_swap');
    expect(swap).toMatchObject({ code: 'left_right_swap', instance: 0, regions: [region], label: { zh } });
    expect(swap?.code === 'left_right_swap' && swap.pairs).toHaveLength(pairs);
    // The swapped points are explained by the swap, not listed as imprecise.
    expect(r.feedback.some((x) => x.code === 'imprecise_points')).toBe(false);
  });

  it('names one side of the jaw swapped with its pairs, and the eyebrows beside it', () => {
    const f = face(100, 100);
    // The upper jaw (pairs 0↔16 … 3↔13) and the eyebrows relabelled; the rest as placed.
    const r = scoreGold({ instances: [partly(f, (i) => i <= 3 || (i >= 13 && i <= 26))] }, { instances: [f] }, face68);
    const swap = r.feedback.find((x) => x.code === 'left_right_swap');
    expect(swap).toMatchObject({ regions: ['jaw', 'brow'], label: { zh: '左右下颌轮廓、眉毛互换' } });
    expect(swap?.code === 'left_right_swap' && swap.pairs.slice(0, 4)).toEqual([
      [0, 16],
      [1, 15],
      [2, 14],
      [3, 13],
    ]);
  });

  it('does not call careful noise a swap', () => {
    const f = face(100, 100);
    let seed = 7;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 6;
    const noisy = { ...f, points: f.points.map((p) => [p[0] + noise(), p[1] + noise(), 2] as typeof p) };
    const r = scoreGold({ instances: [noisy] }, { instances: [f] }, face68);
    expect(r.swapped).toBe(false);
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
