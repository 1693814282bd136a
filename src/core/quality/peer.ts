/**
 * Agreement with peers: the second signal beside gold. When an item is finished, each
 * of its answers is scored against the consensus of the OTHER answers (leave one
 * out), the way a gold answer is scored against its reference: OKS with missed and
 * extra faces counted, NME, and left/right swaps named by region.
 *
 * A score is only as good as the consensus it is read against, so it is kept only
 * where the others make a credible one: at least two of them, agreeing with their own
 * consensus at `credibleAbove` (0.5) or better; or a single other answer from a worker
 * whose history shows a small error scale. A careful worker whose only peers on an item
 * were sloppy or random is therefore not scored on it, rather than scored low; nor is
 * one whose two peers disagree on a left/right swap (the merge of two can only guess
 * which of them to believe).
 *
 * @example
 * const scores = peerScores([a, b, c], face68, priors);
 * scores[2]; // → { score: 0.12, nme: 0.61, swapRegions: [], credible: true }
 */
import type { AnnotationData } from '../annotation.js';
import type { KeypointTemplate } from '../templates/template.js';
import type { WorkerPrior } from './em.js';
import { scoreGold } from './gold-score.js';
import { mergeRobust } from './robust-consensus.js';

export interface PeerOptions {
  /** The others' agreement from which their consensus is trusted (default 0.5). */
  credibleAbove?: number;
  /** A lone other answer is trusted when its worker's σ is at most this… (default 0.04). */
  trustedSigma?: number;
  /** …resting on at least this many points of evidence (default 136: two faces). */
  trustedPoints?: number;
}

export interface PeerScore {
  /** Gold-style score against the others' consensus, in [0, 1]; null when they give no credible one. */
  score: number | null;
  /** NME against it (null when not credible or no face matched). */
  nme: number | null;
  /** Regions read left/right the wrong way round against it (`brow`, `eye`, …). */
  swapRegions: string[];
  /** Whether the others' consensus was credible (score is null when not). */
  credible: boolean;
}

/**
 * Leave-one-out scores of an item's answers; `priors[w]` is what is known about the
 * worker of `answers[w]` (used to merge the others and to trust a lone other).
 */
export function peerScores(
  answers: readonly AnnotationData[],
  template: KeypointTemplate,
  priors: readonly (WorkerPrior | null | undefined)[] = [],
  options: PeerOptions = {},
): PeerScore[] {
  const credibleAbove = options.credibleAbove ?? 0.5;
  const trustedSigma = options.trustedSigma ?? 0.04;
  const trustedPoints = options.trustedPoints ?? 136;
  return answers.map((answer, r) => {
    const others = answers.filter((_, w) => w !== r);
    const otherPriors = priors.filter((_, w) => w !== r);
    let reference: AnnotationData | null = null;
    if (others.length >= 2) {
      const merged = mergeRobust(
        others.map((a) => a.instances),
        template,
        { priors: otherPriors },
      );
      // Two others who disagree on a swap: the merge had to guess which of them to believe.
      const guessed =
        others.length === 2 && merged.instances.some((i) => i.workers.some((w) => w?.swappedPairs.length));
      if (merged.agreement >= credibleAbove && !guessed) {
        reference = { instances: merged.instances.map((i) => ({ bbox: i.bbox, points: i.points })) };
      }
    } else if (others.length === 1) {
      const p = otherPriors[0];
      if (p && p.sigma <= trustedSigma && p.points >= trustedPoints) reference = others[0];
    }
    if (!reference || reference.instances.length === 0) {
      return { score: null, nme: null, swapRegions: [], credible: false };
    }
    const s = scoreGold(answer, reference, template);
    const swapRegions = s.feedback.flatMap((f) => (f.code === 'left_right_swap' ? f.regions : []));
    return { score: s.score, nme: s.nme, swapRegions: [...new Set(swapRegions)], credible: true };
  });
}
