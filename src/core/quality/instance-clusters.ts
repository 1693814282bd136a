/**
 * Which answers' instances show the same face: clusters across workers, at most one
 * instance per worker in a cluster. Greedy average linkage: every cross-worker pair
 * of instances is scored (box IoU by default, OKS on request), pairs are taken best
 * first, and two clusters join when they hold no common worker and their mean pair
 * score (pairs below `minScore` counting 0) still reaches `minScore`.
 *
 * Unlike seeding clusters from one pivot worker, no answer is special: a stray answer
 * (a spammer's scatter, a face nobody else saw) only ever forms its own small
 * cluster, and it cannot split the others, whichever worker it came from.
 */
import type { Instance } from '../annotation.js';
import type { KeypointTemplate } from '../templates/template.js';
import { type MatchBy, matchScore } from './matching.js';

export interface ClusterOptions {
  by?: MatchBy;
  /** Default 0.3 (IoU) — the same as `mergeAnswers`. */
  minScore?: number;
}

/**
 * `members[c][w]` is worker w's instance in cluster c, or -1; clusters in the order of
 * their first instance (worker, then instance index).
 *
 * @example clusterInstances([[a0], [b0], [stray, b1]], face68) // → [[0, 0, 1], [-1, -1, 0]]
 */
export function clusterInstances(
  answers: readonly (readonly Instance[])[],
  template: Pick<KeypointTemplate, 'points'>,
  options: ClusterOptions = {},
): number[][] {
  const by = options.by ?? 'iou';
  const minScore = options.minScore ?? 0.3;
  const m = answers.length;
  // Nodes: every instance, numbered worker by worker.
  const owner: number[] = [];
  const index: number[] = [];
  for (let w = 0; w < m; w++) {
    for (let i = 0; i < answers[w].length; i++) {
      owner.push(w);
      index.push(i);
    }
  }
  const total = owner.length;
  const score = new Float64Array(total * total);
  const edges: { a: number; b: number; s: number }[] = [];
  for (let a = 0; a < total; a++) {
    for (let b = a + 1; b < total; b++) {
      if (owner[a] === owner[b]) continue;
      const s = matchScore(answers[owner[a]][index[a]], answers[owner[b]][index[b]], template, by);
      const kept = s >= minScore && s > 0 ? s : 0;
      score[a * total + b] = score[b * total + a] = kept;
      if (kept > 0) edges.push({ a, b, s: kept });
    }
  }
  edges.sort((x, y) => y.s - x.s || x.a - y.a || x.b - y.b);
  const cluster = Int32Array.from({ length: total }, (_, i) => i);
  const nodes: number[][] = Array.from({ length: total }, (_, i) => [i]);
  for (const { a, b } of edges) {
    const ca = cluster[a];
    const cb = cluster[b];
    if (ca === cb) continue;
    const A = nodes[ca];
    const B = nodes[cb];
    if (A.some((x) => B.some((y) => owner[x] === owner[y]))) continue;
    let sum = 0;
    for (const x of A) for (const y of B) sum += score[x * total + y];
    if (sum / (A.length * B.length) < minScore) continue;
    const [keep, gone] = ca < cb ? [ca, cb] : [cb, ca];
    for (const x of nodes[gone]) cluster[x] = keep;
    nodes[keep] = nodes[keep].concat(nodes[gone]);
    nodes[gone] = [];
  }
  const out: number[][] = [];
  for (let c = 0; c < total; c++) {
    if (nodes[c].length === 0) continue;
    const members = new Array<number>(m).fill(-1);
    for (const x of nodes[c]) members[owner[x]] = index[x];
    out.push(members);
  }
  return out;
}
