import { describe, expect, it } from 'vitest';
import { cocoAnnotations, cocoAnnotationsJson } from './coco.js';

describe('cocoAnnotationsJson', () => {
  it('writes exactly what cocoAnnotations builds', () => {
    const data = {
      instances: [
        {
          bbox: null,
          points: [
            [10.123, 20.456, 2],
            [0, 0, 0],
            [30, 40.005, 1],
          ] as any,
          attributes: { glasses: 'yes' },
        },
        {
          bbox: [1, 2, 3, 4] as [number, number, number, number],
          points: [
            [5, 6, 2],
            [7, 8, 2],
            [0, 0, 0],
          ] as any,
        },
      ],
    };
    let a = 0;
    let b = 0;
    const objects = cocoAnnotations(data, 9, () => ++a, { workerId: 3, annotationId: 77 });
    const text = cocoAnnotationsJson(data, 9, () => ++b, { workerId: 3, annotationId: 77 }, true);
    expect(JSON.parse(`[0${text}]`).slice(1)).toEqual(objects);
  });
});
