/**
 * Truth inference for categorical labels (attributes such as `glasses: yes/no`, or any
 * per-item class) from several workers: majority vote, and Dawid–Skene EM, which
 * learns a confusion matrix per worker so that a reliable worker can outweigh several
 * careless ones.
 *
 * Labels come as a sparse list of `[item, worker, label]` triples of 0-based integers
 * (items < `items`, workers < `workers`, labels < `classes`); a worker may label an
 * item more than once (each label counts).
 */

/** One label: `[item, worker, label]`, all 0-based integers. */
export type LabelTriple = readonly [item: number, worker: number, label: number];

export interface CategoricalOptions {
  /** Number of classes K (labels are 0..K-1). */
  classes: number;
  /** Number of items (default: largest item index + 1). */
  items?: number;
  /** Number of workers (default: largest worker index + 1). */
  workers?: number;
}

export interface MajorityVoteResult {
  /** Winning class per item (ties → lowest class index); -1 for an item nobody labelled. */
  labels: number[];
  /** Vote shares per item and class (uniform for an item nobody labelled). */
  posterior: number[][];
}

export interface DawidSkeneOptions extends CategoricalOptions {
  /** Maximum EM iterations (default 1000; EM can crawl when a worker is near-perfect). */
  maxIterations?: number;
  /** Stop when no posterior moves by more than this (default 1e-6). */
  tolerance?: number;
  /** Additive (Laplace) smoothing of the confusion counts and class priors (default 0.01). */
  smoothing?: number;
}

export interface DawidSkeneResult {
  /** Most probable class per item (ties → lowest class index); -1 for an item nobody labelled. */
  labels: number[];
  /** P(true class | labels) per item and class; the class priors for an item nobody labelled. */
  posterior: number[][];
  /** confusion[w][t][l] = P(worker w answers l | true class t). */
  confusion: number[][][];
  /** Estimated class priors. */
  priors: number[];
  /** Log-likelihood of the labels under the final parameters. */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

interface Sizes {
  items: number;
  workers: number;
  classes: number;
}

function sizes(triples: readonly LabelTriple[], options: CategoricalOptions): Sizes {
  const classes = options.classes;
  if (!Number.isInteger(classes) || classes < 1)
    throw new RangeError(`classes must be a positive integer, got ${classes}`);
  let maxItem = -1;
  let maxWorker = -1;
  for (const [i, w, l] of triples) {
    if (!Number.isInteger(i) || i < 0) throw new RangeError(`item index must be an integer ≥ 0, got ${i}`);
    if (!Number.isInteger(w) || w < 0) throw new RangeError(`worker index must be an integer ≥ 0, got ${w}`);
    if (!Number.isInteger(l) || l < 0 || l >= classes)
      throw new RangeError(`label must be an integer in [0, ${classes}), got ${l}`);
    if (i > maxItem) maxItem = i;
    if (w > maxWorker) maxWorker = w;
  }
  const items = options.items ?? maxItem + 1;
  const workers = options.workers ?? maxWorker + 1;
  if (maxItem >= items) throw new RangeError(`item index ${maxItem} ≥ items (${items})`);
  if (maxWorker >= workers) throw new RangeError(`worker index ${maxWorker} ≥ workers (${workers})`);
  return { items, workers, classes };
}

function argmax(row: ArrayLike<number>, offset: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (row[offset + c] > row[offset + best]) best = c;
  return best;
}

/** Vote counts, item-major: counts[i·K + l]. */
function voteCounts(triples: readonly LabelTriple[], s: Sizes): Float64Array {
  const counts = new Float64Array(s.items * s.classes);
  for (const [i, , l] of triples) counts[i * s.classes + l]++;
  return counts;
}

/**
 * Majority vote per item; ties go to the lowest class index.
 *
 * @example majorityVote([[0, 0, 1], [0, 1, 1], [0, 2, 0]], { classes: 2 }).labels // → [1]
 */
export function majorityVote(triples: readonly LabelTriple[], options: CategoricalOptions): MajorityVoteResult {
  const s = sizes(triples, options);
  const K = s.classes;
  const counts = voteCounts(triples, s);
  const labels: number[] = [];
  const posterior: number[][] = [];
  for (let i = 0; i < s.items; i++) {
    let total = 0;
    for (let c = 0; c < K; c++) total += counts[i * K + c];
    labels.push(total > 0 ? argmax(counts, i * K, K) : -1);
    posterior.push(Array.from({ length: K }, (_, c) => (total > 0 ? counts[i * K + c] / total : 1 / K)));
  }
  return { labels, posterior };
}

/**
 * Dawid–Skene EM (Dawid & Skene, 1979). Starts from the vote shares (soft majority
 * vote), then alternates: M-step, class priors and per-worker confusion matrices from
 * the current posteriors (with additive smoothing); E-step, posteriors
 * ∝ prior(t) · Π over the item's labels of confusion[w][t][l], in log space.
 *
 * @example
 * const r = dawidSkene(triples, { classes: 2 });
 * r.labels[item]; r.confusion[worker][trueClass][answered];
 */
export function dawidSkene(triples: readonly LabelTriple[], options: DawidSkeneOptions): DawidSkeneResult {
  const s = sizes(triples, options);
  const { items: I, workers: W, classes: K } = s;
  const maxIterations = options.maxIterations ?? 1000;
  const tolerance = options.tolerance ?? 1e-6;
  const alpha = options.smoothing ?? 0.01;

  // Initial posteriors: vote shares; items nobody labelled are left out of the M-step.
  const T = voteCounts(triples, s);
  const labelled = new Uint8Array(I);
  for (let i = 0; i < I; i++) {
    let total = 0;
    for (let c = 0; c < K; c++) total += T[i * K + c];
    if (total > 0) {
      labelled[i] = 1;
      for (let c = 0; c < K; c++) T[i * K + c] /= total;
    }
  }

  const logPrior = new Float64Array(K);
  const logConf = new Float64Array(W * K * K); // [w][t][l]
  const counts = new Float64Array(W * K * K);
  const logT = new Float64Array(I * K);
  let logLikelihood = -Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    // M-step.
    let nLabelled = 0;
    logPrior.fill(0);
    for (let i = 0; i < I; i++) {
      if (!labelled[i]) continue;
      nLabelled++;
      for (let c = 0; c < K; c++) logPrior[c] += T[i * K + c];
    }
    for (let c = 0; c < K; c++) logPrior[c] = Math.log((logPrior[c] + alpha) / (nLabelled + K * alpha));
    counts.fill(alpha);
    for (const [i, w, l] of triples) {
      for (let t = 0; t < K; t++) counts[(w * K + t) * K + l] += T[i * K + t];
    }
    for (let wt = 0; wt < W * K; wt++) {
      let row = 0;
      for (let l = 0; l < K; l++) row += counts[wt * K + l];
      for (let l = 0; l < K; l++) logConf[wt * K + l] = Math.log(counts[wt * K + l] / row);
    }
    // E-step.
    for (let i = 0; i < I; i++) for (let c = 0; c < K; c++) logT[i * K + c] = logPrior[c];
    for (const [i, w, l] of triples) {
      for (let t = 0; t < K; t++) logT[i * K + t] += logConf[(w * K + t) * K + l];
    }
    let change = 0;
    logLikelihood = 0;
    for (let i = 0; i < I; i++) {
      let mx = -Infinity;
      for (let c = 0; c < K; c++) mx = Math.max(mx, logT[i * K + c]);
      let z = 0;
      for (let c = 0; c < K; c++) z += Math.exp(logT[i * K + c] - mx);
      if (labelled[i]) logLikelihood += mx + Math.log(z);
      for (let c = 0; c < K; c++) {
        const p = Math.exp(logT[i * K + c] - mx) / z;
        change = Math.max(change, Math.abs(p - T[i * K + c]));
        T[i * K + c] = p;
      }
    }
    if (change < tolerance) {
      converged = true;
      break;
    }
  }

  const labels: number[] = [];
  const posterior: number[][] = [];
  for (let i = 0; i < I; i++) {
    labels.push(labelled[i] ? argmax(T, i * K, K) : -1);
    posterior.push(Array.from(T.subarray(i * K, i * K + K)));
  }
  const confusion: number[][][] = [];
  for (let w = 0; w < W; w++) {
    const m: number[][] = [];
    for (let t = 0; t < K; t++) m.push(Array.from({ length: K }, (_, l) => Math.exp(logConf[(w * K + t) * K + l])));
    confusion.push(m);
  }
  return {
    labels,
    posterior,
    confusion,
    priors: Array.from(logPrior, (x) => Math.exp(x)),
    logLikelihood,
    iterations,
    converged,
  };
}
