/**
 * The EM for three members (the common case) in closed form: the three-cornered hat
 * for each member's σ, one gate pass that also merges, and a swap screen built from the
 * members' pairwise distances so that the head-count start is computed only where a
 * swap is suspected. Same model and outputs as the rounds of `em.ts`, several times
 * cheaper.
 */
import {
  blend,
  type EmTemplate,
  GATE,
  GROSS_SIGMA,
  medianInPlace,
  S,
  SCREEN2,
  SEPARATION2,
  SIGMA_FLOOR,
  type WorkerPrior,
} from './em-scratch.js';
import { flipRegions } from './swap-regions.js';

/**
 * For three members: which of them may have a swapped region (bit r set for member r).
 * A region is suspect for a member when, in root mean square, it lies at least
 * 0.8 × maxNme from the nearer of the two others (the pairwise distances of
 * `pairwise3`) — a necessary condition for it to read swapped against the start — and
 * reads better exchanged against one of them. Pairs too close to tell apart are left
 * out, judged on the first member's row (a swap does not change a pair's separation).
 */
export function suspectSwaps(template: EmTemplate): number {
  const { work, dab, dac, dbc, inv2 } = S;
  const row = work[0];
  const { pairs, starts } = regionIndex(template);
  let suspects = 0;
  for (let g = 0; g + 1 < starts.length; g++) {
    let ea = 0;
    let eb = 0;
    let ec = 0;
    let scored = 0;
    for (let q = starts[g]; q < starts[g + 1]; q += 2) {
      const i = pairs[q];
      const j = pairs[q + 1];
      if (dab[i] < 0 || dab[j] < 0) continue;
      const dx = row[3 * i] - row[3 * j];
      const dy = row[3 * i + 1] - row[3 * j + 1];
      if ((dx * dx + dy * dy) * inv2 < SEPARATION2) continue;
      ea += Math.min(dab[i], dac[i]) + Math.min(dab[j], dac[j]);
      eb += Math.min(dab[i], dbc[i]) + Math.min(dab[j], dbc[j]);
      ec += Math.min(dac[i], dbc[i]) + Math.min(dac[j], dbc[j]);
      scored += 2;
    }
    // Mean squared distance: mean(d²) ≥ mean(d)², so no region the test could flag is missed.
    const bar = SCREEN2 * scored;
    if (scored === 0) continue;
    if (ea >= bar && readsExchanged(0, g, template)) suspects |= 1;
    if (eb >= bar && readsExchanged(1, g, template)) suspects |= 2;
    if (ec >= bar && readsExchanged(2, g, template)) suspects |= 4;
  }
  return suspects;
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
export function pairwise3(n: number, inv2: number): void {
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

/**
 * k = 3 in closed form, the common case: the robust mean squared distance between each
 * pair of members gives σa² + σb² (`robustHalfMean`), so each member's own σ² is
 * (Dab + Dac − Dbc) / 2 — the three-cornered hat, unbiased for Gaussian errors and
 * little moved by gross points. One gate pass then marks gross points
 * and drops a wild member. False when too few points are shared (the EM takes over).
 */
export function threeCorneredHat(n: number, prior: (r: number) => WorkerPrior): boolean {
  const { sig2, itemS2, startS2, info, drop, shared: m, halves } = S;
  if (m < 3) return false;
  robustHalfMeans(m);
  const [Dab, Dac, Dbc] = halves;
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
export function gateAndFinish(n: number, inv2: number, out: Float64Array): void {
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
  const { work, gamma, sig2, w, cnt, lab, drop, xs, ys, dab, dac, dbc } = S;
  for (let r = 0; r < 3; r++) {
    w[r] = drop[r] ? 0 : 1 / sig2[r];
    cnt[r] = 0;
    lab[r] = 0;
  }
  const all = !drop[0] && !drop[1] && !drop[2];
  const [a, b, c] = work;
  const [wa, wb, wc] = [w[0], w[1], w[2]];
  const ga = GATE * sig2[0];
  const gb = GATE * sig2[1];
  const gc = GATE * sig2[2];
  // The leave-one-out weights, and their inverses, are the same at every point all three placed.
  const ia = 1 / (wb + wc);
  const ib = 1 / (wa + wc);
  const ic = 1 / (wa + wb);
  const sw3 = wa + wb + wc;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    if (all && a[o + 2] > 0 && b[o + 2] > 0 && c[o + 2] > 0) {
      // The common case, straight-line.
      const sx = wa * a[o] + wb * b[o] + wc * c[o];
      const sy = wa * a[o + 1] + wb * b[o + 1] + wc * c[o + 1];
      // A member's distance to the others' weighted mean is at most its distance to the
      // farther of them (`pairwise3`): where that is inside every gate, nobody is gross.
      if (
        Math.max(dab[i], dac[i]) <= ga + GATE * ia &&
        Math.max(dab[i], dbc[i]) <= gb + GATE * ib &&
        Math.max(dac[i], dbc[i]) <= gc + GATE * ic
      ) {
        gamma[i] = gamma[n + i] = gamma[2 * n + i] = 1;
        lab[0]++;
        lab[1]++;
        lab[2]++;
        cnt[0]++;
        cnt[1]++;
        cnt[2]++;
        out[o] = sx / sw3;
        out[o + 1] = sy / sw3;
        out[o + 2] = (a[o + 2] >= 2 ? 1 : 0) + (b[o + 2] >= 2 ? 1 : 0) + (c[o + 2] >= 2 ? 1 : 0) >= 2 ? 2 : 1;
        continue;
      }
      let dx = (sw3 * a[o] - sx) * ia;
      let dy = (sw3 * a[o + 1] - sy) * ia;
      const inA = (dx * dx + dy * dy) * inv2 <= ga + GATE * ia;
      dx = (sw3 * b[o] - sx) * ib;
      dy = (sw3 * b[o + 1] - sy) * ib;
      const inB = (dx * dx + dy * dy) * inv2 <= gb + GATE * ib;
      dx = (sw3 * c[o] - sx) * ic;
      dy = (sw3 * c[o + 1] - sy) * ic;
      const inC = (dx * dx + dy * dy) * inv2 <= gc + GATE * ic;
      if (inA && inB && inC) {
        gamma[i] = gamma[n + i] = gamma[2 * n + i] = 1;
        lab[0]++;
        lab[1]++;
        lab[2]++;
        cnt[0]++;
        cnt[1]++;
        cnt[2]++;
        out[o] = sx / sw3;
        out[o + 1] = sy / sw3;
        out[o + 2] = (a[o + 2] >= 2 ? 1 : 0) + (b[o + 2] >= 2 ? 1 : 0) + (c[o + 2] >= 2 ? 1 : 0) >= 2 ? 2 : 1;
        continue;
      }
      // A gross point: the general path below takes it out of the sums.
    }
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

/** Capping at this many means keeps a gross point's pull on `robustHalfMeans` bounded. */
const CAP = 5;
const CAP_KEEP = 1 - Math.exp(-CAP);

/**
 * Half the mean of squared 2-D distances (σa² + σb² for Gaussian errors) of each of the
 * three pairs, robust to gross points: the mean of min(x, CAP · μ), corrected for the
 * cap (for x exponential with mean μ, E[min(x, cμ)] = μ(1 − e^−c)), iterated from the
 * plain mean. A few branch-free passes cost less than one selection of the median, and
 * a gross point moves it at most by CAP · μ / m. Into `S.halves`.
 */
function robustHalfMeans(m: number): void {
  const { cab, cac, cbc, halves } = S;
  let mu0 = 0;
  let mu1 = 0;
  let mu2 = 0;
  for (let i = 0; i < m; i++) {
    mu0 += cab[i];
    mu1 += cac[i];
    mu2 += cbc[i];
  }
  mu0 /= m;
  mu1 /= m;
  mu2 /= m;
  const scale = 1 / m / CAP_KEEP;
  for (let it = 0; it < 5; it++) {
    const c0 = CAP * mu0;
    const c1 = CAP * mu1;
    const c2 = CAP * mu2;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < m; i++) {
      s0 += Math.min(cab[i], c0);
      s1 += Math.min(cac[i], c1);
      s2 += Math.min(cbc[i], c2);
    }
    const n0 = s0 * scale;
    const n1 = s1 * scale;
    const n2 = s2 * scale;
    const done =
      Math.abs(n0 - mu0) <= 1e-2 * mu0 && Math.abs(n1 - mu1) <= 1e-2 * mu1 && Math.abs(n2 - mu2) <= 1e-2 * mu2;
    mu0 = n0;
    mu1 = n1;
    mu2 = n2;
    if (done) break;
  }
  halves[0] = mu0 / 2;
  halves[1] = mu1 / 2;
  halves[2] = mu2 / 2;
}
