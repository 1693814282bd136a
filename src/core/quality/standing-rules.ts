/**
 * A worker's standing from all the evidence beside the gold accuracy rule: agreement
 * with peers, left/right swaps and answers too fast to be real. Pure: the server
 * gathers the figures (`StandingEvidence`) and applies the verdict.
 *
 * - Peers: the rolling mean of her credible leave-one-out scores (`peer.ts`), once she
 *   has `peerMin` of them: warned below `peerWarnBelow`, suspended below
 *   `peerSuspendBelow`. Careless work between gold checks shows here, because every
 *   finished item is a check.
 * - Swaps: the swapped share of her last gold and peer checks. A swap is no matter of
 *   precision (careful hands make it on purpose or by a wrong habit), so two swaps
 *   warn, and `SWAP_MIN` swaps at `swapSuspendShare` of her checks suspend.
 * - Too fast: every too-fast answer is discarded where it is found; one warns,
 *   `fastSuspendAfter` suspend.
 *
 * Careful workers are never caught by these: a careful answer scores 0.8–0.95 against
 * careful peers, and a peer score is only kept where the others agree among
 * themselves (`peer.ts`), so sloppy peers do not drag it down.
 */

export interface StandingRules {
  /** 0 turns the peer rule off. */
  peerWarnBelow: number;
  peerSuspendBelow: number;
  peerMin: number;
  /** 0 turns the swap rule off. */
  swapSuspendShare: number;
  /** 0: too-fast answers never suspend (they are still discarded while `fastMsPerPoint` > 0). */
  fastSuspendAfter: number;
}

export interface StandingEvidence {
  /** Credible peer scores counted (since her last reinstatement) and their rolling mean. */
  peerCount: number;
  peerScore: number | null;
  /** Gold and credible peer checks in the swap window, and how many of them were swapped. */
  swapChecks: number;
  swaps: number;
  /** Too-fast answers discarded since her last reinstatement. */
  fastCount: number;
}

export type StandingRule = 'peer' | 'swap' | 'fast';
export type StandingStatus = 'active' | 'warned' | 'suspended';

export interface StandingVerdict {
  status: StandingStatus;
  /** The rule that decided it (the harshest one; null when all is well). */
  rule: StandingRule | null;
  /** Stable reason id, shown to the worker and the manager. */
  reason: string | null;
}

/** Swaps before the swap rule suspends, whatever the share. */
export const SWAP_MIN = 3;
/** Swaps that warn. */
export const SWAP_WARN = 2;
/** Gold and peer checks the swap rule looks back over. */
export const SWAP_WINDOW = 20;
/** Credible peer scores in the rolling peer mean. */
export const PEER_WINDOW = 20;

/** The column defaults of migration 0011, for a project created without peer thresholds. */
export const DEFAULT_PEER_THRESHOLDS = { warnBelow: 0.5, suspendBelow: 0.3 } as const;

/**
 * Null when the peer thresholds are consistent (suspension not above the warning, or
 * the rule off), else why not.
 *
 * @example peerThresholdsProblem(0.3, 0.5) // → 'Workers would be suspended below 50 % agreement with peers …'
 */
export function peerThresholdsProblem(warnBelow: number, suspendBelow: number): string | null {
  if (suspendBelow <= warnBelow || warnBelow === 0) return null;
  const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
  return (
    `Workers would be suspended below ${pct(suspendBelow)} agreement with peers but warned only below ` +
    `${pct(warnBelow)}: the suspension threshold must not be above the warning threshold.`
  );
}

const rank: Record<StandingStatus, number> = { active: 0, warned: 1, suspended: 2 };

/** The harsher of two statuses. */
export function harsher(a: StandingStatus, b: StandingStatus): StandingStatus {
  return rank[a] >= rank[b] ? a : b;
}

/**
 * The verdict of the peer, swap and speed rules, the harshest first.
 *
 * @example
 * judgeStanding({ peerCount: 12, peerScore: 0.08, swapChecks: 14, swaps: 0, fastCount: 0 }, rules)
 * // → { status: 'suspended', rule: 'peer', reason: 'peer_below_suspension' }
 */
export function judgeStanding(e: StandingEvidence, rules: StandingRules): StandingVerdict {
  const verdicts: StandingVerdict[] = [];
  if (rules.peerWarnBelow > 0 || rules.peerSuspendBelow > 0) {
    if (e.peerScore !== null && e.peerCount >= rules.peerMin) {
      if (e.peerScore < rules.peerSuspendBelow) {
        verdicts.push({ status: 'suspended', rule: 'peer', reason: 'peer_below_suspension' });
      } else if (e.peerScore < rules.peerWarnBelow) {
        verdicts.push({ status: 'warned', rule: 'peer', reason: 'peer_below_warning' });
      }
    }
  }
  if (rules.swapSuspendShare > 0) {
    if (e.swaps >= SWAP_MIN && e.swaps >= rules.swapSuspendShare * e.swapChecks) {
      verdicts.push({ status: 'suspended', rule: 'swap', reason: 'left_right_swaps' });
    } else if (e.swaps >= SWAP_WARN) {
      verdicts.push({ status: 'warned', rule: 'swap', reason: 'left_right_swaps' });
    }
  }
  if (e.fastCount > 0) {
    if (rules.fastSuspendAfter > 0 && e.fastCount >= rules.fastSuspendAfter) {
      verdicts.push({ status: 'suspended', rule: 'fast', reason: 'answers_too_fast' });
    } else {
      verdicts.push({ status: 'warned', rule: 'fast', reason: 'answers_too_fast' });
    }
  }
  let best: StandingVerdict = { status: 'active', rule: null, reason: null };
  for (const v of verdicts) if (rank[v.status] > rank[best.status]) best = v;
  return best;
}

/**
 * Whether an answer was placed too fast to be real: less active time per placed point
 * than the floor (0 turns the rule off; an answer with no points is never too fast).
 *
 * @example tooFast(3_000, 68, 100) // → true: 44 ms per point
 */
export function tooFast(activeMs: number, placedPoints: number, floorMsPerPoint: number): boolean {
  return floorMsPerPoint > 0 && placedPoints > 0 && activeMs < floorMsPerPoint * placedPoints;
}

/**
 * A worker's error scale from her recent gold NMEs and per-item peer σs: the median of
 * the σs (gold NME / √(π/2), the mean length of a 2-D Gaussian error), so that a few
 * swapped or gross answers do not swing it; resting on `pointsPerAnswer` × up to 3
 * answers of evidence. Null when there is nothing.
 *
 * @example workerSigma([0.028], [0.021, 0.024], 68) // → { sigma: 0.0223, points: 204 }
 */
export function workerSigma(
  goldNmes: readonly number[],
  peerSigmas: readonly number[],
  pointsPerAnswer: number,
): { sigma: number; points: number } | null {
  const all = [...goldNmes.map((x) => x / Math.sqrt(Math.PI / 2)), ...peerSigmas].filter((x) => Number.isFinite(x));
  if (all.length === 0) return null;
  all.sort((a, b) => a - b);
  const h = all.length >> 1;
  const sigma = all.length & 1 ? all[h] : (all[h - 1] + all[h]) / 2;
  return { sigma, points: pointsPerAnswer * Math.min(3, all.length) };
}
