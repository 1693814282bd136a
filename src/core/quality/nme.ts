/**
 * Normalised mean error (NME) of one instance against a reference (a gold answer or
 * a consensus): the usual accuracy measure for facial landmarks.
 *
 * - Error of a point: Euclidean distance in pixels between answer and reference.
 * - Scored points: those the reference labels (v > 0, occluded points included);
 *   points the reference leaves unlabelled (v = 0) are ignored.
 * - Normaliser: the distance between the template's `normalization` pair measured in
 *   the reference (inter-ocular distance for face-68: points 36 and 45). Where the
 *   template has no pair, or the reference does not label both points of it (or they
 *   coincide), the normaliser is sqrt(w·h) of the reference box, or of the box of its
 *   labelled points when it has no box.
 * - Misses: a point the reference labels but the answer leaves unlabelled (v = 0, or
 *   absent) gets the error of one normaliser, i.e. 1.0 once normalised. This keeps
 *   "skip the hard points" from improving a worker's score: a miss costs as much as a
 *   point placed one inter-ocular distance away, which is already a gross failure.
 */
import { boxOfPoints, type Instance } from '../annotation.js';
import type { KeypointTemplate } from '../templates/template.js';

/** The parts of a template NME reads. */
export type NmeTemplate = Pick<KeypointTemplate, 'points' | 'normalization'>;

export interface NmeResult {
  /** Mean normalised error over the scored points; NaN when none is scored or the normaliser is undefined. */
  nme: number;
  /** Normalised error per template point; NaN where the reference leaves the point unlabelled. */
  perPoint: number[];
  /** The normaliser in pixels (NaN when the reference gives none: no pair, no box, fewer than two distinct points). */
  normalizer: number;
  /** How many points were scored (reference v > 0). */
  scored: number;
  /** How many of the scored points the answer left unlabelled (each scored 1.0). */
  missed: number;
}

export interface NmeOptions {
  /**
   * Reads the answer through a permutation: template point `i` is compared with the
   * answer's point `permutation[i]`. Used to score a left/right-swapped answer.
   */
  permutation?: ArrayLike<number>;
}

/**
 * sqrt(w·h) of the instance's box, or of the box of its labelled points when it has
 * no box; NaN when that is 0 or there are no labelled points.
 */
export function boxScale(instance: Instance): number {
  if (instance.bbox) {
    const s = Math.sqrt(instance.bbox[2] * instance.bbox[3]);
    if (s > 0) return s;
  }
  const b = boxOfPoints(instance.points);
  if (b) {
    const s = Math.sqrt(b[2] * b[3]);
    if (s > 0) return s;
  }
  return NaN;
}

/**
 * The NME normaliser of a reference instance, in pixels: the distance between the
 * template's normalization pair in the reference, else `boxScale(reference)`.
 *
 * @example nmeNormalizer(inst([[0, 0], [30, 40]]), { normalization: [0, 1] }) // → 50
 */
export function nmeNormalizer(reference: Instance, template: Pick<KeypointTemplate, 'normalization'>): number {
  const pair = template.normalization;
  if (pair) {
    const a = reference.points[pair[0]];
    const b = reference.points[pair[1]];
    if (a && b && a[2] > 0 && b[2] > 0) {
      const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
      if (d > 0) return d;
    }
  }
  return boxScale(reference);
}

/**
 * NME of `answer` against `reference` (see the module comment for the rules).
 *
 * @example
 * // 2-point template normalised by its pair; the reference pair is 10 px apart,
 * // the answer is off by 1 px on point 0 and 3 px on point 1:
 * nme(inst([[1, 0], [10, 3]]), inst([[0, 0], [10, 0]]), template).nme // → (0.1 + 0.3) / 2 = 0.2
 */
export function nme(answer: Instance, reference: Instance, template: NmeTemplate, options: NmeOptions = {}): NmeResult {
  const n = template.points.length;
  const perm = options.permutation;
  const norm = nmeNormalizer(reference, template);
  const perPoint: number[] = new Array(n);
  let sum = 0;
  let scored = 0;
  let missed = 0;
  for (let i = 0; i < n; i++) {
    const r = reference.points[i];
    if (!r || r[2] === 0) {
      perPoint[i] = NaN;
      continue;
    }
    scored++;
    const a = answer.points[perm ? perm[i] : i];
    let e: number;
    if (!a || a[2] === 0) {
      missed++;
      e = 1;
    } else {
      e = Math.hypot(a[0] - r[0], a[1] - r[1]) / norm;
    }
    perPoint[i] = e;
    sum += e;
  }
  return { nme: scored > 0 ? sum / scored : NaN, perPoint, normalizer: norm, scored, missed };
}

/**
 * Share of NMEs strictly above `threshold` (0.08 and 0.10 are the usual ones for
 * faces), over the finite values; NaN when there is none.
 *
 * @example failureRate([0.02, 0.09, 0.2, NaN], 0.08) // → 2 / 3
 */
export function failureRate(nmes: ArrayLike<number>, threshold = 0.1): number {
  let count = 0;
  let failed = 0;
  for (let i = 0; i < nmes.length; i++) {
    const e = nmes[i];
    if (!Number.isFinite(e)) continue;
    count++;
    if (e > threshold) failed++;
  }
  return count > 0 ? failed / count : NaN;
}

/**
 * Mean normalised error per landmark over many results (NaN entries skipped), to see
 * which landmarks are hardest. Entries with no finite value come out NaN.
 *
 * @example meanPerPointError([{ perPoint: [0.1, NaN] }, { perPoint: [0.3, 0.2] }]) // → [0.2, 0.2]
 */
export function meanPerPointError(results: readonly { perPoint: ArrayLike<number> }[]): number[] {
  let n = 0;
  for (const r of results) n = Math.max(n, r.perPoint.length);
  const sum = new Float64Array(n);
  const count = new Float64Array(n);
  for (const r of results) {
    for (let i = 0; i < r.perPoint.length; i++) {
      const e = r.perPoint[i];
      if (Number.isFinite(e)) {
        sum[i] += e;
        count[i]++;
      }
    }
  }
  return Array.from(sum, (s, i) => (count[i] > 0 ? s / count[i] : NaN));
}

/**
 * Point indices ordered from the hardest (largest mean error) to the easiest, NaN last;
 * ties keep index order. Give `k` to keep only the first k.
 *
 * @example hardestPoints([0.1, 0.3, NaN, 0.2]) // → [1, 3, 0, 2]
 */
export function hardestPoints(meanErrors: ArrayLike<number>, k = meanErrors.length): number[] {
  const key = (i: number) => (Number.isNaN(meanErrors[i]) ? -Infinity : meanErrors[i]);
  return Array.from({ length: meanErrors.length }, (_, i) => i)
    .sort((a, b) => key(b) - key(a) || a - b)
    .slice(0, k);
}
