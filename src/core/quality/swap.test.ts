import { describe, expect, it } from 'vitest';
import { detectPairSwaps, detectSwap, flipPermutation } from './swap.js';
import { inst, makeTemplate } from './test-helpers.js';

// [left eye, nose, right eye], normalised by the eyes.
const eyes = makeTemplate(3, { flipPairs: [[0, 2]], normalization: [0, 2] });
const eyesRef = inst([
  [0, 0],
  [5, 5],
  [10, 0],
]);

// [left eye, left mouth, nose, right mouth, right eye].
const face = makeTemplate(5, {
  flipPairs: [
    [0, 4],
    [1, 3],
  ],
  normalization: [0, 4],
});
const faceRef = inst([
  [0, 0],
  [2, 8],
  [5, 5],
  [8, 8],
  [10, 0],
]);

describe('flipPermutation', () => {
  it('maps each point to its flip partner and centre points to themselves', () => {
    expect(Array.from(flipPermutation(eyes))).toEqual([2, 1, 0]);
    expect(Array.from(flipPermutation(face))).toEqual([4, 3, 2, 1, 0]);
    expect(eyes.points[0].side).toBe('left');
  });
});

describe('detectSwap', () => {
  it('detects a mirrored answer on a symmetric template', () => {
    const r = detectSwap(
      inst([
        [10, 0],
        [5, 5],
        [0, 0],
      ]),
      eyesRef,
      eyes,
    );
    // As placed: errors 10, 0, 10 over 10 → 2/3; relabelled: exact.
    expect(r.nme).toBeCloseTo(2 / 3, 12);
    expect(r.nmeFlipped).toBe(0);
    expect(r.swapped).toBe(true);
  });

  it('does not flag a correct, slightly noisy answer', () => {
    const r = detectSwap(
      inst([
        [0.5, 0],
        [5, 5.5],
        [10, 0.3],
      ]),
      eyesRef,
      eyes,
    );
    expect(r.nme).toBeLessThan(0.05);
    expect(r.nmeFlipped).toBeGreaterThan(0.6);
    expect(r.swapped).toBe(false);
  });

  it('flags a fully mirrored face and not one where only the eyes are swapped', () => {
    const mirrored = inst([
      [10, 0],
      [8, 8],
      [5, 5],
      [2, 8],
      [0, 0],
    ]);
    expect(detectSwap(mirrored, faceRef, face).swapped).toBe(true);
    // Only the eyes swapped: as placed 2 × 1.0 / 5 = 0.4; relabelled the mouth is wrong: 2 × 0.6 / 5 = 0.24.
    const eyesOnly = inst([
      [10, 0],
      [2, 8],
      [5, 5],
      [8, 8],
      [0, 0],
    ]);
    const r = detectSwap(eyesOnly, faceRef, face);
    expect(r.nme).toBeCloseTo(0.4, 12);
    expect(r.nmeFlipped).toBeCloseTo(0.24, 12);
    expect(r.swapped).toBe(false);
  });

  it('requires the flipped reading to be below maxNme', () => {
    // Mirrored with the eyes 1.2 px further out: relabelled (0.12 + 0 + 0.12) / 3 = 0.08 < 0.1.
    const near = detectSwap(
      inst([
        [11.2, 0],
        [5, 5],
        [-1.2, 0],
      ]),
      eyesRef,
      eyes,
    );
    expect(near.nmeFlipped).toBeCloseTo(0.08, 12);
    expect(near.swapped).toBe(true);
    // 2 px further out: relabelled (0.2 + 0 + 0.2) / 3 ≈ 0.133, far below half of 0.8 but above 0.1.
    const far = detectSwap(
      inst([
        [12, 0],
        [5, 5],
        [-2, 0],
      ]),
      eyesRef,
      eyes,
    );
    expect(far.nme).toBeCloseTo(0.8, 12);
    expect(far.nmeFlipped).toBeCloseTo(0.4 / 3, 12);
    expect(far.swapped).toBe(false);
    expect(
      detectSwap(
        inst([
          [12, 0],
          [5, 5],
          [-2, 0],
        ]),
        eyesRef,
        eyes,
        { maxNme: 0.15 },
      ).swapped,
    ).toBe(true);
  });
});

describe('detectPairSwaps', () => {
  it('finds the one swapped pair', () => {
    const eyesOnly = inst([
      [10, 0],
      [2, 8],
      [5, 5],
      [8, 8],
      [0, 0],
    ]);
    const r = detectPairSwaps(eyesOnly, faceRef, face);
    expect(r).toEqual([
      { pair: [0, 4], error: 1, errorSwapped: 0, swapped: true },
      { pair: [1, 3], error: 0, errorSwapped: 0.6, swapped: false },
    ]);
  });

  it('does not flag a pair whose points lie closer together than maxNme', () => {
    // Reference points 0.04 apart (normalised), answer exactly exchanged.
    const t = makeTemplate(4, { flipPairs: [[1, 2]], normalization: [0, 3] });
    const ref = inst([
      [0, 0],
      [4.8, 5],
      [5.2, 5],
      [10, 0],
    ]);
    const [r] = detectPairSwaps(
      inst([
        [0, 0],
        [5.2, 5],
        [4.8, 5],
        [10, 0],
      ]),
      ref,
      t,
    );
    expect(r.error).toBeCloseTo(0.04, 12);
    expect(r.errorSwapped).toBe(0);
    expect(r.swapped).toBe(false);
  });

  it('skips pairs with an unlabelled point on either side', () => {
    const answer = inst([
      [10, 0],
      [2, 8],
      [5, 5],
      [8, 8, 0],
      [0, 0],
    ]);
    expect(detectPairSwaps(answer, faceRef, face).map((p) => p.pair)).toEqual([[0, 4]]);
  });
});
