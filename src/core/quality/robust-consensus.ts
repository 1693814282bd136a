/**
 * Consensus of N workers' answers for one item, robust to the crowd a base really has:
 *
 * 1. Instances are clustered across workers by average linkage (`instance-clusters.ts`),
 *    so a stray answer forms its own cluster instead of splitting the others.
 * 2. Clusters found by fewer than `quorum` workers (default a strict majority) are
 *    reported, not merged.
 * 3. Each merged cluster goes through the EM of `em.ts`: swapped regions exchanged
 *    back by a head-count vote, points weighted by each worker's error scale learned
 *    from the item and from the worker's history (`priors`), gross points and wild
 *    members left out.
 * 4. Agreement. Per instance, as `mergeAnswers` has it (mean OKS of its members, per
 *    point distances). Per item: for each merged cluster, the mean OKS of the
 *    best-agreeing majority of the N answers (the top `quorum` scores, a worker absent
 *    from the cluster scoring 0), averaged over the merged clusters. One stray answer,
 *    in a cluster of its own or inside one, therefore moves it little, where a mean
 *    over all answers and all clusters halves it. An item whose clusters are all
 *    unmerged scores 0; an item where nobody found anything scores 1.
 *
 * @example
 * const r = mergeRobust([a.instances, b.instances, c.instances], face68, { priors });
 * r.instances[0].points;              // consensus points
 * r.instances[0].workers[2]?.swappedPairs; // what was exchanged back in worker 2's answer
 * r.agreement;                        // for review queues
 */
import type { Instance } from '../annotation.js';
import type { Box, KeypointTemplate, Point, Visibility } from '../templates/template.js';
import type { InstanceAgreement, UnmergedCluster } from './consensus.js';
import { type EmTemplate, type MemberReport, mergeEm, type WorkerPrior } from './em.js';
import { expNeg } from './fast-exp.js';
import { type ClusterOptions, clusterInstances } from './instance-clusters.js';
import { OKS_EPS, oksVariances } from './oks.js';

export type RobustTemplate = EmTemplate & Pick<KeypointTemplate, 'points'>;

export interface RobustOptions {
  /** Per worker: what its history says about its error scale (null: nothing known). */
  priors?: readonly (WorkerPrior | null | undefined)[];
  /** Workers that must have found an instance (default ⌊N/2⌋ + 1). */
  quorum?: number;
  /** Instance matching (default box IoU ≥ 0.3). */
  match?: ClusterOptions;
  /** Normalised distance under which a worker's point counts as agreeing (default 0.05). */
  withinThreshold?: number;
}

export interface RobustInstance {
  bbox: Box | null;
  points: Point[];
  agreement: InstanceAgreement & {
    /** Per worker (N long): OKS of its instance as submitted against the consensus, 0 when absent. */
    workerOks: number[];
  };
  /** Per worker: index of its instance in this cluster, or -1. */
  members: number[];
  /** Per worker: what the merge made of its instance (null when absent). */
  workers: (MemberReport | null)[];
}

export interface RobustResult {
  instances: RobustInstance[];
  unmerged: UnmergedCluster[];
  agreement: number;
}

function flat(inst: Instance, n: number): Float64Array {
  const row = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const p = inst.points[i];
    if (p !== undefined && p[2] > 0) {
      row[3 * i] = p[0];
      row[3 * i + 1] = p[1];
      row[3 * i + 2] = p[2];
    }
  }
  return row;
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length & 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Coordinate-wise median of the kept members' boxes; null when none drew one. */
function mergeBoxes(boxes: Box[]): Box | null {
  if (boxes.length === 0) return null;
  const x0 = median(boxes.map((b) => b[0]));
  const y0 = median(boxes.map((b) => b[1]));
  const x1 = median(boxes.map((b) => b[0] + b[2]));
  const y1 = median(boxes.map((b) => b[1] + b[3]));
  return [x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0)];
}

/** Mean of the `q` largest values. */
function topMean(values: number[], q: number): number {
  const s = values.slice().sort((a, b) => b - a);
  const take = Math.max(1, Math.min(q, s.length));
  let sum = 0;
  for (let i = 0; i < take; i++) sum += s[i];
  return sum / take;
}

/**
 * Merges N workers' answers for one item; `answers[w]` are worker w's instances. See
 * the module comment.
 */
export function mergeRobust(
  answers: readonly (readonly Instance[])[],
  template: RobustTemplate,
  options: RobustOptions = {},
): RobustResult {
  const m = answers.length;
  const n = template.points.length;
  const quorum = Math.min(m, options.quorum ?? Math.floor(m / 2) + 1);
  const within = options.withinThreshold ?? 0.05;
  const clusters = m > 0 ? clusterInstances(answers, template, options.match) : [];
  const invVars = oksVariances(template).map((v) => 1 / v);
  const instances: RobustInstance[] = [];
  const unmerged: UnmergedCluster[] = [];
  let agreementSum = 0;
  const out = new Float64Array(3 * n);
  for (const members of clusters) {
    const who: number[] = [];
    for (let w = 0; w < m; w++) if (members[w] >= 0) who.push(w);
    if (who.length < quorum) {
      unmerged.push({ members, support: who.length });
      continue;
    }
    const rows = who.map((w) => flat(answers[w][members[w]], n));
    const em = mergeEm(
      rows,
      template,
      out,
      who.map((w) => options.priors?.[w] ?? null),
    );
    const boxes: Box[] = [];
    who.forEach((w, j) => {
      const b = answers[w][members[w]].bbox;
      if (b && !em.members[j].dropped) boxes.push(b);
    });
    const bbox = mergeBoxes(boxes);

    const points: Point[] = new Array(n);
    let bx0 = Infinity;
    let by0 = Infinity;
    let bx1 = -Infinity;
    let by1 = -Infinity;
    let labelled = 0;
    for (let i = 0; i < n; i++) {
      const v = out[3 * i + 2] as Visibility;
      points[i] = [out[3 * i], out[3 * i + 1], v];
      if (v === 0) continue;
      labelled++;
      bx0 = Math.min(bx0, out[3 * i]);
      bx1 = Math.max(bx1, out[3 * i]);
      by0 = Math.min(by0, out[3 * i + 1]);
      by1 = Math.max(by1, out[3 * i + 1]);
    }
    const area = bbox ? bbox[2] * bbox[3] : labelled > 0 ? (bx1 - bx0) * (by1 - by0) : 0;
    let norm = em.norm;
    if (!(norm > 0)) norm = Math.sqrt(area);
    const halfInvArea = 0.5 / (area + OKS_EPS);
    const withinPx2 = (within * norm) ** 2;
    const perPoint: number[] = new Array(n);
    const withinShare: number[] = new Array(n);
    const workerOks = new Array<number>(m).fill(0);
    const oksSum = new Float64Array(who.length);
    for (let i = 0; i < n; i++) {
      const o = 3 * i;
      if (out[o + 2] === 0) {
        perPoint[i] = NaN;
        withinShare[i] = NaN;
        continue;
      }
      const f = halfInvArea * invVars[i];
      let ds = 0;
      let inc = 0;
      for (let j = 0; j < who.length; j++) {
        const row = rows[j];
        if (!(row[o + 2] > 0)) {
          ds += norm;
          continue;
        }
        const dx = row[o] - out[o];
        const dy = row[o + 1] - out[o + 1];
        const d2 = dx * dx + dy * dy;
        ds += Math.sqrt(d2);
        if (d2 <= withinPx2) inc++;
        oksSum[j] += expNeg(d2 * f);
      }
      perPoint[i] = ds / norm / who.length;
      withinShare[i] = inc / who.length;
    }
    let meanOks = 0;
    who.forEach((w, j) => {
      workerOks[w] = labelled > 0 ? oksSum[j] / labelled : 0;
      meanOks += workerOks[w];
    });
    agreementSum += topMean(workerOks, quorum);
    const reports: (MemberReport | null)[] = new Array(m).fill(null);
    who.forEach((w, j) => (reports[w] = em.members[j]));
    instances.push({
      bbox,
      points,
      agreement: {
        perPoint,
        within: withinShare,
        oks: meanOks / who.length,
        support: who.length,
        workerOks,
      },
      members,
      workers: reports,
    });
  }
  const agreement = instances.length > 0 ? agreementSum / instances.length : clusters.length > 0 ? 0 : 1;
  return { instances, unmerged, agreement };
}
