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
import { detectRegionSwapsFlat, exchangePairs, flipRegions, mayHaveSwaps } from './swap-regions.js';

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
/** The swap tests' defaults (`swap-regions.ts`): maxNme, and the squared least separation of a tested pair. */
const SWAP_NME = 0.1;
const SEPARATION2 = (2.5 * SWAP_NME) ** 2;

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
  /** The members' rows as merged: the caller's own, or a scratch copy where a swap was exchanged back. */
  work: Float64Array[] = [];
  /** Scratch copies for exchanged rows. */
  copies: Float64Array[] = [];
  c0 = new Float64Array(0);
  /** Per member × point: 1 while the point is inside the gate. */
  gamma = new Uint8Array(0);
  sig2 = new Float64Array(8);
  itemS2 = new Float64Array(8);
  startS2 = new Float64Array(8);
  w = new Float64Array(8);
  acc = new Float64Array(8);
  info = new Float64Array(8);
  cnt = new Float64Array(8);
  lab = new Float64Array(8);
  drop = new Uint8Array(8);
  xs = new Float64Array(8);
  ys = new Float64Array(8);
  /** 1 / normaliser² of the current merge. */
  inv2 = 1;
  /** Per point scratch (distances), three of them for the pairwise path. */
  d2 = new Float64Array(0);
  dab = new Float64Array(0);
  dac = new Float64Array(0);
  dbc = new Float64Array(0);
  /** …and the same packed over the points all three placed (`shared` of them). */
  cab = new Float64Array(0);
  cac = new Float64Array(0);
  cbc = new Float64Array(0);
  shared = 0;

  ensure(k: number, n: number): void {
    const len = 3 * n;
    if (this.c0.length < len) {
      this.c0 = new Float64Array(len);
      this.d2 = new Float64Array(n);
      this.dab = new Float64Array(n);
      this.dac = new Float64Array(n);
      this.dbc = new Float64Array(n);
      this.cab = new Float64Array(n);
      this.cac = new Float64Array(n);
      this.cbc = new Float64Array(n);
      this.copies = [];
    }
    while (this.copies.length < k) this.copies.push(new Float64Array(this.c0.length));
    if (this.gamma.length < k * n) this.gamma = new Uint8Array(k * n * 2);
    if (this.sig2.length < k) {
      const m = k * 2;
      for (const key of ['sig2', 'itemS2', 'startS2', 'w', 'acc', 'info', 'cnt', 'lab', 'xs', 'ys'] as const) {
        this[key] = new Float64Array(m);
      }
      this.drop = new Uint8Array(m);
    }
    this.work.length = k;
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
  const { work: rows, c0, xs, ys, drop } = S;
  const three = k === 3 && !drop[0] && !drop[1] && !drop[2];
  const [r0, r1, r2] = rows;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    if (three && r0[o + 2] > 0 && r1[o + 2] > 0 && r2[o + 2] > 0) {
      // The common case, branch-free.
      c0[o] = median3(r0[o], r1[o], r2[o]);
      c0[o + 1] = median3(r0[o + 1], r1[o + 1], r2[o + 1]);
      c0[o + 2] = 2;
      continue;
    }
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
      const dx = row[a] - row[b];
      const dy = row[a + 1] - row[b + 1];
      const d = Math.sqrt(dx * dx + dy * dy);
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

/** Median of the members' own normalisers (NaN when none has one). */
function memberNormalizer(rows: readonly Float64Array[], k: number, n: number, template: EmTemplate): number {
  const { xs } = S;
  let cnt = 0;
  for (let r = 0; r < k; r++) {
    const d = flatNormalizer(rows[r], n, template);
    if (d > 0) xs[cnt++] = d;
  }
  return cnt > 0 ? medianInPlace(xs, cnt) : NaN;
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
    template.flipPairs.length > 0 && k >= 2 && norm > 0 ? voteSwaps(k, n, norm, inv2, template, prior) : [];

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
      swappedPairs: swapped[r] ?? [],
    });
  }
  return { norm: flatNormalizer(out, n, template), members };
}

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
  const swapped: ([number, number][] | undefined)[] = new Array(k);
  const flipBack = (r: number, reference: Float64Array) => {
    if (!mayHaveSwaps(work[r], reference, norm, template)) return false;
    let any = false;
    for (const f of detectRegionSwapsFlat(work[r], reference, norm, template)) {
      if (f.swappedPairs.length === 0) continue;
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
    let started = false;
    for (let r = 0; r < 3; r++) {
      if (!farFromBoth(r, template)) continue;
      if (!started) startMedian(3, n);
      started = true;
      if (flipBack(r, c0)) any = true;
    }
    if (any) pairwise3(n, inv2);
  } else {
    for (let r = 0; r < k; r++) if (flipBack(r, c0)) any = true;
  }
  if (any && k !== 3) startMedian(k, n);
  return swapped;
}

/**
 * For three members: whether some flip region of member r lies, on average, at least
 * 0.8 × maxNme from the nearer of the two others (the pairwise distances of
 * `pairwise3`) — a necessary condition for the region to read swapped against the start.
 */
function farFromBoth(r: number, template: EmTemplate): boolean {
  const { work, dab, dac, dbc, inv2 } = S;
  const row = work[r];
  const x = r === 0 ? dab : r === 1 ? dab : dac;
  const y = r === 0 ? dac : r === 1 ? dbc : dbc;
  const { pairs, starts } = regionIndex(template);
  for (let g = 0; g + 1 < starts.length; g++) {
    let e = 0;
    let scored = 0;
    for (let q = starts[g]; q < starts[g + 1]; q += 2) {
      const i = pairs[q];
      const j = pairs[q + 1];
      if (x[i] < 0 || x[j] < 0) continue;
      const dx = row[3 * i] - row[3 * j];
      const dy = row[3 * i + 1] - row[3 * j + 1];
      if ((dx * dx + dy * dy) * inv2 < SEPARATION2) continue;
      e += Math.sqrt(Math.min(x[i], y[i])) + Math.sqrt(Math.min(x[j], y[j]));
      scored += 2;
    }
    if (scored > 0 && e >= 0.8 * SWAP_NME * scored && readsExchanged(r, g, template)) return true;
  }
  return false;
}

/** Whether region g of member r reads better exchanged against one of the two others. */
function readsExchanged(r: number, g: number, template: EmTemplate): boolean {
  const { work } = S;
  const { pairs, starts } = regionIndex(template);
  const row = work[r];
  for (let other = 0; other < 3; other++) {
    if (other === r) continue;
    const ref = work[other];
    let asIs = 0;
    let exchanged = 0;
    for (let q = starts[g]; q < starts[g + 1]; q += 2) {
      const a = 3 * pairs[q];
      const b = 3 * pairs[q + 1];
      if (!(row[a + 2] > 0 && row[b + 2] > 0 && ref[a + 2] > 0 && ref[b + 2] > 0)) continue;
      asIs += dist2(row, a, ref, a) + dist2(row, b, ref, b);
      exchanged += dist2(row, a, ref, b) + dist2(row, b, ref, a);
    }
    // Squared sums: a generous screen, the full test against the start decides.
    if (exchanged < 0.6 * asIs) return true;
  }
  return false;
}

function dist2(p: Float64Array, i: number, q: Float64Array, j: number): number {
  const dx = p[i] - q[j];
  const dy = p[i + 1] - q[j + 1];
  return dx * dx + dy * dy;
}

const regionIndexCache = new WeakMap<readonly [number, number][], { pairs: Int32Array; starts: Int32Array }>();
/** The template's flip regions as flat arrays: pairs `[i, j, …]`, and where each region starts in them. */
function regionIndex(template: EmTemplate): { pairs: Int32Array; starts: Int32Array } {
  let idx = regionIndexCache.get(template.flipPairs);
  if (!idx) {
    const regions = flipRegions(template);
    const pairs = Int32Array.from(regions.flatMap((r) => r.pairs.flat()));
    const starts = new Int32Array(regions.length + 1);
    regions.forEach((r, g) => (starts[g + 1] = starts[g] + 2 * r.pairs.length));
    idx = { pairs, starts };
    regionIndexCache.set(template.flipPairs, idx);
  }
  return idx;
}

/**
 * Squared normalised distances between the three members' points, per point (−1 where
 * one of them leaves it unlabelled): the three-cornered hat's data and the swap screen.
 */
function pairwise3(n: number, inv2: number): void {
  const { work, dab, dac, dbc, cab, cac, cbc } = S;
  S.inv2 = inv2;
  const [a, b, c] = work;
  let m = 0;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    if (!(a[o + 2] > 0 && b[o + 2] > 0 && c[o + 2] > 0)) {
      dab[i] = -1;
      dac[i] = -1;
      dbc[i] = -1;
      continue;
    }
    let dx = a[o] - b[o];
    let dy = a[o + 1] - b[o + 1];
    cab[m] = dab[i] = (dx * dx + dy * dy) * inv2;
    dx = a[o] - c[o];
    dy = a[o + 1] - c[o + 1];
    cac[m] = dac[i] = (dx * dx + dy * dy) * inv2;
    dx = b[o] - c[o];
    dy = b[o + 1] - c[o + 1];
    cbc[m] = dbc[i] = (dx * dx + dy * dy) * inv2;
    m++;
  }
  S.shared = m;
}

/** The prior blended with this item's evidence (`info` points' worth of σ² = `s2`). */
function blend(p: WorkerPrior, s2: number, info: number): number {
  const floor = SIGMA_FLOOR * SIGMA_FLOOR;
  return Math.max(floor, (p.points * p.sigma * p.sigma + info * Math.max(floor, s2)) / (p.points + info));
}

/**
 * k = 3 in closed form, the common case: the robust mean squared distance between each
 * pair of members gives σa² + σb² (`robustHalfMean`), so each member's own σ² is
 * (Dab + Dac − Dbc) / 2 — the three-cornered hat, unbiased for Gaussian errors and
 * little moved by gross points. One gate pass then marks gross points
 * and drops a wild member. False when too few points are shared (the EM takes over).
 */
function threeCorneredHat(n: number, prior: (r: number) => WorkerPrior): boolean {
  const { cab, cac, cbc, sig2, itemS2, startS2, info, drop, shared: m } = S;
  if (m < 3) return false;
  const Dab = robustHalfMean(cab, m);
  const Dac = robustHalfMean(cac, m);
  const Dbc = robustHalfMean(cbc, m);
  const floor = SIGMA_FLOOR * SIGMA_FLOOR;
  itemS2[0] = Math.max(floor, (Dab + Dac - Dbc) / 2);
  itemS2[1] = Math.max(floor, (Dab + Dbc - Dac) / 2);
  itemS2[2] = Math.max(floor, (Dac + Dbc - Dab) / 2);
  for (let r = 0; r < 3; r++) {
    startS2[r] = itemS2[r];
    // Weighted by its information, as in the EM: beside two noisy others, an item says little about a careful σ.
    const v = 1 / (1 / itemS2[(r + 1) % 3] + 1 / itemS2[(r + 2) % 3]);
    const q = itemS2[r] / (itemS2[r] + v);
    info[r] = m * q * q;
    sig2[r] = blend(prior(r), itemS2[r], info[r]);
  }
  const best = Math.min(sig2[0], sig2[1], sig2[2]);
  let kept = 3;
  for (let r = 0; r < 3; r++) {
    if (kept > 1 && sig2[r] > GROSS_SIGMA * GROSS_SIGMA && sig2[r] > 16 * best) {
      drop[r] = 1;
      kept--;
    }
  }
  return true;
}

/**
 * The k = 3 merge in one pass per point: the gate (a member's point is an inlier while
 * its distance to the weighted mean of the other kept members is within the gate) and
 * the weighted mean of the inliers. A member left with fewer than half its points
 * inside is dropped and the pass runs again.
 */
function gateAndFinish(n: number, inv2: number, out: Float64Array): void {
  const { drop, cnt, lab } = S;
  for (let pass = 0; pass < 3; pass++) {
    gatePass(n, inv2, out);
    let kept = 3 - drop[0] - drop[1] - drop[2];
    let again = false;
    for (let r = 0; r < 3; r++) {
      if (!drop[r] && kept > 1 && lab[r] > 0 && cnt[r] < 0.5 * lab[r]) {
        drop[r] = 1;
        kept--;
        again = true;
      }
    }
    if (!again) return;
  }
}

function gatePass(n: number, inv2: number, out: Float64Array): void {
  const { work, gamma, sig2, w, cnt, lab, drop, xs, ys } = S;
  for (let r = 0; r < 3; r++) {
    w[r] = drop[r] ? 0 : 1 / sig2[r];
    cnt[r] = 0;
    lab[r] = 0;
  }
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    let sx = 0;
    let sy = 0;
    let sw = 0;
    let nLab = 0;
    let nNot = 0;
    let nVis = 0;
    for (let r = 0; r < 3; r++) {
      if (drop[r]) continue;
      const row = work[r];
      const v = row[o + 2];
      if (!(v > 0)) {
        nNot++;
        continue;
      }
      nLab++;
      if (v >= 2) nVis++;
      sx += w[r] * row[o];
      sy += w[r] * row[o + 1];
      sw += w[r];
    }
    if (nLab === 0 || nLab < nNot) {
      out[o] = 0;
      out[o + 1] = 0;
      out[o + 2] = 0;
      continue;
    }
    // Outliers leave the sums after every member was judged against the full ones.
    let ox = 0;
    let oy = 0;
    let ow0 = 0;
    for (let r = 0; r < 3; r++) {
      const row = work[r];
      if (drop[r] || !(row[o + 2] > 0)) continue;
      lab[r]++;
      const ow = sw - w[r];
      let inside = true;
      if (ow > 0) {
        // (y − (S − w·y) / ow) = (sw·y − S) / ow: one division.
        const inv = 1 / ow;
        const dx = (sw * row[o] - sx) * inv;
        const dy = (sw * row[o + 1] - sy) * inv;
        inside = (dx * dx + dy * dy) * inv2 <= GATE * (sig2[r] + inv);
      }
      gamma[r * n + i] = inside ? 1 : 0;
      if (inside) {
        cnt[r]++;
      } else {
        ox += w[r] * row[o];
        oy += w[r] * row[o + 1];
        ow0 += w[r];
      }
    }
    if (sw - ow0 > 0) {
      out[o] = (sx - ox) / (sw - ow0);
      out[o + 1] = (sy - oy) / (sw - ow0);
    } else {
      // Every placement of this point is gross: the median of them.
      let c = 0;
      for (let r = 0; r < 3; r++) {
        if (drop[r] || !(work[r][o + 2] > 0)) continue;
        xs[c] = work[r][o];
        ys[c] = work[r][o + 1];
        c++;
      }
      out[o] = medianInPlace(xs, c);
      out[o + 1] = medianInPlace(ys, c);
    }
    out[o + 2] = nVis >= nLab - nVis ? 2 : 1;
  }
}

/** Capping at this many means keeps a gross point's pull on `robustHalfMean` bounded. */
const CAP = 5;
const CAP_KEEP = 1 - Math.exp(-CAP);

/**
 * Half the mean of squared 2-D distances (σa² + σb² for Gaussian errors), robust to gross
 * points: the mean of min(x, CAP · μ), corrected for the cap (for x exponential with
 * mean μ, E[min(x, cμ)] = μ(1 − e^−c)), iterated from the plain mean. A few branch-free
 * passes cost less than one selection of the median, and a gross point moves it at
 * most by CAP · μ / m.
 */
function robustHalfMean(x: Float64Array, m: number): number {
  let mu = 0;
  for (let i = 0; i < m; i++) mu += x[i];
  mu /= m;
  for (let it = 0; it < 6; it++) {
    const cap = CAP * mu;
    let sum = 0;
    for (let i = 0; i < m; i++) sum += Math.min(x[i], cap);
    const next = sum / m / CAP_KEEP;
    if (Math.abs(next - mu) <= 1e-3 * mu) {
      mu = next;
      break;
    }
    mu = next;
  }
  return mu / 2;
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
