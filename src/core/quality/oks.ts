/**
 * COCO object keypoint similarity (OKS), computed as pycocotools' `COCOeval.computeOks`:
 *
 *     vars = (2σ)²
 *     e    = (dx² + dy²) / vars / (area + eps) / 2      (eps = np.spacing(1) = 2⁻⁵²)
 *     OKS  = Σ exp(−e) over reference points with v > 0, divided by their count
 *
 * where `area` (s²) is the reference's box area w·h, or the area of the box of its
 * labelled points when it has no box. Differences from cocoeval, both for inputs it
 * never sees: a reference with no labelled point scores 0 (cocoeval measures the
 * distance to an enlarged box instead), and an answer point left unlabelled (v = 0)
 * contributes exp(−∞) = 0 whatever coordinates it carries (cocoeval ignores detection
 * visibility; exported unlabelled points sit at (0, 0), which scores ≈ 0 there too).
 * Occluded reference points (v = 1) are scored like visible ones.
 */
import { boxOfPoints, type Instance } from '../annotation.js';
import type { KeypointTemplate } from '../templates/template.js';

/** np.spacing(1), the `eps` pycocotools adds to the area. */
export const OKS_EPS = 2.220446049250313e-16;

const varsCache = new WeakMap<readonly { sigma: number }[], Float64Array>();

/**
 * Per-point OKS variances (2σ)², cached per template points array (treat templates as
 * immutable).
 */
export function oksVariances(template: Pick<KeypointTemplate, 'points'>): Float64Array {
  let vars = varsCache.get(template.points);
  if (!vars) {
    vars = Float64Array.from(template.points, (p) => (2 * p.sigma) ** 2);
    varsCache.set(template.points, vars);
  }
  return vars;
}

/** The OKS scale s² of a reference: its box area, else its labelled points' box area, else 0. */
export function oksArea(reference: Instance): number {
  if (reference.bbox) return reference.bbox[2] * reference.bbox[3];
  const b = boxOfPoints(reference.points);
  return b ? b[2] * b[3] : 0;
}

/**
 * OKS of `answer` against `reference`, in [0, 1]. `area` overrides the reference's
 * area (e.g. a segmentation area, as COCO's own ground truth has).
 *
 * @example
 * // σ = 0.025 → vars = 0.0025; area 100×100; one point off by 1 px:
 * // e = 1 / 0.0025 / 10000 / 2 = 0.02 → OKS = exp(−0.02) ≈ 0.9802
 */
export function oks(
  answer: Instance,
  reference: Instance,
  template: Pick<KeypointTemplate, 'points'>,
  options: { area?: number } = {},
): number {
  const vars = oksVariances(template);
  const denom = (options.area ?? oksArea(reference)) + OKS_EPS;
  const n = vars.length;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const r = reference.points[i];
    if (!r || r[2] === 0) continue;
    count++;
    const a = answer.points[i];
    if (!a || a[2] === 0) continue;
    const dx = a[0] - r[0];
    const dy = a[1] - r[1];
    sum += Math.exp(-((dx * dx + dy * dy) / vars[i] / denom / 2));
  }
  return count > 0 ? sum / count : 0;
}
