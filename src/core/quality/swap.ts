/**
 * Left/right swap detection: a worker who confuses the subject's left with the image's
 * left places every paired landmark on the wrong side. The answer is then bad as it
 * stands but good once its points are relabelled through the template's `flipPairs`
 * (no coordinate is mirrored: only the labels move).
 */
import type { Instance } from '../annotation.js';
import type { KeypointTemplate } from '../templates/template.js';
import { nme, nmeNormalizer } from './nme.js';

export type SwapTemplate = Pick<KeypointTemplate, 'points' | 'normalization' | 'flipPairs'>;

const permCache = new WeakMap<readonly [number, number][], Int32Array>();

/**
 * The relabelling under a horizontal flip: `perm[i]` is the point that `i` becomes
 * (its flip partner, or itself for centre points). Cached per `flipPairs` array.
 *
 * @example flipPermutation({ points: [a, b, c], flipPairs: [[0, 2]] }) // → Int32Array [2, 1, 0]
 */
export function flipPermutation(template: Pick<KeypointTemplate, 'points' | 'flipPairs'>): Int32Array {
  let perm = permCache.get(template.flipPairs);
  if (!perm || perm.length !== template.points.length) {
    perm = Int32Array.from(template.points, (_, i) => i);
    for (const [a, b] of template.flipPairs) {
      perm[a] = b;
      perm[b] = a;
    }
    permCache.set(template.flipPairs, perm);
  }
  return perm;
}

export interface SwapOptions {
  /** The flipped reading must be below `ratio` × the as-is error (default 0.5). */
  ratio?: number;
  /** …and below this normalised error (default 0.1). */
  maxNme?: number;
}

export interface SwapResult {
  /** The flipped reading is much better: `nmeFlipped < ratio · nme` and `nmeFlipped < maxNme`. */
  swapped: boolean;
  /** NME as placed. */
  nme: number;
  /** NME with the answer's points relabelled through the flip pairs. */
  nmeFlipped: number;
}

/**
 * Whole-instance swap check: NME as placed and with the answer relabelled through
 * the flip pairs (both against the same reference and normaliser).
 *
 * @example
 * // Template [left eye, nose, right eye], flipPairs [[0, 2]], normalisation [0, 2];
 * // the worker put the left-eye label on the right eye and vice versa:
 * detectSwap(inst([[10, 0], [5, 5], [0, 0]]), inst([[0, 0], [5, 5], [10, 0]]), t)
 * // → { swapped: true, nme: 2 / 3, nmeFlipped: 0 }
 */
export function detectSwap(
  answer: Instance,
  reference: Instance,
  template: SwapTemplate,
  options: SwapOptions = {},
): SwapResult {
  const ratio = options.ratio ?? 0.5;
  const maxNme = options.maxNme ?? 0.1;
  const asIs = nme(answer, reference, template).nme;
  const flipped = nme(answer, reference, template, { permutation: flipPermutation(template) }).nme;
  return { swapped: flipped < ratio * asIs && flipped < maxNme, nme: asIs, nmeFlipped: flipped };
}

export interface PairSwap {
  /** The flip pair `[i, j]` as the template lists it. */
  pair: [number, number];
  /** Mean normalised error of the two points as placed. */
  error: number;
  /** Mean normalised error with the two answers exchanged. */
  errorSwapped: number;
  /**
   * `errorSwapped < ratio · error`, `errorSwapped < maxNme`, and `error ≥ maxNme`:
   * the last condition keeps pairs whose two points lie close together (closer than
   * maxNme) from being flagged on placement noise, where a swap is harmless anyway.
   */
  swapped: boolean;
}

/**
 * Swap check for each flip pair on its own (e.g. only the two outer eye corners
 * exchanged). Pairs where the reference or the answer leaves either point unlabelled
 * are skipped.
 *
 * @example
 * // Reference eye corners at (0, 0) and (10, 0); the answer has them exchanged:
 * detectPairSwaps(inst([[10, 0], [5, 5], [0, 0]]), inst([[0, 0], [5, 5], [10, 0]]), t)
 * // → [{ pair: [0, 2], error: 1, errorSwapped: 0, swapped: true }]
 */
export function detectPairSwaps(
  answer: Instance,
  reference: Instance,
  template: SwapTemplate,
  options: SwapOptions = {},
): PairSwap[] {
  const ratio = options.ratio ?? 0.5;
  const maxNme = options.maxNme ?? 0.1;
  const norm = nmeNormalizer(reference, template);
  const out: PairSwap[] = [];
  for (const [i, j] of template.flipPairs) {
    const ri = reference.points[i];
    const rj = reference.points[j];
    const ai = answer.points[i];
    const aj = answer.points[j];
    if (!ri || !rj || !ai || !aj || ri[2] === 0 || rj[2] === 0 || ai[2] === 0 || aj[2] === 0) continue;
    const error = (Math.hypot(ai[0] - ri[0], ai[1] - ri[1]) + Math.hypot(aj[0] - rj[0], aj[1] - rj[1])) / 2 / norm;
    const errorSwapped =
      (Math.hypot(aj[0] - ri[0], aj[1] - ri[1]) + Math.hypot(ai[0] - rj[0], ai[1] - rj[1])) / 2 / norm;
    out.push({
      pair: [i, j],
      error,
      errorSwapped,
      swapped: errorSwapped < ratio * error && errorSwapped < maxNme && error >= maxNme,
    });
  }
  return out;
}
