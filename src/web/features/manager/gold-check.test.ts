import { describe, expect, it } from 'vitest';
import type { EditorDocument, PointSlot } from '../../editor';
import { referenceCheck } from './gold-check';

/** A document of face-5 instances; `null` is a point not placed yet, `[x, y, 0]` one marked not in the image. */
const editorWith = (points: PointSlot[][]): EditorDocument => ({
  instances: points.map((p, i) => ({ id: `i${i}`, bbox: null, points: p })),
});

describe('referenceCheck', () => {
  it('blocks an empty reference', () => {
    expect(referenceCheck({ instances: [] })).toEqual({ empty: true, missing: null, notInImage: [] });
  });

  it('names the first face with unplaced points', () => {
    const doc = editorWith([
      [
        [1, 1, 2],
        [2, 2, 2],
        [3, 3, 1],
        [4, 4, 2],
        [5, 5, 2],
      ],
      [[1, 1, 2], null, [0, 0, 0], null, [5, 5, 2]],
    ]);
    expect(referenceCheck(doc)).toEqual({
      empty: false,
      missing: { instance: 1, points: [1, 3] },
      notInImage: [[], [2]],
    });
  });

  it('passes a reference whose hidden points are all marked not in the image', () => {
    const doc = editorWith([
      [
        [1, 1, 2],
        [0, 0, 0],
        [3, 3, 1],
        [0, 0, 0],
        [5, 5, 2],
      ],
    ]);
    expect(referenceCheck(doc)).toEqual({ empty: false, missing: null, notInImage: [[1, 3]] });
  });
});
