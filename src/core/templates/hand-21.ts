/**
 * The 21-point hand of OpenPose and MediaPipe: the wrist, then each finger from its
 * base to its tip, thumb first. One template serves both hands, so every point is
 * 'center' and nothing swaps under a flip (a mirrored right hand is a left hand).
 */
import type { KeypointTemplate } from './template.js';

/** One hue per finger, as OpenPose draws them, so crossed fingers stay distinguishable. */
const colors = {
  wrist: '#757575',
  thumb: '#e53935',
  index: '#fb8c00',
  middle: '#43a047',
  ring: '#1e88e5',
  little: '#8e24aa',
} as const;

/**
 * Reference positions sketch an open right hand, fingers up, palm towards the viewer:
 * the thumb is on the image's right. x is a fraction of the width, y of the height
 * (the diagram is 100 wide by 120 high).
 */
type Row = [id: string, en: string, zh: string, group: keyof typeof colors, x: number, y: number];
const rows: Row[] = [
  ['wrist', 'Wrist', '手腕', 'wrist', 0.45, 0.933],
  ['thumb_cmc', 'Thumb CMC joint (base)', '拇指 腕掌关节（根部）', 'thumb', 0.6, 0.833],
  ['thumb_mcp', 'Thumb MCP joint', '拇指 掌指关节', 'thumb', 0.73, 0.717],
  ['thumb_ip', 'Thumb IP joint', '拇指 指间关节', 'thumb', 0.83, 0.608],
  ['thumb_tip', 'Thumb tip', '拇指 指尖', 'thumb', 0.91, 0.517],
  ['index_mcp', 'Index finger MCP joint (knuckle)', '食指 掌指关节（指根）', 'index', 0.6, 0.5],
  ['index_pip', 'Index finger PIP joint', '食指 近端指间关节', 'index', 0.63, 0.35],
  ['index_dip', 'Index finger DIP joint', '食指 远端指间关节', 'index', 0.65, 0.25],
  ['index_tip', 'Index finger tip', '食指 指尖', 'index', 0.67, 0.158],
  ['middle_mcp', 'Middle finger MCP joint (knuckle)', '中指 掌指关节（指根）', 'middle', 0.48, 0.483],
  ['middle_pip', 'Middle finger PIP joint', '中指 近端指间关节', 'middle', 0.48, 0.308],
  ['middle_dip', 'Middle finger DIP joint', '中指 远端指间关节', 'middle', 0.48, 0.2],
  ['middle_tip', 'Middle finger tip', '中指 指尖', 'middle', 0.48, 0.1],
  ['ring_mcp', 'Ring finger MCP joint (knuckle)', '无名指 掌指关节（指根）', 'ring', 0.37, 0.508],
  ['ring_pip', 'Ring finger PIP joint', '无名指 近端指间关节', 'ring', 0.34, 0.35],
  ['ring_dip', 'Ring finger DIP joint', '无名指 远端指间关节', 'ring', 0.32, 0.25],
  ['ring_tip', 'Ring finger tip', '无名指 指尖', 'ring', 0.3, 0.167],
  ['little_mcp', 'Little finger MCP joint (knuckle)', '小指 掌指关节（指根）', 'little', 0.27, 0.558],
  ['little_pip', 'Little finger PIP joint', '小指 近端指间关节', 'little', 0.22, 0.442],
  ['little_dip', 'Little finger DIP joint', '小指 远端指间关节', 'little', 0.19, 0.367],
  ['little_tip', 'Little finger tip', '小指 指尖', 'little', 0.16, 0.292],
];

export const hand21: KeypointTemplate = {
  id: 'hand-21',
  name: { zh: '手部 21 点', en: 'Hand, 21 points' },
  kind: 'hand',
  points: rows.map(([id, en, zh, group, x, y]) => ({
    id,
    name: { zh, en },
    group,
    side: 'center',
    color: colors[group],
    sigma: 0.025,
    ref: [x, y],
  })),
  // The wrist to each finger's base, then along each finger to its tip.
  skeleton: [1, 5, 9, 13, 17].flatMap((base): [number, number][] => [
    [0, base],
    [base, base + 1],
    [base + 1, base + 2],
    [base + 2, base + 3],
  ]),
  flipPairs: [],
  // Wrist to middle-finger knuckle: the palm length, stable whatever the fingers do.
  normalization: [0, 9],
  refAspect: 100 / 120,
};
