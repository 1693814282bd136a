/**
 * The 68-point face of iBUG 300-W, in its 0-based order. Sides are the subject's:
 * point 36 is the subject's right eye outer corner, which appears on the image's left.
 */
import type { KeypointTemplate, Side } from './template.js';

type Group =
  | 'jaw'
  | 'right_brow'
  | 'left_brow'
  | 'nose_bridge'
  | 'nose_bottom'
  | 'right_eye'
  | 'left_eye'
  | 'outer_lips'
  | 'inner_lips';

/** Warm hues for the subject's right, cool for the left, green/yellow on the midline, so a mirrored face stands out. */
const colors: Record<Group, Partial<Record<Side, string>>> = {
  jaw: { right: '#e65100', center: '#2e7d32', left: '#1565c0' },
  right_brow: { right: '#d32f2f' },
  left_brow: { left: '#283593' },
  nose_bridge: { center: '#43a047' },
  nose_bottom: { right: '#ff9100', center: '#9e9d24', left: '#00acc1' },
  right_eye: { right: '#ff1744' },
  left_eye: { left: '#2979ff' },
  outer_lips: { right: '#c2185b', center: '#f9a825', left: '#6a1b9a' },
  inner_lips: { right: '#f06292', center: '#ffee58', left: '#9575cd' },
};

/**
 * The reference positions are the dlib/OpenFace mean shape of 300-W, mirrored and
 * averaged with itself so that flip pairs map exactly onto each other, then fitted
 * into the unit box with a 0.05 margin (the subject's right on the small-x side).
 */
type Row = [id: string, en: string, zh: string, group: Group, side: Side, x: number, y: number];
const rows: Row[] = [
  ['jaw_right_1', 'Jaw 1 (right)', '下颌 1（右）', 'jaw', 'right', 0.05, 0.198],
  ['jaw_right_2', 'Jaw 2 (right)', '下颌 2（右）', 'jaw', 'right', 0.052, 0.32],
  ['jaw_right_3', 'Jaw 3 (right)', '下颌 3（右）', 'jaw', 'right', 0.064, 0.443],
  ['jaw_right_4', 'Jaw 4 (right)', '下颌 4（右）', 'jaw', 'right', 0.088, 0.565],
  ['jaw_right_5', 'Jaw 5 (right)', '下颌 5（右）', 'jaw', 'right', 0.134, 0.678],
  ['jaw_right_6', 'Jaw 6 (right)', '下颌 6（右）', 'jaw', 'right', 0.205, 0.777],
  ['jaw_right_7', 'Jaw 7 (right)', '下颌 7（右）', 'jaw', 'right', 0.292, 0.861],
  ['jaw_right_8', 'Jaw 8 (right)', '下颌 8（右）', 'jaw', 'right', 0.39, 0.93],
  ['chin', 'Chin', '下巴', 'jaw', 'center', 0.5, 0.95],
  ['jaw_left_8', 'Jaw 8 (left)', '下颌 8（左）', 'jaw', 'left', 0.61, 0.93],
  ['jaw_left_7', 'Jaw 7 (left)', '下颌 7（左）', 'jaw', 'left', 0.708, 0.861],
  ['jaw_left_6', 'Jaw 6 (left)', '下颌 6（左）', 'jaw', 'left', 0.795, 0.777],
  ['jaw_left_5', 'Jaw 5 (left)', '下颌 5（左）', 'jaw', 'left', 0.866, 0.678],
  ['jaw_left_4', 'Jaw 4 (left)', '下颌 4（左）', 'jaw', 'left', 0.912, 0.565],
  ['jaw_left_3', 'Jaw 3 (left)', '下颌 3（左）', 'jaw', 'left', 0.936, 0.443],
  ['jaw_left_2', 'Jaw 2 (left)', '下颌 2（左）', 'jaw', 'left', 0.948, 0.32],
  ['jaw_left_1', 'Jaw 1 (left)', '下颌 1（左）', 'jaw', 'left', 0.95, 0.198],

  ['right_brow_outer', 'Right brow outer end', '右眉 外端', 'right_brow', 'right', 0.143, 0.107],
  ['right_brow_outer_mid', 'Right brow outer part', '右眉 外侧', 'right_brow', 'right', 0.2, 0.062],
  ['right_brow_middle', 'Right brow middle', '右眉 中点', 'right_brow', 'right', 0.275, 0.05],
  ['right_brow_inner_mid', 'Right brow inner part', '右眉 内侧', 'right_brow', 'right', 0.352, 0.063],
  ['right_brow_inner', 'Right brow inner end', '右眉 内端', 'right_brow', 'right', 0.426, 0.095],
  ['left_brow_inner', 'Left brow inner end', '左眉 内端', 'left_brow', 'left', 0.574, 0.095],
  ['left_brow_inner_mid', 'Left brow inner part', '左眉 内侧', 'left_brow', 'left', 0.648, 0.063],
  ['left_brow_middle', 'Left brow middle', '左眉 中点', 'left_brow', 'left', 0.725, 0.05],
  ['left_brow_outer_mid', 'Left brow outer part', '左眉 外侧', 'left_brow', 'left', 0.8, 0.062],
  ['left_brow_outer', 'Left brow outer end', '左眉 外端', 'left_brow', 'left', 0.857, 0.107],

  ['nose_root', 'Nose root (between the eyes)', '鼻根（两眼之间）', 'nose_bridge', 'center', 0.5, 0.185],
  ['nose_bridge_upper', 'Nose bridge upper', '鼻梁 上部', 'nose_bridge', 'center', 0.5, 0.265],
  ['nose_bridge_lower', 'Nose bridge lower', '鼻梁 下部', 'nose_bridge', 'center', 0.5, 0.345],
  ['nose_tip', 'Nose tip', '鼻尖', 'nose_bridge', 'center', 0.5, 0.427],
  ['right_nose_wing', 'Right nose wing', '右鼻翼', 'nose_bottom', 'right', 0.413, 0.478],
  ['right_nostril', 'Right nostril', '右鼻孔', 'nose_bottom', 'right', 0.454, 0.496],
  ['nose_base', 'Nose base centre', '鼻底 中点', 'nose_bottom', 'center', 0.5, 0.51],
  ['left_nostril', 'Left nostril', '左鼻孔', 'nose_bottom', 'left', 0.546, 0.496],
  ['left_nose_wing', 'Left nose wing', '左鼻翼', 'nose_bottom', 'left', 0.587, 0.478],

  ['right_eye_outer', 'Right eye outer corner', '右眼外眼角', 'right_eye', 'right', 0.232, 0.193],
  ['right_eye_upper_outer', 'Right upper eyelid, outer', '右上眼睑 外侧', 'right_eye', 'right', 0.279, 0.165],
  ['right_eye_upper_inner', 'Right upper eyelid, inner', '右上眼睑 内侧', 'right_eye', 'right', 0.337, 0.166],
  ['right_eye_inner', 'Right eye inner corner', '右眼内眼角', 'right_eye', 'right', 0.385, 0.204],
  ['right_eye_lower_inner', 'Right lower eyelid, inner', '右下眼睑 内侧', 'right_eye', 'right', 0.332, 0.214],
  ['right_eye_lower_outer', 'Right lower eyelid, outer', '右下眼睑 外侧', 'right_eye', 'right', 0.276, 0.214],
  ['left_eye_inner', 'Left eye inner corner', '左眼内眼角', 'left_eye', 'left', 0.615, 0.204],
  ['left_eye_upper_inner', 'Left upper eyelid, inner', '左上眼睑 内侧', 'left_eye', 'left', 0.663, 0.166],
  ['left_eye_upper_outer', 'Left upper eyelid, outer', '左上眼睑 外侧', 'left_eye', 'left', 0.721, 0.165],
  ['left_eye_outer', 'Left eye outer corner', '左眼外眼角', 'left_eye', 'left', 0.768, 0.193],
  ['left_eye_lower_outer', 'Left lower eyelid, outer', '左下眼睑 外侧', 'left_eye', 'left', 0.724, 0.214],
  ['left_eye_lower_inner', 'Left lower eyelid, inner', '左下眼睑 内侧', 'left_eye', 'left', 0.668, 0.214],

  ['mouth_right', 'Right mouth corner', '右嘴角', 'outer_lips', 'right', 0.325, 0.622],
  [
    'upper_lip_right',
    'Upper lip edge, right (near corner)',
    '上唇外缘 右（近嘴角）',
    'outer_lips',
    'right',
    0.389,
    0.596,
  ],
  ['upper_lip_right_peak', 'Upper lip peak, right', '上唇 右唇峰', 'outer_lips', 'right', 0.454, 0.585],
  ['upper_lip_top', 'Upper lip top centre', '上唇 上缘中点', 'outer_lips', 'center', 0.5, 0.596],
  ['upper_lip_left_peak', 'Upper lip peak, left', '上唇 左唇峰', 'outer_lips', 'left', 0.546, 0.585],
  ['upper_lip_left', 'Upper lip edge, left (near corner)', '上唇外缘 左（近嘴角）', 'outer_lips', 'left', 0.611, 0.596],
  ['mouth_left', 'Left mouth corner', '左嘴角', 'outer_lips', 'left', 0.675, 0.622],
  ['lower_lip_left', 'Lower lip edge, left (near corner)', '下唇外缘 左（近嘴角）', 'outer_lips', 'left', 0.614, 0.689],
  [
    'lower_lip_left_mid',
    'Lower lip edge, left (near centre)',
    '下唇外缘 左（近中线）',
    'outer_lips',
    'left',
    0.55,
    0.719,
  ],
  ['lower_lip_bottom', 'Lower lip bottom centre', '下唇 下缘中点', 'outer_lips', 'center', 0.5, 0.724],
  [
    'lower_lip_right_mid',
    'Lower lip edge, right (near centre)',
    '下唇外缘 右（近中线）',
    'outer_lips',
    'right',
    0.45,
    0.719,
  ],
  [
    'lower_lip_right',
    'Lower lip edge, right (near corner)',
    '下唇外缘 右（近嘴角）',
    'outer_lips',
    'right',
    0.386,
    0.689,
  ],

  ['inner_mouth_right', 'Right mouth corner (inner lip line)', '右嘴角（内唇线）', 'inner_lips', 'right', 0.353, 0.627],
  ['upper_lip_inner_right', 'Upper lip inner edge, right', '上唇内缘 右侧', 'inner_lips', 'right', 0.453, 0.624],
  ['upper_lip_inner', 'Upper lip inner edge, centre', '上唇内缘 中点', 'inner_lips', 'center', 0.5, 0.629],
  ['upper_lip_inner_left', 'Upper lip inner edge, left', '上唇内缘 左侧', 'inner_lips', 'left', 0.547, 0.624],
  ['inner_mouth_left', 'Left mouth corner (inner lip line)', '左嘴角（内唇线）', 'inner_lips', 'left', 0.647, 0.627],
  ['lower_lip_inner_left', 'Lower lip inner edge, left', '下唇内缘 左侧', 'inner_lips', 'left', 0.548, 0.658],
  ['lower_lip_inner', 'Lower lip inner edge, centre', '下唇内缘 中点', 'inner_lips', 'center', 0.5, 0.664],
  ['lower_lip_inner_right', 'Lower lip inner edge, right', '下唇内缘 右侧', 'inner_lips', 'right', 0.452, 0.658],
];

function colorOf(group: Group, side: Side): string {
  const color = colors[group][side];
  if (!color) throw new Error(`face-68: no colour for ${side} ${group}`);
  return color;
}

/** Consecutive edges from `from` to `to`, closed back to `from` when `loop`. */
function chain(from: number, to: number, loop = false): [number, number][] {
  const edges: [number, number][] = [];
  for (let i = from; i < to; i++) edges.push([i, i + 1]);
  if (loop) edges.push([to, from]);
  return edges;
}

export const face68: KeypointTemplate = {
  id: 'face-68',
  name: { zh: '人脸 68 点（300-W）', en: 'Face, 68 points (300-W)' },
  kind: 'face',
  points: rows.map(([id, en, zh, group, side, x, y]) => ({
    id,
    name: { zh, en },
    group,
    side,
    color: colorOf(group, side),
    // COCO has no face sigmas; 0.025 is the conventional value for face landmarks.
    sigma: 0.025,
    ref: [x, y],
  })),
  skeleton: [
    ...chain(0, 16),
    ...chain(17, 21),
    ...chain(22, 26),
    ...chain(27, 30),
    ...chain(31, 35),
    // Joins the nose tip to the nostril line so the nose reads as one shape.
    [30, 33],
    ...chain(36, 41, true),
    ...chain(42, 47, true),
    ...chain(48, 59, true),
    ...chain(60, 67, true),
  ],
  flipPairs: [
    ...Array.from({ length: 8 }, (_, i): [number, number] => [i, 16 - i]),
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
  ],
  // Outer eye corners: the inter-ocular normalisation of the 300-W benchmark.
  normalization: [36, 45],
  refAspect: 1.02,
};
