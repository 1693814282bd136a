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

  it('writes the audit extras once per answer, and nothing for an answer without instances', () => {
    const data = { instances: [{ bbox: null, points: [[1, 2, 2]] as any }] };
    const extras = {
      workerId: 4,
      annotationId: 9,
      status: 'rejected' as const,
      rejectedBy: 'review' as const,
      rejectReason: 'wrong_points',
      createdAt: '2026-11-28T08:00:00.000Z',
    };
    const text = cocoAnnotationsJson(data, 3, () => 1, extras, false);
    expect(JSON.parse(text)).toEqual(cocoAnnotations(data, 3, () => 1, extras)[0]);
    expect(JSON.parse(text)).toMatchObject({
      shugu_status: 'rejected',
      shugu_rejected_by: 'review',
      shugu_reject_reason: 'wrong_points',
      shugu_created_at: '2026-11-28T08:00:00.000Z',
    });
    expect(JSON.parse(cocoAnnotationsJson(data, 3, () => 1, { goldReference: true }, false))).toMatchObject({
      shugu_gold_reference: true,
    });
    expect(cocoAnnotationsJson({ instances: [] }, 3, () => 1, extras, true)).toBe('');
  });
});
