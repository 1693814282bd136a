/**
 * Consensus of N workers' answers for one item (overlap quality control).
 *
 * 1. Instances are matched across workers: a pivot worker (by default the one with the
 *    most instances; the lowest index on ties) seeds one cluster per instance, then each
 *    other worker in index order is matched onto the clusters' first instances by
 *    optimal assignment (Hungarian) on box IoU (default) or OKS; its unmatched
 *    instances start new clusters that later workers can join. A cluster holds at most
 *    one instance per worker.
 * 2. Clusters found by fewer than `quorum` workers are reported (`unmerged`), not merged.
 * 3. Per point of a merged cluster: visibility by weighted vote (labelled vs not first,
 *    ties → labelled; then visible vs occluded, ties → visible), and location, from the
 *    workers that labelled the point, by coordinate-wise weighted median (default) or
 *    weighted geometric median (Weiszfeld with the Vardi–Zhang fix, started from the
 *    coordinate-wise median). The box is the coordinate-wise weighted median of the
 *    corners of the workers' boxes (null when no worker drew one).
 * 4. Agreement per point: mean normalised distance of the workers' points to the
 *    consensus (a worker who left a consensus point unlabelled counts 1.0, as in NME)
 *    and the share of workers within `withinThreshold` (0.05) of it; normalised by the
 *    NME normaliser of the consensus. Per instance: mean OKS of the workers against the
 *    consensus. Per item: the mean OKS over all clusters and all N workers, a worker
 *    without an instance in a cluster (and every worker of an unmerged cluster) scoring
 *    0; 1 when nobody found anything.
 *
 * Worker weights (e.g. gold accuracy) must be finite and ≥ 0; a cluster whose members
 * all weigh 0 is merged with equal weights.
 *
 * Speed: the per-point work runs on typed scratch buffers reused across calls (this
 * module keeps them; calls are synchronous, so that is safe), three equally weighted
 * workers take a branch-free median-of-three path, the OKS terms use a table-based
 * exp (`fast-exp.ts`, relative error < 1e-15), and `mergePoints` is a flat fast path
 * for callers that already hold `Float64Array` points.
 *
 * @example
 * const r = mergeAnswers([worker0.instances, worker1.instances, worker2.instances], face68);
 * r.instances[0].points;            // consensus points
 * r.instances[0].agreement.oks;     // how well the workers agree on this face
 * r.unmerged;                       // faces too few workers found
 * r.agreement;                      // one number per item, for review queues
 */
import type { Instance } from '../annotation.js';
import type { Box, KeypointTemplate, Point, Visibility } from '../templates/template.js';
import { solveAssignment } from './hungarian.js';
import { expNeg } from './fast-exp.js';
import { type MatchBy, type MatchOptions, matchScore } from './matching.js';
import { OKS_EPS, oksVariances } from './oks.js';

export type ConsensusMethod = 'median' | 'geometric-median';
export type ConsensusTemplate = Pick<KeypointTemplate, 'points' | 'normalization'>;

export interface MergePointsOptions {
  /** Location estimate (default `median`). */
  method?: ConsensusMethod;
  /** Per-worker weights, finite and ≥ 0 (default all 1). */
  weights?: ArrayLike<number>;
  /**
   * Weiszfeld iterations for `geometric-median` (default 10; it stops earlier once a
   * step moves less than 1e-4 of the points' mean distance to the start).
   */
  iterations?: number;
}

export interface ConsensusOptions extends MergePointsOptions {
  /** Minimum number of workers that must have found an instance (default a strict majority: ⌊N/2⌋ + 1). */
  quorum?: number;
  /**
   * With weights: the share of the total weight a cluster needs to be merged, instead
   * of the head count of `quorum`. Two low-accuracy workers who agree with each other
   * then cannot outvote one accurate worker.
   */
  weightQuorum?: number;
  /** Worker whose instances seed the clusters (default the one with most instances). */
  pivot?: number;
  /**
   * How instances are matched across workers (default `{ by: 'iou', minScore: 0.3 }`,
   * boxes from points where a worker drew none). IoU does not depend on the template's
   * sigmas and stays high for small faces where OKS between two careful workers can
   * drop below any useful threshold; use `{ by: 'oks' }` where instances have no boxes
   * and only a few labelled points.
   */
  match?: MatchOptions;
  /** Normalised distance under which a worker's point counts as agreeing (default 0.05). */
  withinThreshold?: number;
}

export interface InstanceAgreement {
  /** Per point: mean normalised distance of the workers' points to the consensus (0 = all on it); NaN where the consensus leaves the point unlabelled. */
  perPoint: number[];
  /** Per point: share of the workers within `withinThreshold` of the consensus; NaN where the consensus leaves the point unlabelled. */
  within: number[];
  /** Mean OKS of the supporting workers against the consensus. */
  oks: number;
  /** How many workers found this instance. */
  support: number;
}

export interface ConsensusInstance {
  bbox: Box | null;
  points: Point[];
  agreement: InstanceAgreement;
  /** Per worker: index of its instance in this cluster, or -1. */
  members: number[];
}

export interface UnmergedCluster {
  /** Per worker: index of its instance in this cluster, or -1. */
  members: number[];
  support: number;
}

export interface ConsensusResult {
  instances: ConsensusInstance[];
  /** Clusters found by fewer than `quorum` workers. */
  unmerged: UnmergedCluster[];
  /** Item-level agreement in [0, 1] (see the module comment). */
  agreement: number;
}

// ---------------------------------------------------------------------------------
// Scratch buffers, grown on demand and reused across calls. Hot functions copy the
// fields they use into locals.

class Scratch {
  /** Copies of the members' points, `[x, y, v]` × n each. */
  rows: Float64Array[] = [];
  rowLen = 0;
  /** The consensus points, `[x, y, v]` × n. */
  cons = new Float64Array(0);
  /** Per member: its weight. */
  weights = new Float64Array(8);
  /** Per labelling member of one point: x, y, weight (also box corners). */
  xs = new Float64Array(8);
  ys = new Float64Array(8);
  ws = new Float64Array(8);
  x1s = new Float64Array(8);
  y1s = new Float64Array(8);
  /** Sort buffers for the weighted median. */
  sortV = new Float64Array(8);
  sortW = new Float64Array(8);
  /** Result of the geometric median. */
  geo = new Float64Array(2);

  ensureWorkers(m: number): void {
    if (this.xs.length >= m) return;
    const size = Math.max(m, this.xs.length * 2);
    this.weights = new Float64Array(size);
    this.xs = new Float64Array(size);
    this.ys = new Float64Array(size);
    this.ws = new Float64Array(size);
    this.x1s = new Float64Array(size);
    this.y1s = new Float64Array(size);
    this.sortV = new Float64Array(size);
    this.sortW = new Float64Array(size);
  }

  ensureRows(m: number, len: number): void {
    if (len > this.rowLen) {
      this.rows = [];
      this.rowLen = len;
      this.cons = new Float64Array(len);
    }
    while (this.rows.length < m) this.rows.push(new Float64Array(this.rowLen));
  }
}
const S = new Scratch();

function checkWeights(weights: ArrayLike<number> | undefined, m: number): void {
  if (!weights) return;
  if (weights.length !== m) throw new RangeError(`expected ${m} worker weights, got ${weights.length}`);
  for (let i = 0; i < m; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`worker weight ${i} must be finite and ≥ 0, got ${w}`);
  }
}

// ---------------------------------------------------------------------------------
// Robust 1-D and 2-D estimates.

/** Median of three, branch-free (min/max compile to single instructions; random data defeats branch prediction). */
function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Median of vals[0..cnt) (average of the two middle values for an even count); sorts a copy in sortV. */
function plainMedian(vals: Float64Array, cnt: number, sortV: Float64Array): number {
  if (cnt === 1) return vals[0];
  if (cnt === 2) return (vals[0] + vals[1]) / 2;
  if (cnt === 3) return median3(vals[0], vals[1], vals[2]);
  for (let i = 0; i < cnt; i++) {
    const v = vals[i];
    let j = i - 1;
    while (j >= 0 && sortV[j] > v) {
      sortV[j + 1] = sortV[j];
      j--;
    }
    sortV[j + 1] = v;
  }
  const h = cnt >> 1;
  return cnt & 1 ? sortV[h] : (sortV[h - 1] + sortV[h]) / 2;
}

/**
 * Weighted median of vals[0..cnt) with weights w (all > 0): the smallest value whose
 * cumulative weight reaches half the total, averaged with the next one where it lands
 * exactly on the half (so equal weights give the ordinary median).
 */
function weightedMedian(
  vals: Float64Array,
  w: Float64Array,
  cnt: number,
  sortV: Float64Array,
  sortW: Float64Array,
): number {
  if (cnt === 1) return vals[0];
  let total = 0;
  for (let i = 0; i < cnt; i++) {
    const v = vals[i];
    const wi = w[i];
    total += wi;
    let j = i - 1;
    while (j >= 0 && sortV[j] > v) {
      sortV[j + 1] = sortV[j];
      sortW[j + 1] = sortW[j];
      j--;
    }
    sortV[j + 1] = v;
    sortW[j + 1] = wi;
  }
  const half = total / 2;
  const tol = total * 1e-12;
  let cum = 0;
  for (let i = 0; i < cnt; i++) {
    cum += sortW[i];
    if (cum >= half - tol) {
      return Math.abs(cum - half) <= tol && i + 1 < cnt ? (sortV[i] + sortV[i + 1]) / 2 : sortV[i];
    }
  }
  return sortV[cnt - 1];
}

/** Weighted geometric median of (S.xs, S.ys)[0..cnt) into S.geo (Weiszfeld with the Vardi–Zhang step). */
function geometricMedian(cnt: number, equal: boolean, iterations: number): void {
  const { xs, ys, ws, sortV, sortW } = S;
  let gx = equal ? plainMedian(xs, cnt, sortV) : weightedMedian(xs, ws, cnt, sortV, sortW);
  let gy = equal ? plainMedian(ys, cnt, sortV) : weightedMedian(ys, ws, cnt, sortV, sortW);
  if (cnt > 2) {
    let tol = 0;
    for (let it = 0; it < iterations; it++) {
      let nx = 0;
      let ny = 0;
      let den = 0;
      let rx = 0;
      let ry = 0;
      let eta = 0;
      let wd = 0;
      let wsum = 0;
      for (let j = 0; j < cnt; j++) {
        const dx = xs[j] - gx;
        const dy = ys[j] - gy;
        const d = Math.sqrt(dx * dx + dy * dy);
        if (d < 1e-9) {
          eta += ws[j];
          continue;
        }
        const q = ws[j] / d;
        wd += ws[j] * d;
        wsum += ws[j];
        nx += q * xs[j];
        ny += q * ys[j];
        den += q;
        rx += q * dx;
        ry += q * dy;
      }
      if (den === 0) break;
      // Stop once a step moves less than 1e-4 of the points' mean distance to the start.
      if (it === 0) tol = (1e-4 * wd) / (wsum + eta);
      nx /= den;
      ny /= den;
      if (eta > 0) {
        // The estimate sits on a data point: stay if it is the median, else step off it.
        const r = Math.sqrt(rx * rx + ry * ry);
        if (r <= eta) break;
        const g = eta / r;
        nx = (1 - g) * nx + g * gx;
        ny = (1 - g) * ny + g * gy;
      }
      const moved = Math.abs(nx - gx) + Math.abs(ny - gy);
      gx = nx;
      gy = ny;
      if (moved < tol) break;
    }
  }
  S.geo[0] = gx;
  S.geo[1] = gy;
}

/**
 * The point kernel: merges rows[0..k) (each `[x, y, v]` × n, weights in S.weights, not
 * all 0) into out (`[x, y, v]` × n). Unlabelled consensus points come out as (0, 0, 0).
 */
function mergeRows(
  rows: readonly Float64Array[],
  k: number,
  n: number,
  out: Float64Array,
  geometric: boolean,
  iterations: number,
): void {
  const { weights, xs, ys, ws, sortV, sortW } = S;
  let equal = true;
  for (let r = 1; r < k; r++) if (weights[r] !== weights[0]) equal = false;
  // Fast path for the common case: three equally weighted workers.
  const three = k === 3 && equal && !geometric;
  const r0 = rows[0];
  const r1 = three ? rows[1] : r0;
  const r2 = three ? rows[2] : r0;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    if (three) {
      const v0 = r0[o + 2];
      const v1 = r1[o + 2];
      const v2 = r2[o + 2];
      if (v0 > 0 && v1 > 0 && v2 > 0) {
        out[o] = median3(r0[o], r1[o], r2[o]);
        out[o + 1] = median3(r0[o + 1], r1[o + 1], r2[o + 1]);
        out[o + 2] = (v0 >= 2 ? 1 : 0) + (v1 >= 2 ? 1 : 0) + (v2 >= 2 ? 1 : 0) >= 2 ? 2 : 1;
        continue;
      }
    }
    let cnt = 0;
    let wLab = 0;
    let wNot = 0;
    let wVis = 0;
    for (let r = 0; r < k; r++) {
      const row = rows[r];
      const w = weights[r];
      const v = row[o + 2];
      if (v > 0) {
        wLab += w;
        if (v >= 2) wVis += w;
        if (w > 0) {
          xs[cnt] = row[o];
          ys[cnt] = row[o + 1];
          ws[cnt] = w;
          cnt++;
        }
      } else {
        wNot += w;
      }
    }
    if (cnt === 0 || wLab < wNot) {
      out[o] = 0;
      out[o + 1] = 0;
      out[o + 2] = 0;
      continue;
    }
    if (geometric) {
      geometricMedian(cnt, equal, iterations);
      out[o] = S.geo[0];
      out[o + 1] = S.geo[1];
    } else if (equal) {
      out[o] = plainMedian(xs, cnt, sortV);
      out[o + 1] = plainMedian(ys, cnt, sortV);
    } else {
      out[o] = weightedMedian(xs, ws, cnt, sortV, sortW);
      out[o + 1] = weightedMedian(ys, ws, cnt, sortV, sortW);
    }
    out[o + 2] = wVis >= wLab - wVis ? 2 : 1;
  }
}

/**
 * Fast path: merges the workers' points of one instance given as flat `[x, y, v]`
 * arrays (same length for every worker) into `out` (allocated when not given), by the
 * rules of the module comment (no matching, no agreement). Unlabelled consensus points
 * come out as (0, 0, 0).
 *
 * @example
 * mergePoints([Float64Array.of(0, 0, 2), Float64Array.of(2, 0, 2), Float64Array.of(9, 9, 1)])
 * // → Float64Array [2, 0, 2]
 */
export function mergePoints(
  workersPoints: readonly Float64Array[],
  out?: Float64Array,
  options: MergePointsOptions = {},
): Float64Array {
  const m = workersPoints.length;
  const len = m > 0 ? workersPoints[0].length : 0;
  if (len % 3 !== 0) throw new RangeError(`points arrays hold [x, y, v] triples; got length ${len}`);
  for (let r = 1; r < m; r++) {
    if (workersPoints[r].length !== len) {
      throw new RangeError(`worker ${r} has ${workersPoints[r].length} values, worker 0 has ${len}`);
    }
  }
  const result = out ?? new Float64Array(len);
  if (result.length < len) throw new RangeError(`out holds ${result.length} values, need ${len}`);
  checkWeights(options.weights, m);
  S.ensureWorkers(m);
  const weights = S.weights;
  let total = 0;
  for (let r = 0; r < m; r++) total += weights[r] = options.weights ? options.weights[r] : 1;
  if (total === 0) weights.fill(1, 0, m);
  mergeRows(workersPoints, m, len / 3, result, options.method === 'geometric-median', options.iterations ?? 10);
  return result;
}

// ---------------------------------------------------------------------------------
// Whole answers.

/**
 * Coordinate-wise weighted median of the member boxes' corners; null when no member has
 * a box. Boxes of zero-weight workers count only where no weighted worker drew one.
 */
function mergeBoxes(
  answers: readonly (readonly Instance[])[],
  members: readonly number[],
  weights: ArrayLike<number> | undefined,
): Box | null {
  const { xs, ys, x1s, y1s, ws, sortV, sortW } = S;
  let cnt = 0;
  for (let pass = 0; pass < 2 && cnt === 0; pass++) {
    for (let w = 0; w < members.length; w++) {
      const idx = members[w];
      if (idx < 0) continue;
      const b = answers[w][idx].bbox;
      if (!b) continue;
      const wt = pass === 1 || !weights ? 1 : weights[w];
      if (wt <= 0) continue;
      xs[cnt] = b[0];
      ys[cnt] = b[1];
      x1s[cnt] = b[0] + b[2];
      y1s[cnt] = b[1] + b[3];
      ws[cnt] = wt;
      cnt++;
    }
  }
  if (cnt === 0) return null;
  if (cnt === 3 && ws[0] === ws[1] && ws[1] === ws[2]) {
    const bx0 = median3(xs[0], xs[1], xs[2]);
    const by0 = median3(ys[0], ys[1], ys[2]);
    const bx1 = median3(x1s[0], x1s[1], x1s[2]);
    const by1 = median3(y1s[0], y1s[1], y1s[2]);
    return [bx0, by0, Math.max(0, bx1 - bx0), Math.max(0, by1 - by0)];
  }
  const x0 = weightedMedian(xs, ws, cnt, sortV, sortW);
  const y0 = weightedMedian(ys, ws, cnt, sortV, sortW);
  const x1 = weightedMedian(x1s, ws, cnt, sortV, sortW);
  const y1 = weightedMedian(y1s, ws, cnt, sortV, sortW);
  return [x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0)];
}

/**
 * Instance clusters across workers (step 1 of the module comment): `members[c][w]` is
 * worker w's instance in cluster c, or -1.
 */
function clusterInstances(
  answers: readonly (readonly Instance[])[],
  template: ConsensusTemplate,
  pivot: number,
  by: MatchBy,
  minScore: number,
): number[][] {
  const m = answers.length;
  const clusters: number[][] = [];
  const reps: Instance[] = [];
  for (let w = -1; w < m; w++) {
    // w = -1 stands for the pivot, which goes first.
    const worker = w < 0 ? pivot : w;
    if (w === pivot) continue;
    const mine = answers[worker];
    const k = mine.length;
    const c = clusters.length;
    let r2c: Int32Array | null = null;
    let scores: Float64Array = NO_SCORES;
    if (c === 1 && k === 1) {
      const s = matchScore(mine[0], reps[0], template, by);
      if (s >= minScore && s > 0) {
        clusters[0][worker] = 0;
        continue;
      }
    } else if (c > 0 && k > 0) {
      scores = new Float64Array(k * c);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < c; j++) {
          const s = matchScore(mine[i], reps[j], template, by);
          scores[i * c + j] = s >= minScore && s > 0 ? s : 0;
        }
      }
      r2c = solveAssignment(scores, k, c, true);
    }
    for (let i = 0; i < k; i++) {
      const j = r2c ? r2c[i] : -1;
      if (j >= 0 && scores[i * c + j] > 0) {
        clusters[j][worker] = i;
      } else {
        const members = new Array<number>(m).fill(-1);
        members[worker] = i;
        clusters.push(members);
        reps.push(mine[i]);
      }
    }
  }
  return clusters;
}
const NO_SCORES = new Float64Array(0);

const invVarsCache = new WeakMap<Float64Array, Float64Array>();
/** 1 / (2σ)² per point, cached beside `oksVariances`. */
function inverseVariances(template: ConsensusTemplate): Float64Array {
  const vars = oksVariances(template);
  let inv = invVarsCache.get(vars);
  if (!inv) {
    inv = vars.map((v) => 1 / v);
    invVarsCache.set(vars, inv);
  }
  return inv;
}

/**
 * Merges N workers' answers for one item; `answers[w]` are worker w's instances.
 * Points missing from an instance (fewer than the template has) count as unlabelled.
 *
 * @example
 * const r = mergeAnswers([[a0], [a1], [a2]], template);
 * r.instances[0].points          // consensus points
 * r.instances[0].agreement.oks   // how well the workers agree on it
 * r.agreement                    // item-level score for review queues
 */
export function mergeAnswers(
  answers: readonly (readonly Instance[])[],
  template: ConsensusTemplate,
  options: ConsensusOptions = {},
): ConsensusResult {
  const m = answers.length;
  const n = template.points.length;
  const weights = options.weights;
  checkWeights(weights, m);
  const quorum = options.quorum ?? Math.floor(m / 2) + 1;
  const within = options.withinThreshold ?? 0.05;
  const geometric = options.method === 'geometric-median';
  const iterations = options.iterations ?? 10;
  let pivot = options.pivot ?? -1;
  if (pivot >= m) throw new RangeError(`pivot ${pivot} is not a worker (${m} workers)`);
  if (pivot < 0) {
    pivot = 0;
    for (let w = 1; w < m; w++) if (answers[w].length > answers[pivot].length) pivot = w;
  }
  const clusters =
    m > 0 ? clusterInstances(answers, template, pivot, options.match?.by ?? 'iou', options.match?.minScore ?? 0.3) : [];

  let weightSum = 0;
  if (weights) for (let w = 0; w < m; w++) weightSum += weights[w];
  const invVars = inverseVariances(template);
  const len = 3 * n;
  S.ensureWorkers(m);
  S.ensureRows(m, len);
  const { rows, cons, weights: rowWeights } = S;
  const instances: ConsensusInstance[] = [];
  const unmerged: UnmergedCluster[] = [];
  let oksTotal = 0;
  for (const members of clusters) {
    // Copy the members' points into the scratch rows.
    let k = 0;
    let wTotal = 0;
    for (let w = 0; w < m; w++) {
      if (members[w] < 0) continue;
      const row = rows[k];
      const pts = answers[w][members[w]].points;
      for (let i = 0, o = 0; i < n; i++, o += 3) {
        const p = pts[i];
        if (p !== undefined && p[2] > 0) {
          row[o] = p[0];
          row[o + 1] = p[1];
          row[o + 2] = p[2];
        } else {
          row[o] = 0;
          row[o + 1] = 0;
          row[o + 2] = 0;
        }
      }
      wTotal += rowWeights[k] = weights ? weights[w] : 1;
      k++;
    }
    const short =
      options.weightQuorum !== undefined && weights ? wTotal < options.weightQuorum * weightSum : k < quorum;
    if (short) {
      unmerged.push({ members, support: k });
      continue;
    }
    if (wTotal === 0) rowWeights.fill(1, 0, k);
    mergeRows(rows, k, n, cons, geometric, iterations);
    const bbox = mergeBoxes(answers, members, weights);

    // Normaliser and OKS area of the consensus.
    let bx0 = Infinity;
    let by0 = Infinity;
    let bx1 = -Infinity;
    let by1 = -Infinity;
    let labelled = 0;
    for (let o = 0; o < len; o += 3) {
      if (cons[o + 2] === 0) continue;
      labelled++;
      const x = cons[o];
      const y = cons[o + 1];
      if (x < bx0) bx0 = x;
      if (x > bx1) bx1 = x;
      if (y < by0) by0 = y;
      if (y > by1) by1 = y;
    }
    const pointsArea = labelled > 0 ? (bx1 - bx0) * (by1 - by0) : 0;
    const area = bbox ? bbox[2] * bbox[3] : pointsArea;
    let norm = NaN;
    const pair = template.normalization;
    if (pair && cons[3 * pair[0] + 2] > 0 && cons[3 * pair[1] + 2] > 0) {
      norm = Math.hypot(cons[3 * pair[0]] - cons[3 * pair[1]], cons[3 * pair[0] + 1] - cons[3 * pair[1] + 1]);
    }
    if (!(norm > 0)) norm = bbox && bbox[2] * bbox[3] > 0 ? Math.sqrt(bbox[2] * bbox[3]) : Math.sqrt(pointsArea);
    if (!(norm > 0)) norm = NaN;

    // Agreement and the output points; OKS terms exp(−d² / vars / (area + eps) / 2).
    const invNorm = 1 / norm;
    const halfInvArea = 0.5 / (area + OKS_EPS);
    const withinPx = within * norm;
    const withinPx2 = withinPx * withinPx;
    const points: Point[] = new Array(n);
    const perPoint: number[] = new Array(n);
    const withinShare: number[] = new Array(n);
    let oksSum = 0;
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      const cx = cons[o];
      const cy = cons[o + 1];
      const cv = cons[o + 2];
      points[i] = [cx, cy, cv as Visibility];
      if (cv === 0) {
        perPoint[i] = NaN;
        withinShare[i] = NaN;
        continue;
      }
      const f = halfInvArea * invVars[i];
      let ds = 0;
      let missed = 0;
      let inc = 0;
      for (let r = 0; r < k; r++) {
        const row = rows[r];
        if (row[o + 2] === 0) {
          missed++;
          continue;
        }
        const dx = row[o] - cx;
        const dy = row[o + 1] - cy;
        const d2 = dx * dx + dy * dy;
        ds += Math.sqrt(d2);
        if (d2 <= withinPx2) inc++;
        oksSum += expNeg(d2 * f);
      }
      perPoint[i] = (ds * invNorm + missed) / k;
      withinShare[i] = inc / k;
    }
    const instOks = labelled > 0 ? oksSum / (labelled * k) : 0;
    oksTotal += instOks * k;
    instances.push({
      bbox,
      points,
      agreement: { perPoint, within: withinShare, oks: instOks, support: k },
      members,
    });
  }
  const agreement = clusters.length > 0 ? oksTotal / (m * clusters.length) : 1;
  return { instances, unmerged, agreement };
}
