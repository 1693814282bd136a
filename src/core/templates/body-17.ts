/**
 * The 17 COCO person keypoints in COCO order, with COCO's OKS sigmas and skeleton.
 * Sides are the subject's: a person facing the viewer has the right side on the image's left.
 */
import type { KeypointTemplate, Side } from './template.js';

/** Warm hues for the subject's right, cool for the left, green for the head. */
const colors = {
  head: '#43a047',
  right_arm: '#ff6d00',
  left_arm: '#2979ff',
  right_leg: '#d50000',
  left_leg: '#00b8d4',
} as const;

/**
 * Reference positions sketch a person standing upright, arms slightly away from the
 * body, on a diagram twice as tall as wide (x is a fraction of the width, y of the height).
 */
type Row = [
  id: string,
  en: string,
  zh: string,
  group: keyof typeof colors,
  side: Side,
  sigma: number,
  x: number,
  y: number,
];
const rows: Row[] = [
  ['nose', 'Nose', '鼻子', 'head', 'center', 0.026, 0.5, 0.09],
  ['left_eye', 'Left eye', '左眼', 'head', 'left', 0.025, 0.54, 0.075],
  ['right_eye', 'Right eye', '右眼', 'head', 'right', 0.025, 0.46, 0.075],
  ['left_ear', 'Left ear', '左耳', 'head', 'left', 0.035, 0.59, 0.085],
  ['right_ear', 'Right ear', '右耳', 'head', 'right', 0.035, 0.41, 0.085],
  ['left_shoulder', 'Left shoulder', '左肩', 'left_arm', 'left', 0.079, 0.68, 0.2],
  ['right_shoulder', 'Right shoulder', '右肩', 'right_arm', 'right', 0.079, 0.32, 0.2],
  ['left_elbow', 'Left elbow', '左肘', 'left_arm', 'left', 0.072, 0.75, 0.34],
  ['right_elbow', 'Right elbow', '右肘', 'right_arm', 'right', 0.072, 0.25, 0.34],
  ['left_wrist', 'Left wrist', '左手腕', 'left_arm', 'left', 0.062, 0.79, 0.475],
  ['right_wrist', 'Right wrist', '右手腕', 'right_arm', 'right', 0.062, 0.21, 0.475],
  ['left_hip', 'Left hip', '左髋', 'left_leg', 'left', 0.107, 0.6, 0.5],
  ['right_hip', 'Right hip', '右髋', 'right_leg', 'right', 0.107, 0.4, 0.5],
  ['left_knee', 'Left knee', '左膝', 'left_leg', 'left', 0.087, 0.61, 0.715],
  ['right_knee', 'Right knee', '右膝', 'right_leg', 'right', 0.087, 0.39, 0.715],
  ['left_ankle', 'Left ankle', '左脚踝', 'left_leg', 'left', 0.089, 0.62, 0.925],
  ['right_ankle', 'Right ankle', '右脚踝', 'right_leg', 'right', 0.089, 0.38, 0.925],
];

export const body17: KeypointTemplate = {
  id: 'body-17',
  name: { zh: '人体 17 点（COCO）', en: 'Body, 17 points (COCO)' },
  kind: 'body',
  points: rows.map(([id, en, zh, group, side, sigma, x, y]) => ({
    id,
    name: { zh, en },
    group,
    side,
    color: colors[group],
    sigma,
    ref: [x, y],
  })),
  // COCO's person skeleton, converted from its 1-based indices.
  skeleton: [
    [15, 13],
    [13, 11],
    [16, 14],
    [14, 12],
    [11, 12],
    [5, 11],
    [6, 12],
    [5, 6],
    [5, 7],
    [6, 8],
    [7, 9],
    [8, 10],
    [1, 2],
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 4],
    [3, 5],
    [4, 6],
  ],
  flipPairs: [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
    [9, 10],
    [11, 12],
    [13, 14],
    [15, 16],
  ],
  // Body NME divides by the box size: no pair of joints is stable across poses.
  normalization: null,
  refAspect: 0.5,
};
