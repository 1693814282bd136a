/**
 * Matching the instances of two answers (a worker's faces against the gold faces, or
 * one worker's against another's) by optimal assignment on box IoU or OKS.
 */
import { boxOfPoints, type Instance } from '../annotation.js';
import type { Box, KeypointTemplate } from '../templates/template.js';
import { solveAssignment } from './hungarian.js';
import { oks } from './oks.js';

/**
 * Intersection over union of two boxes `[x, y, w, h]`; 0 when both are empty.
 *
 * @example boxIou([0, 0, 10, 10], [5, 0, 10, 10]) // → 50 / 150 = 1 / 3
 */
export function boxIou(a: Box, b: Box): number {
  const iw = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/** The instance's box, or the box of its labelled points where it has none. */
export function instanceBox(instance: Instance): Box | null {
  return instance.bbox ?? boxOfPoints(instance.points);
}

export type MatchBy = 'iou' | 'oks';

export interface MatchOptions {
  /** `oks` (default): OKS of the `a` instance against the `b` instance as reference; `iou`: box IoU. */
  by?: MatchBy;
  /** Pairs scoring below this stay unmatched (default 0.5, COCO's loosest threshold). Pairs scoring 0 never match. */
  minScore?: number;
}

export interface MatchedPair {
  /** Index into `a`. */
  a: number;
  /** Index into `b`. */
  b: number;
  score: number;
}

export interface MatchResult {
  /** Matched pairs in increasing order of `a`. */
  pairs: MatchedPair[];
  unmatchedA: number[];
  unmatchedB: number[];
}

/**
 * The similarity `matchInstances` uses: box IoU (boxes from points where missing; 0
 * without any), or OKS of `a` against `b` as the reference.
 */
export function matchScore(a: Instance, b: Instance, template: Pick<KeypointTemplate, 'points'>, by: MatchBy): number {
  if (by === 'oks') return oks(a, b, template);
  const ba = instanceBox(a);
  const bb = instanceBox(b);
  return ba && bb ? boxIou(ba, bb) : 0;
}

/**
 * Optimal one-to-one matching of `a` onto `b`: maximises the total score of the pairs
 * kept, where only pairs scoring at least `minScore` (and above 0) may be kept. This
 * is the Hungarian method on scores with the too-low ones set to 0.
 *
 * @example
 * matchInstances([faceNearB1, faceNearB0], [b0, b1], template, { by: 'iou', minScore: 0.5 })
 * // → { pairs: [{ a: 0, b: 1, score: … }, { a: 1, b: 0, score: … }], unmatchedA: [], unmatchedB: [] }
 */
export function matchInstances(
  a: readonly Instance[],
  b: readonly Instance[],
  template: Pick<KeypointTemplate, 'points'>,
  options: MatchOptions = {},
): MatchResult {
  const by = options.by ?? 'oks';
  const minScore = options.minScore ?? 0.5;
  const rows = a.length;
  const cols = b.length;
  const scores = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const s = matchScore(a[i], b[j], template, by);
      scores[i * cols + j] = s >= minScore && s > 0 ? s : 0;
    }
  }
  const r2c = solveAssignment(scores, rows, cols, true);
  const pairs: MatchedPair[] = [];
  const usedB = new Uint8Array(cols);
  const unmatchedA: number[] = [];
  for (let i = 0; i < rows; i++) {
    const j = r2c[i];
    if (j >= 0 && scores[i * cols + j] > 0) {
      pairs.push({ a: i, b: j, score: scores[i * cols + j] });
      usedB[j] = 1;
    } else {
      unmatchedA.push(i);
    }
  }
  const unmatchedB: number[] = [];
  for (let j = 0; j < cols; j++) if (!usedB[j]) unmatchedB.push(j);
  return { pairs, unmatchedA, unmatchedB };
}
