import { describe, it, expect } from 'vitest';
import {
  body17,
  builtinTemplates,
  face5,
  face68,
  getBuiltinTemplate,
  hand21,
  keypointTemplateSchema,
} from './index.js';

describe.each(builtinTemplates.map((t) => [t.id, t] as const))('built-in template %s', (_id, t) => {
  it('parses with the template schema', () => {
    expect(keypointTemplateSchema.parse(t)).toEqual(t);
  });

  it('has unique point ids and names in both languages', () => {
    expect(new Set(t.points.map((p) => p.id)).size).toBe(t.points.length);
    for (const p of t.points) {
      expect(p.name.zh.trim()).not.toBe('');
      expect(p.name.en.trim()).not.toBe('');
    }
  });

  it('has skeleton edges and a normalisation pair within range', () => {
    const n = t.points.length;
    for (const [a, b] of [...t.skeleton, ...(t.normalization ? [t.normalization] : [])]) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThan(n);
      expect(b).toBeLessThan(n);
      expect(a).not.toBe(b);
    }
    const keys = t.skeleton.map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has flip pairs that each join a left and a right point, using each point once', () => {
    const seen = new Set<number>();
    for (const [a, b] of t.flipPairs) {
      expect(seen.has(a) || seen.has(b)).toBe(false);
      seen.add(a).add(b);
      expect([t.points[a].side, t.points[b].side].sort()).toEqual(['left', 'right']);
    }
    // Where the template is mirror-symmetric, any point that does not swap lies on the midline.
    if (t.flipPairs.length > 0)
      t.points.forEach((p, i) => {
        if (!seen.has(i)) expect(p.side).toBe('center');
      });
  });
});

// A single hand has no flip pairs: mirrored, it becomes the other hand.
const symmetric = builtinTemplates.filter((t) => t.flipPairs.length > 0);
describe.each(symmetric.map((t) => [t.id, t] as const))('mirror-symmetric template %s', (_id, t) => {
  it('has a reference diagram that its flip pairs mirror', () => {
    const partner = t.points.map((_, i) => i);
    for (const [a, b] of t.flipPairs) [partner[a], partner[b]] = [b, a];
    t.points.forEach((p, i) => {
      const [x, y] = t.points[partner[i]].ref;
      expect(Math.hypot(1 - p.ref[0] - x, p.ref[1] - y), p.id).toBeLessThan(0.06);
    });
  });
});

describe('built-in templates', () => {
  it('have unique ids and are found by id', () => {
    expect(new Set(builtinTemplates.map((t) => t.id)).size).toBe(builtinTemplates.length);
    expect(getBuiltinTemplate('face-68')).toBe(face68);
    expect(getBuiltinTemplate('face-5')).toBe(face5);
    expect(getBuiltinTemplate('body-17')).toBe(body17);
    expect(getBuiltinTemplate('hand-21')).toBe(hand21);
    expect(getBuiltinTemplate('nope')).toBeUndefined();
  });
});

describe('face-68', () => {
  it('follows the iBUG 300-W layout with subject-side labels', () => {
    expect(face68.points).toHaveLength(68);
    expect(face68.normalization).toEqual([36, 45]);
    expect(face68.points[36].side).toBe('right');
    expect(face68.points[45].side).toBe('left');
    // The subject's right eye appears on the image's left.
    expect(face68.points[36].ref[0]).toBeLessThan(face68.points[45].ref[0]);
    expect(face68.points[8].side).toBe('center');
    expect(face68.points[30].id).toBe('nose_tip');
  });

  it('flips with the standard 300-W mapping', () => {
    const pairs = face68.flipPairs.map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);
    const jaw = Array.from({ length: 8 }, (_, i) => [i, 16 - i]);
    expect(pairs.sort((p, q) => p[0] - q[0])).toEqual([
      ...jaw,
      [17, 26],
      [18, 25],
      [19, 24],
      [20, 23],
      [21, 22],
      [31, 35],
      [32, 34],
      [36, 45],
      [37, 44],
      [38, 43],
      [39, 42],
      [40, 47],
      [41, 46],
      [48, 54],
      [49, 53],
      [50, 52],
      [55, 59],
      [56, 58],
      [60, 64],
      [61, 63],
      [65, 67],
    ]);
  });

  it('closes the eye and lip loops', () => {
    const edges = new Set(face68.skeleton.map(([a, b]) => `${a}-${b}`));
    for (const e of ['41-36', '47-42', '59-48', '67-60', '0-1', '15-16']) expect(edges.has(e)).toBe(true);
  });
});

describe('face-5', () => {
  it('uses the RetinaFace order and inter-ocular normalisation', () => {
    expect(face5.points.map((p) => p.id)).toEqual(['right_eye', 'left_eye', 'nose_tip', 'mouth_right', 'mouth_left']);
    expect(face5.normalization).toEqual([0, 1]);
    expect(face5.flipPairs).toEqual([
      [0, 1],
      [3, 4],
    ]);
  });
});

describe('body-17', () => {
  it('uses the COCO order and sigmas', () => {
    expect(body17.points.map((p) => p.id)).toEqual([
      'nose',
      'left_eye',
      'right_eye',
      'left_ear',
      'right_ear',
      'left_shoulder',
      'right_shoulder',
      'left_elbow',
      'right_elbow',
      'left_wrist',
      'right_wrist',
      'left_hip',
      'right_hip',
      'left_knee',
      'right_knee',
      'left_ankle',
      'right_ankle',
    ]);
    const cocoSigmas = [
      0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072, 0.062, 0.062, 0.107, 0.107, 0.087, 0.087, 0.089,
      0.089,
    ];
    expect(body17.points.map((p) => p.sigma)).toEqual(cocoSigmas);
    expect(body17.normalization).toBeNull();
  });

  it("uses COCO's person skeleton", () => {
    const coco1Based = [
      [16, 14],
      [14, 12],
      [17, 15],
      [15, 13],
      [12, 13],
      [6, 12],
      [7, 13],
      [6, 7],
      [6, 8],
      [7, 9],
      [8, 10],
      [9, 11],
      [2, 3],
      [1, 2],
      [1, 3],
      [2, 4],
      [3, 5],
      [4, 6],
      [5, 7],
    ];
    expect(body17.skeleton).toEqual(coco1Based.map(([a, b]) => [a - 1, b - 1]));
  });

  it('shows the subject facing the viewer', () => {
    const x = (id: string) => body17.points.find((p) => p.id === id)!.ref[0];
    expect(x('right_shoulder')).toBeLessThan(x('left_shoulder'));
  });
});

describe('hand-21', () => {
  it('uses the MediaPipe order with wrist-to-middle-knuckle normalisation', () => {
    expect(hand21.points).toHaveLength(21);
    expect(hand21.points[0].id).toBe('wrist');
    expect(hand21.points[4].id).toBe('thumb_tip');
    expect(hand21.points[9].id).toBe('middle_mcp');
    expect(hand21.points[20].id).toBe('little_tip');
    expect(hand21.normalization).toEqual([0, 9]);
    expect(hand21.flipPairs).toEqual([]);
    expect(hand21.points.every((p) => p.side === 'center' && p.sigma === 0.025)).toBe(true);
    expect(hand21.skeleton).toHaveLength(20);
  });
});
