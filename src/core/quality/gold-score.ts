/**
 * Scores one worker's answer against a gold reference: instances matched by OKS
 * (optimal assignment), a score in [0, 1] that missed and extra instances pull down,
 * NME per matched face, per-point errors, and feedback a worker can act on — with no
 * coordinates of the reference in it.
 */
import type { AnnotationData, Instance } from '../annotation.js';
import type { KeypointTemplate, Localized } from '../templates/template.js';
import { matchInstances } from './matching.js';
import { nme } from './nme.js';
import { oks } from './oks.js';
import { detectSwap } from './swap.js';
import { detectRegionSwaps, flipRegions, swapLabel } from './swap-regions.js';

export type GoldFeedback =
  | {
      code: 'left_right_swap';
      instance: number;
      /** The swapped regions (`brow`, `eye`, `jaw`, …; every region for a whole mirrored face). */
      regions: string[];
      /** The flip pairs read the wrong way round. */
      pairs: [number, number][];
      /** What to tell the worker, e.g. 左右眉毛互换. */
      label: Localized;
    }
  | { code: 'missed_instance'; count: number }
  | { code: 'extra_instance'; count: number }
  | { code: 'imprecise_points'; points: number[] }
  | { code: 'visibility_mismatch'; points: number[] };

export interface GoldScore {
  /** Sum of matched OKS / max(reference instances, answer instances): 1 is perfect. */
  score: number;
  /** Mean NME over matched instances; null when none matched or no normaliser. */
  nme: number | null;
  swapped: boolean;
  /** Normalised error per template point, averaged over matched instances (NaN where unscored). */
  perPoint: number[];
  feedback: GoldFeedback[];
}

/** Points farther than this (normalised) are named in the feedback as imprecise. */
const IMPRECISE = 0.1;

/** Answer instances paired with reference instances, and the ones left over on each side. */
export interface InstancePairing {
  /** `a` indexes the answer's instances, `b` the reference's. */
  pairs: { a: number; b: number; score: number }[];
  unmatchedAns: Set<number>;
  unmatchedRef: Set<number>;
}

/**
 * Pairs a worker's instances with the reference's the way gold scoring does: by OKS,
 * then by box overlap for what is left, because a left/right swapped face can score
 * too low on OKS to match at all. Training feedback pairs faces the same way.
 *
 * @example pairInstances(answer.instances, reference.instances, face68).pairs // → [{ a: 0, b: 0, score: 0.91 }]
 */
export function pairInstances(
  ans: readonly Instance[],
  ref: readonly Instance[],
  template: Pick<KeypointTemplate, 'points'>,
): InstancePairing {
  const match = matchInstances(ans, ref, template, { by: 'oks', minScore: 0.01 });
  const pairs = [...match.pairs];
  const unmatchedAns = new Set(match.unmatchedA);
  const unmatchedRef = new Set(match.unmatchedB);
  if (unmatchedAns.size && unmatchedRef.size) {
    const byBox = matchInstances(
      [...unmatchedAns].map((i) => ans[i]),
      [...unmatchedRef].map((j) => ref[j]),
      template,
      { by: 'iou', minScore: 0.3 },
    );
    const ua = [...unmatchedAns];
    const ur = [...unmatchedRef];
    for (const p of byBox.pairs) {
      pairs.push({ a: ua[p.a], b: ur[p.b], score: 0 });
      unmatchedAns.delete(ua[p.a]);
      unmatchedRef.delete(ur[p.b]);
    }
  }
  return { pairs, unmatchedAns, unmatchedRef };
}

/**
 * The swap in one answer instance against its reference, by region: the whole face
 * mirrored (every region), or only some regions (the eyebrows, the eyes, the jaw
 * line) or single pairs of one; null when nothing is swapped.
 */
function namedSwap(a: Instance, r: Instance, norm: number, template: KeypointTemplate) {
  const regions = flipRegions(template);
  if (detectSwap(a, r, template).swapped) {
    const keys = regions.map((x) => x.key);
    return { regions: keys, pairs: regions.flatMap((x) => x.pairs), label: swapLabel(keys, template) };
  }
  const found = detectRegionSwaps(a, r, norm, template).filter((x) => x.swappedPairs.length > 0);
  if (found.length === 0) return null;
  const keys = found.map((x) => x.key);
  return { regions: keys, pairs: found.flatMap((x) => x.swappedPairs), label: swapLabel(keys, template) };
}

/**
 * @example scoreGold(answer, reference, face68).score // → 0.93
 */
export function scoreGold(answer: AnnotationData, reference: AnnotationData, template: KeypointTemplate): GoldScore {
  const ref = reference.instances;
  const ans = answer.instances;
  const feedback: GoldFeedback[] = [];
  const n = template.points.length;
  if (ref.length === 0) {
    // A gold item with nothing on it: any instance drawn is wrong.
    if (ans.length > 0) feedback.push({ code: 'extra_instance', count: ans.length });
    return { score: ans.length === 0 ? 1 : 0, nme: null, swapped: false, perPoint: new Array(n).fill(NaN), feedback };
  }
  const { pairs, unmatchedAns, unmatchedRef } = pairInstances(ans, ref, template);
  let total = 0;
  let nmeSum = 0;
  let nmeCount = 0;
  let swapped = false;
  const perPointSum = new Float64Array(n);
  const perPointCount = new Uint32Array(n);
  const imprecise = new Set<number>();
  const visibility = new Set<number>();
  for (const p of pairs) {
    const a = ans[p.a] as Instance;
    const r = ref[p.b] as Instance;
    total += oks(a, r, template);
    const e = nme(a, r, template);
    if (Number.isFinite(e.nme)) {
      nmeSum += e.nme;
      nmeCount++;
    }
    const swap = template.flipPairs.length > 0 ? namedSwap(a, r, e.normalizer, template) : null;
    const inSwap = new Set<number>();
    if (swap) {
      swapped = true;
      feedback.push({ code: 'left_right_swap', instance: p.b, ...swap });
      for (const [i, j] of swap.pairs) inSwap.add(i).add(j);
    }
    e.perPoint.forEach((err, i) => {
      if (!Number.isFinite(err)) return;
      perPointSum[i] += err;
      perPointCount[i]++;
      // Points the swap already explains are not also called imprecise.
      if (err > IMPRECISE && !inSwap.has(i)) imprecise.add(i);
      const av = a.points[i]?.[2] ?? 0;
      const rv = r.points[i]?.[2] ?? 0;
      if ((av === 0) !== (rv === 0)) visibility.add(i);
    });
  }
  if (unmatchedRef.size) feedback.push({ code: 'missed_instance', count: unmatchedRef.size });
  if (unmatchedAns.size) feedback.push({ code: 'extra_instance', count: unmatchedAns.size });
  if (imprecise.size) feedback.push({ code: 'imprecise_points', points: [...imprecise].sort((x, y) => x - y) });
  if (visibility.size) feedback.push({ code: 'visibility_mismatch', points: [...visibility].sort((x, y) => x - y) });
  const perPoint = Array.from(perPointSum, (s, i) => (perPointCount[i] ? s / perPointCount[i] : NaN));
  return {
    score: total / Math.max(ref.length, ans.length),
    nme: nmeCount ? nmeSum / nmeCount : null,
    swapped,
    perPoint,
    feedback,
  };
}
