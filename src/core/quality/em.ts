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
 * Pure and synchronous; scratch buffers are reused across calls.
 */
import type { KeypointTemplate } from '../templates/template.js';
import { detectRegionSwapsFlat, exchangePairs } from './swap-regions.js';

export type EmTemplate = Pick<KeypointTemplate, 'points' | 'flipPairs' | 'normalization'>;

/** What is known about a worker before this item: error scale and how many points it rests on. */
export interface WorkerPrior {
  /** σ per coordinate in units of the normaliser (inter-ocular distance for faces). */
  sigma: number;
  /** Evidence behind it, in points (68 per face-68 answer scored). */
  points: number;
}

/** A worker nothing is known about: 3 % of the normaliser, worth 20 points of evidence. */
export const UNKNOWN_WORKER: WorkerPrior = { sigma: 0.03, points: 20 };
/** No worker is trusted below this σ, so that no weight grows without bound. */
export const SIGMA_FLOOR = 0.004;
/** Points whose squared leave-one-out residual exceeds this many variances are gross (χ²₂ at 99.9 %). */
const GATE = 13.8;
const ROUNDS = 4;
/** A member whose σ exceeds this (and 4× the best member's) places points at random: no face is that vague. */
const GROSS_SIGMA = 0.25;
const LN2X2 = 2 * Math.LN2;

export interface MemberReport {
  /** Posterior σ (prior and this item). */
  sigma: number;
  /** σ from this item alone (leave-one-out, the others' variance removed); NaN without evidence. */
  itemSigma: number;
  /** Share of the member's labelled points inside the gate. */
  inliers: number;
  /** The member weighs nothing in the merge: most of its points are gross errors. */
  dropped: boolean;
  /** Flip pairs of this member read the wrong way round and exchanged back before merging. */
  swappedPairs: [number, number][];
}

export interface EmResult {
  /** The normaliser of the consensus in pixels (NaN when it has none). */
  norm: number;
  members: MemberReport[];
}

class Scratch {
  k = 0;
  n = 0;
  rows: Float64Array[] = [];
  c0 = new Float64Array(0);
  gamma = new Uint8Array(0);
  sig2 = new Float64Array(8);
  w = new Float64Array(8);
  acc = new Float64Array(8);
  cnt = new Float64Array(8);
  lab = new Float64Array(8);
  drop = new Uint8Array(8);
  xs = new Float64Array(8);
  ys = new Float64Array(8);
  d2 = new Float64Array(0);

  ensure(k: number, n: number): void {
    const len = 3 * n;
    if (this.c0.length < len) {
      this.c0 = new Float64Array(len);
      this.d2 = new Float64Array(n);
      this.rows = [];
    }
    while (this.rows.length < k) this.rows.push(new Float64Array(Math.max(len, this.c0.length)));
    if (this.gamma.length < k * n) this.gamma = new Uint8Array(k * n * 2);
    if (this.sig2.length < k) {
      const m = k * 2;
      this.sig2 = new Float64Array(m);
      this.w = new Float64Array(m);
      this.acc = new Float64Array(m);
      this.cnt = new Float64Array(m);
      this.lab = new Float64Array(m);
      this.drop = new Uint8Array(m);
      this.xs = new Float64Array(m);
      this.ys = new Float64Array(m);
    }
    this.k = k;
    this.n = n;
  }
}
const S = new Scratch();

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Median of v[0..cnt), reordering v. */
function medianInPlace(v: Float64Array, cnt: number): number {
  if (cnt === 1) return v[0];
  if (cnt === 2) return (v[0] + v[1]) / 2;
  if (cnt === 3) return median3(v[0], v[1], v[2]);
  // Insertion sort: the counts here are workers per point (a handful) or points per face (≤ a few hundred).
  for (let i = 1; i < cnt; i++) {
    const x = v[i];
    let j = i - 1;
    while (j >= 0 && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
  const h = cnt >> 1;
  return cnt & 1 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/** Selects the median of v[0..cnt) (Hoare's quickselect; reorders v). */
function quickMedian(v: Float64Array, cnt: number): number {
  if (cnt <= 16) return medianInPlace(v, cnt);
  const kth = cnt >> 1;
  let lo = 0;
  let hi = cnt - 1;
  while (hi > lo) {
    const pivot = median3(v[lo], v[(lo + hi) >> 1], v[hi]);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (kth <= j) hi = j;
    else if (kth >= i) lo = i;
    else break;
  }
  return v[kth];
}

/** The head-count median of the kept members' labelled points into S.c0 (v = 2 where anyone labelled it). */
function startMedian(k: number, n: number): void {
  const { rows, c0, xs, ys, drop } = S;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    let cnt = 0;
    for (let r = 0; r < k; r++) {
      const row = rows[r];
      if (drop[r] || !(row[o + 2] > 0)) continue;
      xs[cnt] = row[o];
      ys[cnt] = row[o + 1];
      cnt++;
    }
    if (cnt === 0) {
      c0[o] = 0;
      c0[o + 1] = 0;
      c0[o + 2] = 0;
    } else {
      c0[o] = medianInPlace(xs, cnt);
      c0[o + 1] = medianInPlace(ys, cnt);
      c0[o + 2] = 2;
    }
  }
}

/** The normaliser of a flat `[x, y, v]` row: the template's pair, else sqrt of its points' box area. */
export function flatNormalizer(row: Float64Array, n: number, template: Pick<KeypointTemplate, 'normalization'>): number {
  const pair = template.normalization;
  if (pair) {
    const a = 3 * pair[0];
    const b = 3 * pair[1];
    if (row[a + 2] > 0 && row[b + 2] > 0) {
      const d = Math.hypot(row[a] - row[b], row[a + 1] - row[b + 1]);
      if (d > 0) return d;
    }
  }
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let o = 0; o < 3 * n; o += 3) {
    if (!(row[o + 2] > 0)) continue;
    if (row[o] < x0) x0 = row[o];
    if (row[o] > x1) x1 = row[o];
    if (row[o + 1] < y0) y0 = row[o + 1];
    if (row[o + 1] > y1) y1 = row[o + 1];
  }
  const s = Math.sqrt((x1 - x0) * (y1 - y0));
  return s > 0 ? s : NaN;
}

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
  const { gamma, sig2, w, acc, cnt, lab, drop, d2, c0 } = S;
  const work = S.rows;
  for (let r = 0; r < k; r++) {
    if (rows[r].length < len) throw new RangeError(`member ${r} has ${rows[r].length} values, need ${len}`);
    work[r].set(rows[r].subarray(0, len));
    drop[r] = 0;
  }
  const prior = (r: number) => priors?.[r] ?? UNKNOWN_WORKER;

  startMedian(k, n);
  let norm = flatNormalizer(c0, n, template);
  const scale = norm > 0 ? norm : 1;

  // 2. Swaps, voted by head count.
  const swapped: [number, number][][] = Array.from({ length: k }, () => []);
  if (template.flipPairs.length > 0 && k >= 2 && norm > 0) {
    let any = false;
    if (k === 2) {
      const found = detectRegionSwapsFlat(work[0], work[1], norm, template);
      const sa = prior(0).sigma;
      const sb = prior(1).sigma;
      const who = sa > sb ? 0 : sb > sa ? 1 : -1;
      if (who >= 0) {
        for (const f of found) {
          if (f.swappedPairs.length === 0) continue;
          exchangePairs(work[who], f.swappedPairs);
          swapped[who].push(...f.swappedPairs);
          any = true;
        }
      }
    } else {
      for (let r = 0; r < k; r++) {
        for (const f of detectRegionSwapsFlat(work[r], c0, norm, template)) {
          if (f.swappedPairs.length === 0) continue;
          exchangePairs(work[r], f.swappedPairs);
          swapped[r].push(...f.swappedPairs);
          any = true;
        }
      }
    }
    if (any) {
      startMedian(k, n);
      norm = flatNormalizer(c0, n, template);
    }
  }
  const inv2 = 1 / (scale * scale);

  // 3. Start σ from the median distance to c0 (Rayleigh: median d² = 2 ln 2 σ²), blended with the prior.
  const startS2 = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    const row = work[r];
    let m = 0;
    for (let o = 0, i = 0; o < len; o += 3, i++) {
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
    const blended = (p.points * p.sigma * p.sigma + m * s2) / (p.points + m);
    sig2[r] = Math.max(SIGMA_FLOOR * SIGMA_FLOOR, blended);
  }

  // 4. EM rounds.
  const itemS2 = new Float64Array(k);
  const info = new Float64Array(k);
  for (let round = 0; round < ROUNDS; round++) {
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
        const ox = (sx - (g ? w[r] * row[o] : 0)) / ow;
        const oy = (sy - (g ? w[r] * row[o + 1] : 0)) / ow;
        const dx = row[o] - ox;
        const dy = row[o + 1] - oy;
        const e2 = (dx * dx + dy * dy) * inv2;
        const v = 1 / ow;
        if (e2 <= GATE * (sig2[r] + v)) {
          gamma[r * n + i] = 1;
          // Weighted by its information: a residual against one noisy other says little about σ_w.
          const q = sig2[r] / (sig2[r] + v);
          const omega = q * q;
          acc[r] += omega * (e2 / 2 - v);
          info[r] += omega;
          cnt[r]++;
        } else {
          gamma[r * n + i] = 0;
        }
      }
    }
    let kept = 0;
    for (let r = 0; r < k; r++) if (!drop[r]) kept++;
    for (let r = 0; r < k; r++) {
      if (drop[r]) continue;
      const p = prior(r);
      itemS2[r] = info[r] > 0 ? Math.max(SIGMA_FLOOR * SIGMA_FLOOR, acc[r] / info[r]) : NaN;
      const ev = info[r] > 0 ? info[r] * itemS2[r] : 0;
      sig2[r] = Math.max(SIGMA_FLOOR * SIGMA_FLOOR, (p.points * p.sigma * p.sigma + ev) / (p.points + info[r]));
    }
    let best = Infinity;
    for (let r = 0; r < k; r++) if (!drop[r] && sig2[r] < best) best = sig2[r];
    for (let r = 0; r < k; r++) {
      if (drop[r] || round === 0 || kept < 2) continue;
      // Mostly gross points, or an error scale no careful hand has: dropped, as long as somebody is left.
      const gross = lab[r] > 0 && cnt[r] < 0.5 * lab[r];
      const wild = sig2[r] > GROSS_SIGMA * GROSS_SIGMA && sig2[r] > 16 * best;
      if (gross || wild) {
        drop[r] = 1;
        kept--;
      }
    }
  }

  // 5. The merge with the final gates and weights; visibility by head count of the kept members.
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
      out[o] = c0[o];
      out[o + 1] = c0[o + 1];
    }
    out[o + 2] = nVis >= nLab - nVis ? 2 : 1;
  }

  const members: MemberReport[] = [];
  for (let r = 0; r < k; r++) {
    members.push({
      sigma: Math.sqrt(sig2[r]),
      // A dropped member's inliers are the few points that fell near by chance: its median distance says more.
      itemSigma: Math.sqrt(drop[r] ? Math.max(startS2[r], itemS2[r] || 0) : itemS2[r]),
      inliers: lab[r] > 0 ? cnt[r] / lab[r] : 0,
      dropped: drop[r] === 1,
      swappedPairs: swapped[r],
    });
  }
  return { norm: flatNormalizer(out, n, template), members };
}
