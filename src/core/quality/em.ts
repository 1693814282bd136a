/**
 * Robust merge of one instance's answers: an EM over workers and points.
 *
 * Each worker w places point p at y_wp = x_p + ε, where ε is Gaussian with a
 * per-worker scale σ_w (in units of the normaliser, per coordinate) for most points and
 * a gross error for a few. Given the k members' rows:
 *
 * 1. Start: the coordinate-wise median by head count, c0 (one gross worker among
 *    three cannot move it).
 * 2. Swaps: each member's flip regions are tested against c0 (`swap-regions.ts`); a
 *    region that reads much better exchanged is exchanged back in that member's copy.
 *    The test is against the head-count median, so it is a vote in which every worker
 *    counts once: however much one worker weighs, it cannot outvote two others on a
 *    swap. With two members, the less trusted one (larger prior σ) is exchanged.
 * 3. σ_w starts from the member's median distance to c0, blended with its prior (gold
 *    and peer history, `priors`).
 * 4. EM, a few rounds: each point is the inverse-variance weighted mean (1/σ_w²) of
 *    the members' inlier points; a member's point is an inlier while its distance to
 *    the weighted mean of the OTHER members (leave one out) is within the 99.9 % gate
 *    of σ_w² + the variance of that mean; σ_w² is re-estimated from those
 *    leave-one-out residuals minus the others' variance (the "three-cornered hat":
 *    unbiased, so a worker's own weight cannot talk its error down), blended with the
 *    prior. A member with fewer than half its points inside the gate is dropped.
 * 5. Visibility by head count of the kept members (ties: labelled, then visible).
 *
 * With three members, the common case, steps 3–4 have a closed form (`em-three.ts`):
 * each σ_w² from the three pairwise robust mean squared distances, then one gate pass
 * that merges; and the start is built only where a swap is suspected. A member whose σ
 * is wild (a random clicker) is dropped on either path.
 *
 * Pure and synchronous; scratch buffers are reused across calls (`em-scratch.ts`).
 */
import {
  blend,
  type EmResult,
  type EmTemplate,
  flatNormalizer,
  GATE,
  GROSS_SIGMA,
  LN2X2,
  type MemberReport,
  medianInPlace,
  memberNormalizer,
  quickMedian,
  ROUNDS,
  S,
  SIGMA_FLOOR,
  startMedian,
  UNKNOWN_WORKER,
  type WorkerPrior,
} from './em-scratch.js';
import { gateAndFinish, pairwise3, suspectSwaps, threeCorneredHat } from './em-three.js';
import { detectRegionSwapsFlat, exchangePairs, mayHaveSwaps } from './swap-regions.js';

export {
  type EmResult,
  type EmTemplate,
  flatNormalizer,
  type MemberReport,
  SIGMA_FLOOR,
  UNKNOWN_WORKER,
  type WorkerPrior,
} from './em-scratch.js';

/**
 * Merges k members' flat `[x, y, v]` rows (each 3 × template points long) into `out`
 * by the EM of the module comment. `priors[r]` is member r's prior (default
 * `UNKNOWN_WORKER`). The rows are not modified. Unlabelled consensus points come out
 * as (0, 0, 0).
 *
 * @example
 * const out = new Float64Array(3 * 68);
 * const r = mergeEm([careful, sloppy, swapped], face68, out, [{ sigma: 0.02, points: 340 }, null, null]);
 * r.members[2].swappedPairs; // the eyebrow pairs, exchanged back before merging
 */
export function mergeEm(
  rows: readonly Float64Array[],
  template: EmTemplate,
  out: Float64Array,
  priors?: readonly (WorkerPrior | null | undefined)[],
): EmResult {
  const k = rows.length;
  const n = template.points.length;
  const len = 3 * n;
  if (out.length < len) throw new RangeError(`out holds ${out.length} values, need ${len}`);
  if (k === 0) {
    out.fill(0, 0, len);
    return { norm: NaN, members: [] };
  }
  S.ensure(k, n);
  for (let r = 0; r < k; r++) {
    if (rows[r].length < len) throw new RangeError(`member ${r} has ${rows[r].length} values, need ${len}`);
    S.work[r] = rows[r];
    S.drop[r] = 0;
  }
  const prior = (r: number) => priors?.[r] ?? UNKNOWN_WORKER;

  // The members' own normalisers, not a merged one: a swap of the normalising pair (the
  // outer eye corners) would pull a merged pair together.
  const norm = memberNormalizer(S.work, k, n, template);
  const scale = norm > 0 ? norm : 1;
  const inv2 = 1 / (scale * scale);
  // Three members (the common case) need the start only where a swap is suspected.
  if (k === 3) pairwise3(n, inv2);
  else startMedian(k, n);
  const swapped =
    template.flipPairs.length > 0 && k >= 2 && norm > 0 ? voteSwaps(k, n, norm, inv2, template, prior) : NONE;

  if (k === 3 && threeCorneredHat(n, prior)) {
    gateAndFinish(n, inv2, out);
  } else {
    if (k === 3) startMedian(k, n);
    startSigma(k, n, inv2, prior);
    for (let round = 0; round < ROUNDS; round++) emRound(k, n, inv2, prior, round > 0);
    finish(k, n, out);
  }

  const { sig2, itemS2, startS2, cnt, lab, drop } = S;
  const members: MemberReport[] = [];
  for (let r = 0; r < k; r++) {
    members.push({
      sigma: Math.sqrt(sig2[r]),
      // A dropped member's inliers are the few points that fell near by chance: its median distance says more.
      itemSigma: Math.sqrt(drop[r] ? Math.max(startS2[r], itemS2[r] || 0) : itemS2[r]),
      inliers: lab[r] > 0 ? cnt[r] / lab[r] : 0,
      dropped: drop[r] === 1,
      swappedPairs: swapped[r] ?? NO_PAIRS,
    });
  }
  return { norm: flatNormalizer(out, n, template), members };
}

/** Nothing exchanged: shared, never written to. */
const NO_PAIRS: [number, number][] = Object.freeze([]) as unknown as [number, number][];
const NONE: ([number, number][] | undefined)[] = Object.freeze([]) as unknown as [];

/**
 * Step 2: each member's flip regions tested against the head-count start (with two
 * members, the weaker record against the other); a swapped region is exchanged back
 * in a scratch copy of the member's row. Returns the exchanged pairs per member.
 */
function voteSwaps(
  k: number,
  n: number,
  norm: number,
  inv2: number,
  template: EmTemplate,
  prior: (r: number) => WorkerPrior,
): ([number, number][] | undefined)[] {
  const { work, c0 } = S;
  let swapped = NONE;
  const flipBack = (r: number, reference: Float64Array) => {
    if (!mayHaveSwaps(work[r], reference, norm, template)) return false;
    let any = false;
    for (const f of detectRegionSwapsFlat(work[r], reference, norm, template)) {
      if (f.swappedPairs.length === 0) continue;
      if (swapped === NONE) swapped = new Array(k);
      if (!swapped[r]) {
        // Copy on write: the caller's row stays as it was.
        const copy = S.copies[r];
        copy.set(work[r].subarray(0, 3 * n));
        work[r] = copy;
        swapped[r] = [];
      }
      exchangePairs(work[r], f.swappedPairs);
      swapped[r]!.push(...f.swappedPairs);
      any = true;
    }
    return any;
  };
  let any = false;
  if (k === 2) {
    // Two answers disagreeing on a swap: the one with the weaker record is exchanged (none when equal).
    const sa = prior(0).sigma;
    const sb = prior(1).sigma;
    if (sa !== sb) any = sa > sb ? flipBack(0, work[1]) : flipBack(1, work[0]);
  } else if (k === 3) {
    // Only a member far from both others somewhere can be swapped: the start is built for those.
    const suspects = suspectSwaps(template);
    if (suspects) startMedian(3, n);
    for (let r = 0; r < 3; r++) if (suspects & (1 << r) && flipBack(r, c0)) any = true;
    if (any) pairwise3(n, inv2);
  } else {
    for (let r = 0; r < k; r++) if (flipBack(r, c0)) any = true;
  }
  if (any && k !== 3) startMedian(k, n);
  return swapped;
}

/** Step 3 of the EM: σ from the member's median distance to the start, blended with its prior. */
function startSigma(k: number, n: number, inv2: number, prior: (r: number) => WorkerPrior): void {
  const { work, c0, gamma, d2, sig2, startS2, itemS2 } = S;
  for (let r = 0; r < k; r++) {
    const row = work[r];
    let m = 0;
    for (let o = 0, i = 0; o < 3 * n; o += 3, i++) {
      gamma[r * n + i] = 0;
      if (!(row[o + 2] > 0) || c0[o + 2] === 0) continue;
      const dx = row[o] - c0[o];
      const dy = row[o + 1] - c0[o + 1];
      d2[m++] = (dx * dx + dy * dy) * inv2;
      gamma[r * n + i] = 1;
    }
    const p = prior(r);
    const s2 = m > 0 ? quickMedian(d2, m) / LN2X2 : p.sigma * p.sigma;
    startS2[r] = s2;
    itemS2[r] = NaN;
    sig2[r] = blend(p, s2, m);
  }
}

/** One EM round (step 4); members are dropped from the second round on. */
function emRound(k: number, n: number, inv2: number, prior: (r: number) => WorkerPrior, mayDrop: boolean): void {
  const { work, c0, gamma, sig2, itemS2, w, acc, info, cnt, lab, drop } = S;
  for (let r = 0; r < k; r++) {
    w[r] = drop[r] ? 0 : 1 / sig2[r];
    acc[r] = 0;
    info[r] = 0;
    cnt[r] = 0;
    lab[r] = 0;
  }
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    if (c0[o + 2] === 0) continue;
    let sx = 0;
    let sy = 0;
    let sw = 0;
    for (let r = 0; r < k; r++) {
      if (!gamma[r * n + i] || drop[r]) continue;
      const row = work[r];
      sx += w[r] * row[o];
      sy += w[r] * row[o + 1];
      sw += w[r];
    }
    for (let r = 0; r < k; r++) {
      const row = work[r];
      if (drop[r] || !(row[o + 2] > 0)) continue;
      lab[r]++;
      const g = gamma[r * n + i];
      const ow = sw - (g ? w[r] : 0);
      if (ow <= 0) {
        // Nobody else placed it (or every other point is gross): no evidence either way.
        gamma[r * n + i] = 1;
        continue;
      }
      const dx = row[o] - (sx - (g ? w[r] * row[o] : 0)) / ow;
      const dy = row[o + 1] - (sy - (g ? w[r] * row[o + 1] : 0)) / ow;
      const e2 = (dx * dx + dy * dy) * inv2;
      const v = 1 / ow;
      if (e2 <= GATE * (sig2[r] + v)) {
        gamma[r * n + i] = 1;
        // Weighted by its information: a residual against one noisy other says little about σ_w.
        const q = sig2[r] / (sig2[r] + v);
        acc[r] += q * q * (e2 / 2 - v);
        info[r] += q * q;
        cnt[r]++;
      } else {
        gamma[r * n + i] = 0;
      }
    }
  }
  let kept = 0;
  let best = Infinity;
  for (let r = 0; r < k; r++) {
    if (drop[r]) continue;
    kept++;
    itemS2[r] = info[r] > 0 ? Math.max(SIGMA_FLOOR * SIGMA_FLOOR, acc[r] / info[r]) : NaN;
    sig2[r] = blend(prior(r), info[r] > 0 ? itemS2[r] : 0, info[r]);
    if (sig2[r] < best) best = sig2[r];
  }
  if (!mayDrop) return;
  for (let r = 0; r < k; r++) {
    if (drop[r] || kept < 2) continue;
    // Mostly gross points, or an error scale no careful hand has: dropped, as long as somebody is left.
    const gross = lab[r] > 0 && cnt[r] < 0.5 * lab[r];
    const wild = sig2[r] > GROSS_SIGMA * GROSS_SIGMA && sig2[r] > 16 * best;
    if (gross || wild) {
      drop[r] = 1;
      kept--;
    }
  }
}

/** Step 5: the inverse-variance weighted mean of the inliers; visibility by head count of the kept members. */
function finish(k: number, n: number, out: Float64Array): void {
  const { work, gamma, sig2, w, drop, xs, ys } = S;
  for (let r = 0; r < k; r++) w[r] = drop[r] ? 0 : 1 / sig2[r];
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    let nLab = 0;
    let nNot = 0;
    let nVis = 0;
    let sx = 0;
    let sy = 0;
    let sw = 0;
    for (let r = 0; r < k; r++) {
      if (drop[r]) continue;
      const row = work[r];
      const v = row[o + 2];
      if (!(v > 0)) {
        nNot++;
        continue;
      }
      nLab++;
      if (v >= 2) nVis++;
      if (gamma[r * n + i]) {
        sx += w[r] * row[o];
        sy += w[r] * row[o + 1];
        sw += w[r];
      }
    }
    if (nLab === 0 || nLab < nNot) {
      out[o] = 0;
      out[o + 1] = 0;
      out[o + 2] = 0;
      continue;
    }
    if (sw > 0) {
      out[o] = sx / sw;
      out[o + 1] = sy / sw;
    } else {
      // Every placement of this point is gross: the head-count median of the kept members' ones.
      let cnt = 0;
      for (let r = 0; r < k; r++) {
        if (drop[r] || !(work[r][o + 2] > 0)) continue;
        xs[cnt] = work[r][o];
        ys[cnt] = work[r][o + 1];
        cnt++;
      }
      out[o] = medianInPlace(xs, cnt);
      out[o + 1] = medianInPlace(ys, cnt);
    }
    out[o + 2] = nVis >= nLab - nVis ? 2 : 1;
  }
}
