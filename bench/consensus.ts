/**
 * Consensus benchmark: synthetic 68-point faces, 3 noisy workers per item.
 *
 *     npx tsx bench/consensus.ts [items] [--geometric] [--no-full]      (default 1,000,000 items)
 *
 * Generates items in chunks with a seeded PRNG (memory stays bounded), times the
 * consensus merge (`mergeAnswers`, full: matching, median, box, agreement) and the flat
 * fast path (`mergePoints`) beside a plain mean of the workers' points over the same
 * data, and the robust EM (`mergeRobust`, full: average-linkage matching, swap vote,
 * EM weights, agreement; and its flat kernel `mergeEm`, swap vote and EM on
 * `Float64Array` rows) with no worker history, so it learns every weight from the item
 * alone. Prints each method's error against the truth (NME normalised by the true
 * inter-ocular distance, points 36 and 45). `--geometric` adds `mergeAnswers` with the
 * geometric median; `--no-full` leaves out the two full (object) paths. Generation is
 * not timed.
 *
 * Each timed section reports wall seconds and CPU seconds (user + system of this
 * process, so including V8's GC helper threads); on a shared machine the CPU time is
 * the better measure of the work done on one core.
 *
 * Workers: Gaussian noise of 2%, 3% and 4.5% of the inter-ocular distance, 2% of points
 * grossly misplaced (15–40% off), 0.5% left unlabelled, 10% visibility flips, and a box
 * jittered by 2% of the face size.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Instance } from '../src/core/annotation.js';
import { mergeAnswers, mergePoints } from '../src/core/quality/index.js';
import { mergeEm } from '../src/core/quality/em.js';
import { mergeRobust } from '../src/core/quality/robust-consensus.js';
import { face68 } from '../src/core/templates/face-68.js';
import type { Box, KeypointTemplate, Point, Visibility } from '../src/core/templates/template.js';

const args = process.argv.slice(2);
const GEOMETRIC = args.includes('--geometric');
const FULL = !args.includes('--no-full');
const itemsArg = args.find((a) => !a.startsWith('--'));
const ITEMS = Number(itemsArg ?? 1_000_000);
if (!Number.isInteger(ITEMS) || ITEMS < 1) throw new Error(`items must be a positive integer, got ${itemsArg}`);
const CHUNK = 1_000;
const BATCH = 100;
const WORKERS = 3;
const N = 68;
const SEED = 1;
const NOISE = [0.02, 0.03, 0.045]; // × inter-ocular distance
const GROSS = 0.02;
const MISS = 0.005;
const VIS_FLIP = 0.1;

// ---------------------------------------------------------------------------------
// Seeded PRNG (sfc32) and a Gaussian by Box–Muller.

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
const rand = sfc32(0x9e3779b9, 0x243f6a88, 0xb7e15162, SEED);
for (let i = 0; i < 20; i++) rand();
// Standard normal deviates: a table of 2^16 drawn once by Box–Muller, then picked at
// random (fast enough that generating a million items takes seconds, not minutes).
const NORMALS = new Float64Array(1 << 16);
for (let i = 0; i < NORMALS.length; i += 2) {
  const r = Math.sqrt(-2 * Math.log(1 - rand()));
  const a = 2 * Math.PI * rand();
  NORMALS[i] = r * Math.cos(a);
  NORMALS[i + 1] = r * Math.sin(a);
}
const gauss = () => NORMALS[(rand() * 65536) | 0];

// ---------------------------------------------------------------------------------
// A 68-point mean face in a unit box (iBUG 300-W order), and its template.

function meanFace(): Float64Array {
  const p = new Float64Array(2 * N);
  const set = (i: number, x: number, y: number) => {
    p[2 * i] = x;
    p[2 * i + 1] = y;
  };
  for (let k = 0; k <= 16; k++) {
    const th = Math.PI - (k * Math.PI) / 16;
    set(k, 0.5 + 0.48 * Math.cos(th), 0.35 + 0.6 * Math.sin(th));
  }
  for (let k = 0; k < 5; k++) {
    set(17 + k, 0.12 + 0.075 * k, 0.22 - 0.04 * Math.sin((k * Math.PI) / 4));
    set(22 + k, 0.58 + 0.075 * k, 0.22 - 0.04 * Math.sin(((4 - k) * Math.PI) / 4));
  }
  for (let k = 0; k < 4; k++) set(27 + k, 0.5, 0.3 + 0.085 * k);
  for (let k = 0; k < 5; k++) set(31 + k, 0.4 + 0.05 * k, 0.6 + 0.02 * Math.sin((k * Math.PI) / 4));
  for (const [start, cx] of [
    [36, 0.3],
    [42, 0.7],
  ]) {
    for (let k = 0; k < 6; k++) {
      const th = Math.PI + (k * Math.PI) / 3;
      set(start + k, cx - 0.08 * Math.cos(th), 0.35 + 0.03 * Math.sin(th));
    }
  }
  for (let k = 0; k < 12; k++) {
    const th = Math.PI + (k * Math.PI) / 6;
    set(48 + k, 0.5 + 0.16 * Math.cos(th), 0.75 + 0.07 * Math.sin(th));
  }
  for (let k = 0; k < 8; k++) {
    const th = Math.PI + (k * Math.PI) / 4;
    set(60 + k, 0.5 + 0.1 * Math.cos(th), 0.75 + 0.03 * Math.sin(th));
  }
  return p;
}
const MEAN = meanFace();

const template: Pick<KeypointTemplate, 'points' | 'normalization'> = {
  points: Array.from({ length: N }, (_, i) => ({
    id: `p${i}`,
    name: { zh: `点${i}`, en: `point ${i}` },
    group: 'face',
    side: 'center' as const,
    color: '#ff0000',
    sigma: 0.025,
    ref: [MEAN[2 * i], MEAN[2 * i + 1]] as [number, number],
  })),
  normalization: [36, 45],
};
/** The same faces with face-68's groups and flip pairs, for the swap vote of the robust merge. */
const robustTemplate = { ...template, points: face68.points, flipPairs: face68.flipPairs };

// ---------------------------------------------------------------------------------
// One chunk of items: truth, Instance answers, and the same answers as flat arrays.

interface Chunk {
  size: number;
  truth: Float64Array; // size × N × 3
  iod: Float64Array; // size
  answers: Instance[][][]; // [item][worker] → one instance
  flat: Float64Array[][]; // [item][worker] → view of N × 3
}

function makeChunk(size: number): Chunk {
  const truth = new Float64Array(size * N * 3);
  const iod = new Float64Array(size);
  const flatAll = new Float64Array(size * WORKERS * N * 3);
  const answers: Instance[][][] = [];
  const flat: Float64Array[][] = [];
  for (let it = 0; it < size; it++) {
    const s = 60 + 240 * rand();
    const cx = 150 + 700 * rand();
    const cy = 150 + 700 * rand();
    const rot = ((rand() - 0.5) * Math.PI) / 6;
    const cos = Math.cos(rot);
    const sin = Math.sin(rot);
    const t = it * N * 3;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < N; i++) {
      const u = (MEAN[2 * i] - 0.5 + 0.01 * gauss()) * s;
      const v = (MEAN[2 * i + 1] - 0.5 + 0.01 * gauss()) * s;
      const x = cx + cos * u - sin * v;
      const y = cy + sin * u + cos * v;
      truth[t + 3 * i] = x;
      truth[t + 3 * i + 1] = y;
      truth[t + 3 * i + 2] = rand() < 0.05 ? 1 : 2;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    const d = Math.hypot(truth[t + 36 * 3] - truth[t + 45 * 3], truth[t + 36 * 3 + 1] - truth[t + 45 * 3 + 1]);
    iod[it] = d;
    const itemAnswers: Instance[][] = [];
    const itemFlat: Float64Array[] = [];
    for (let w = 0; w < WORKERS; w++) {
      const off = (it * WORKERS + w) * N * 3;
      const view = flatAll.subarray(off, off + N * 3);
      const points: Point[] = new Array(N);
      for (let i = 0; i < N; i++) {
        let x = truth[t + 3 * i] + NOISE[w] * d * gauss();
        let y = truth[t + 3 * i + 1] + NOISE[w] * d * gauss();
        let v = truth[t + 3 * i + 2] as Visibility;
        if (rand() < GROSS) {
          const a = 2 * Math.PI * rand();
          const r = (0.15 + 0.25 * rand()) * d;
          x += r * Math.cos(a);
          y += r * Math.sin(a);
        }
        if (rand() < VIS_FLIP) v = v === 2 ? 1 : 2;
        if (rand() < MISS) {
          x = 0;
          y = 0;
          v = 0;
        }
        points[i] = [x, y, v];
        view[3 * i] = x;
        view[3 * i + 1] = y;
        view[3 * i + 2] = v;
      }
      const w0 = x1 - x0;
      const h0 = y1 - y0;
      const j = 0.02 * Math.max(w0, h0);
      const bbox: Box = [x0 + j * gauss(), y0 + j * gauss(), w0 * (1 + 0.02 * gauss()), h0 * (1 + 0.02 * gauss())];
      itemAnswers.push([{ bbox, points }]);
      itemFlat.push(view);
    }
    answers.push(itemAnswers);
    flat.push(itemFlat);
  }
  return { size, truth, iod, answers, flat };
}

// ---------------------------------------------------------------------------------
// Baselines: a plain mean of the labelled points, on Instances and on flat arrays.

function meanInstances(answers: Instance[][]): Point[] {
  const out: Point[] = new Array(N);
  for (let i = 0; i < N; i++) {
    let sx = 0;
    let sy = 0;
    let c = 0;
    for (let w = 0; w < answers.length; w++) {
      const p = answers[w][0].points[i];
      if (p[2] > 0) {
        sx += p[0];
        sy += p[1];
        c++;
      }
    }
    out[i] = c > 0 ? [sx / c, sy / c, 2] : [0, 0, 0];
  }
  return out;
}

function meanFlat(rows: Float64Array[], out: Float64Array): void {
  for (let o = 0; o < 3 * N; o += 3) {
    let sx = 0;
    let sy = 0;
    let c = 0;
    for (let w = 0; w < rows.length; w++) {
      const r = rows[w];
      if (r[o + 2] > 0) {
        sx += r[o];
        sy += r[o + 1];
        c++;
      }
    }
    out[o] = c > 0 ? sx / c : 0;
    out[o + 1] = c > 0 ? sy / c : 0;
    out[o + 2] = c > 0 ? 2 : 0;
  }
}

// ---------------------------------------------------------------------------------
// Error against the truth: NME over the true points, a missing estimate scoring 1.0.

class ErrorStats {
  sum = 0;
  count = 0;
  failures = 0;
  add(nmeValue: number) {
    this.sum += nmeValue;
    this.count++;
    if (nmeValue > 0.08) this.failures++;
  }
}

function nmeOf(c: Chunk, item: number, pts: Point[]): number {
  const t = item * N * 3;
  let s = 0;
  for (let i = 0; i < N; i++) {
    const p = pts[i];
    s += p[2] > 0 ? Math.hypot(p[0] - c.truth[t + 3 * i], p[1] - c.truth[t + 3 * i + 1]) / c.iod[item] : 1;
  }
  return s / N;
}

function nmeOfFlat(c: Chunk, item: number, fl: Float64Array): number {
  const t = item * N * 3;
  let s = 0;
  for (let i = 0; i < N; i++) {
    s +=
      fl[3 * i + 2] > 0
        ? Math.hypot(fl[3 * i] - c.truth[t + 3 * i], fl[3 * i + 1] - c.truth[t + 3 * i + 1]) / c.iod[item]
        : 1;
  }
  return s / N;
}

// ---------------------------------------------------------------------------------

interface Row {
  name: string;
  wall: number;
  cpu: number;
  err: ErrorStats;
}
const row = (name: string): Row => ({ name, wall: 0, cpu: 0, err: new ErrorStats() });
const meanRow = row('baseline: mean of workers (Instance[])');
const mergeRow = row('mergeAnswers (median, full)');
const meanFlatRow = row('baseline: mean of workers (flat)');
const pointsRow = row('mergePoints (median, flat)');
const geoRow = row('mergeAnswers (geometric median, full)');
const robustRow = row('mergeRobust (EM, full)');
const emRow = row('mergeEm (EM, flat)');
const rows = [
  meanRow,
  ...(FULL ? [mergeRow] : []),
  meanFlatRow,
  pointsRow,
  ...(GEOMETRIC ? [geoRow] : []),
  ...(FULL ? [robustRow] : []),
  emRow,
];
const workerErr = Array.from({ length: WORKERS }, () => new ErrorStats());

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let w0 = 0;
let c0 = 0;
const start = () => {
  w0 = performance.now();
  c0 = cpuNow();
};
const stop = (r: Row) => {
  r.cpu += cpuNow() - c0;
  r.wall += (performance.now() - w0) / 1000;
};

// A full collection after generating each chunk (untimed), so that the generator's
// garbage is not collected inside the timed sections; each method still pays for the
// collection of its own garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
console.log(
  `consensus benchmark: ${fmt(ITEMS)} items × ${WORKERS} workers × ${N} points ` +
    `(seed ${SEED}, chunks of ${fmt(CHUNK)}, timed in batches of ${BATCH})`,
);
console.log(`node ${process.version}, ${process.arch}`);

const flatOut = Array.from({ length: BATCH }, () => new Float64Array(3 * N));
const meanOut: Point[][] = new Array(BATCH);
const merged: ReturnType<typeof mergeAnswers>[] = new Array(BATCH);
const robust: ReturnType<typeof mergeRobust>[] = new Array(BATCH);
let robustNotOne = 0;
let robustAgreementSum = 0;
const geometric = { method: 'geometric-median' } as const;
let genSeconds = 0;
let notOne = 0;
let agreementSum = 0;
const wallStart = performance.now();
const cpuStart = cpuNow();
for (let done = 0; done < ITEMS; done += CHUNK) {
  const size = Math.min(CHUNK, ITEMS - done);
  const g0 = performance.now();
  const c = makeChunk(size);
  gc();
  genSeconds += (performance.now() - g0) / 1000;

  // Timed in batches whose outputs are checked, then dropped, before the next batch:
  // results die young, as they would in a service that stores and forgets them.
  for (let b0 = 0; b0 < size; b0 += BATCH) {
    const b1 = Math.min(size, b0 + BATCH);

    start();
    for (let k = b0; k < b1; k++) meanOut[k - b0] = meanInstances(c.answers[k]);
    stop(meanRow);
    for (let k = b0; k < b1; k++) meanRow.err.add(nmeOf(c, k, meanOut[k - b0]));

    if (FULL) {
      start();
      for (let k = b0; k < b1; k++) merged[k - b0] = mergeAnswers(c.answers[k], template);
      stop(mergeRow);
      for (let k = b0; k < b1; k++) {
        const r = merged[k - b0];
        if (r.instances.length !== 1) notOne++;
        agreementSum += r.agreement;
        mergeRow.err.add(r.instances.length > 0 ? nmeOf(c, k, r.instances[0].points) : 1);
      }

      start();
      for (let k = b0; k < b1; k++) robust[k - b0] = mergeRobust(c.answers[k], robustTemplate);
      stop(robustRow);
      for (let k = b0; k < b1; k++) {
        const r = robust[k - b0];
        if (r.instances.length !== 1) robustNotOne++;
        robustAgreementSum += r.agreement;
        robustRow.err.add(r.instances.length > 0 ? nmeOf(c, k, r.instances[0].points) : 1);
      }
    }

    start();
    for (let k = b0; k < b1; k++) meanFlat(c.flat[k], flatOut[k - b0]);
    stop(meanFlatRow);
    for (let k = b0; k < b1; k++) meanFlatRow.err.add(nmeOfFlat(c, k, flatOut[k - b0]));

    start();
    for (let k = b0; k < b1; k++) mergePoints(c.flat[k], flatOut[k - b0]);
    stop(pointsRow);
    for (let k = b0; k < b1; k++) pointsRow.err.add(nmeOfFlat(c, k, flatOut[k - b0]));

    start();
    for (let k = b0; k < b1; k++) mergeEm(c.flat[k], robustTemplate, flatOut[k - b0]);
    stop(emRow);
    for (let k = b0; k < b1; k++) emRow.err.add(nmeOfFlat(c, k, flatOut[k - b0]));

    if (GEOMETRIC) {
      start();
      for (let k = b0; k < b1; k++) merged[k - b0] = mergeAnswers(c.answers[k], template, geometric);
      stop(geoRow);
      for (let k = b0; k < b1; k++) {
        const r = merged[k - b0];
        geoRow.err.add(r.instances.length > 0 ? nmeOf(c, k, r.instances[0].points) : 1);
      }
    }

    for (let k = b0; k < b1; k++) {
      for (let w = 0; w < WORKERS; w++) workerErr[w].add(nmeOf(c, k, c.answers[k][w][0].points));
    }
  }
}
const wall = (performance.now() - wallStart) / 1000;
const cpu = cpuNow() - cpuStart;

const cols = (cells: [string, number][]) => cells.map(([s, n]) => (n < 0 ? s.padEnd(-n) : s.padStart(n))).join('');
const pct = (e: ErrorStats) => ((100 * e.failures) / e.count).toFixed(2) + '%';
console.log('');
console.log(
  cols([
    ['method', -40],
    ['CPU s', 8],
    ['wall s', 8],
    ['items/s (CPU)', 15],
    ['µs/item', 9],
    ['NME', 9],
    ['fail@0.08', 11],
  ]),
);
for (const r of rows) {
  console.log(
    cols([
      [r.name, -40],
      [r.cpu.toFixed(2), 8],
      [r.wall.toFixed(2), 8],
      [fmt(ITEMS / r.cpu), 15],
      [((r.cpu / ITEMS) * 1e6).toFixed(2), 9],
      [(r.err.sum / r.err.count).toFixed(4), 9],
      [pct(r.err), 11],
    ]),
  );
}
workerErr.forEach((e, w) =>
  console.log(
    cols([
      [`worker ${w} alone (noise ${NOISE[w]} × IOD)`, -40],
      ['', 39],
      [(e.sum / e.count).toFixed(4), 9],
      [pct(e), 11],
    ]),
  ),
);
console.log('');
if (FULL) {
  console.log(`mergeAnswers / plain mean (Instance[]): ${(mergeRow.cpu / meanRow.cpu).toFixed(2)}× the CPU time`);
  console.log(`mergeRobust / mergeAnswers:             ${(robustRow.cpu / mergeRow.cpu).toFixed(2)}× the CPU time`);
}
console.log(`mergePoints / plain mean (flat):        ${(pointsRow.cpu / meanFlatRow.cpu).toFixed(2)}× the CPU time`);
console.log(`mergeEm / mergePoints (flat):           ${(emRow.cpu / pointsRow.cpu).toFixed(2)}× the CPU time`);
if (FULL) {
  console.log(
    `items not merged into exactly one instance: ${notOne} (mergeAnswers), ${robustNotOne} (mergeRobust); ` +
      `mean item agreement ${(agreementSum / ITEMS).toFixed(4)} (mergeAnswers), ${(robustAgreementSum / ITEMS).toFixed(4)} (mergeRobust)`,
  );
}
console.log(
  `generation + gc (untimed) ${genSeconds.toFixed(2)} s; whole run ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU; ` +
    `heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
