/**
 * The EM's shared parts (`em.ts`, `em-three.ts`): its types and constants, the scratch
 * buffers reused across calls (merges are synchronous, so one set serves them all), and
 * the small robust estimates both paths use.
 */
import type { KeypointTemplate } from '../templates/template.js';

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
export const GATE = 13.8;
export const ROUNDS = 4;
/** A member whose σ exceeds this (and 4× the best member's) places points at random: no face is that vague. */
export const GROSS_SIGMA = 0.25;
export const LN2X2 = 2 * Math.LN2;
/** The swap tests' defaults (`swap-regions.ts`): maxNme, and the squared least separation of a tested pair. */
export const SWAP_NME = 0.1;
export const SEPARATION2 = (2.5 * SWAP_NME) ** 2;
/** The swap screen: a region's mean squared distance to the nearer other member, (0.8 × maxNme)². */
export const SCREEN2 = (0.8 * SWAP_NME) ** 2;

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
  /** The three pairs' robust half mean squared distances. */
  halves = new Float64Array(3);

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
export const S = new Scratch();

export function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Median of v[0..cnt), reordering v. */
export function medianInPlace(v: Float64Array, cnt: number): number {
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
export function quickMedian(v: Float64Array, cnt: number): number {
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
export function startMedian(k: number, n: number): void {
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
export function flatNormalizer(
  row: Float64Array,
  n: number,
  template: Pick<KeypointTemplate, 'normalization'>,
): number {
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
export function memberNormalizer(rows: readonly Float64Array[], k: number, n: number, template: EmTemplate): number {
  const { xs } = S;
  let cnt = 0;
  for (let r = 0; r < k; r++) {
    const d = flatNormalizer(rows[r], n, template);
    if (d > 0) xs[cnt++] = d;
  }
  return cnt > 0 ? medianInPlace(xs, cnt) : NaN;
}

/** The prior blended with this item's evidence (`info` points' worth of σ² = `s2`). */
export function blend(p: WorkerPrior, s2: number, info: number): number {
  const floor = SIGMA_FLOOR * SIGMA_FLOOR;
  return Math.max(floor, (p.points * p.sigma * p.sigma + info * Math.max(floor, s2)) / (p.points + info));
}
