import { describe, expect, it } from 'vitest';
import { cocoCategory } from './coco.js';
import { readCocoGold } from './coco-read.js';
import { face5 } from './templates/index.js';

const category = cocoCategory(face5);
const kp = [20, 16, 2, 44, 16, 2, 32, 26, 0, 24, 36, 1, 40, 36, 2];
const images = [{ id: 'a', file_name: 'a.jpg' }];

describe('readCocoGold', () => {
  it('keeps the project category, skips crowd regions and other declared categories', () => {
    const r = readCocoGold(
      {
        images,
        categories: [
          { id: 5, name: 'something', keypoints: category.keypoints },
          { id: 6, name: 'person' },
        ],
        annotations: [
          { id: 1, image_id: 'a', category_id: 5, keypoints: kp, bbox: [1, 2, 3, 4] },
          { id: 2, image_id: 'a', category_id: 5, iscrowd: 1 },
          { id: 3, image_id: 'a', category_id: 6, keypoints: [1, 1, 2] },
        ],
      },
      category,
    );
    expect(r.problems).toEqual([]);
    expect(r.images).toEqual([
      {
        fileName: 'a.jpg',
        instances: [
          {
            bbox: [1, 2, 3, 4],
            points: [
              [20, 16, 2],
              [44, 16, 2],
              [0, 0, 0],
              [24, 36, 1],
              [40, 36, 2],
            ],
          },
        ],
      },
    ]);
    expect(r.skipped).toEqual({
      crowd: [{ at: 'annotations[1]', id: 2, imageId: 'a' }],
      otherCategory: [{ at: 'annotations[2]', id: 3, imageId: 'a' }],
    });
  });

  it('reads a file without categories as Shugu’s own export (category 1)', () => {
    const ok = readCocoGold(
      { images, annotations: [{ id: 1, image_id: 'a', category_id: 1, keypoints: kp }] },
      category,
    );
    expect(ok.problems).toEqual([]);
    const bad = readCocoGold(
      { images, annotations: [{ id: 1, image_id: 'a', category_id: 2, keypoints: kp }] },
      category,
    );
    expect(bad.problems.map((p) => [p.code, p.at])).toEqual([['unknown_category', 'annotations[0]']]);
  });

  it('names every problem with its place, up to a limit', () => {
    const annotations = Array.from({ length: 80 }, (_, i) => ({
      id: i,
      image_id: 'zz',
      category_id: 1,
      keypoints: kp,
    }));
    const r = readCocoGold({ images: [null, ...images], annotations }, category);
    expect(r.problems[0]).toMatchObject({ code: 'invalid_image', at: 'images[0]' });
    expect(r.problems[1]).toMatchObject({ code: 'unknown_image', at: 'annotations[0]', id: 0 });
    expect(r.problems).toHaveLength(50);
    expect(readCocoGold('nonsense', category).problems[0].code).toBe('invalid_coco');
    expect(
      readCocoGold(
        { images, annotations: [{ image_id: 'a', category_id: 1, keypoints: [...kp.slice(3), 'x', 1, 2] }] },
        category,
      ).problems[0],
    ).toMatchObject({ code: 'invalid_keypoints', message: 'annotations[0]: keypoint 4 is not a number pair.' });
  });
});
