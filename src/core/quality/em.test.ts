import { describe, expect, it } from 'vitest';
import { mergePoints } from './consensus.js';
import { face68 } from '../templates/index.js';
import { mergeEm, type WorkerPrior } from './em.js';
import { BROWS, EYES, errorOf, FaceSim, flatOf } from './face-fixture.js';
import type { Instance } from '../annotation.js';

const toInstance = (row: Float64Array): Instance => ({
  bbox: null,
  points: Array.from({ length: row.length / 3 }, (_, i) => [row[3 * i], row[3 * i + 1], row[3 * i + 2]] as never),
});

/** Mean error of the EM and of the plain median over `n` items answered by workers of the given σs. */
function errors(
  sigmas: number[],
  n: number,
  priors?: (WorkerPrior | null)[],
  swap?: (w: number, k: number) => number[],
) {
  const sim = new FaceSim(11);
  const out = new Float64Array(3 * 68);
  const med = new Float64Array(3 * 68);
  let em = 0;
  let median = 0;
  let best = 0;
  for (let k = 0; k < n; k++) {
    const truth = sim.face(120 + (k % 5) * 30);
    const size = 120 + (k % 5) * 30;
    const rows = sigmas.map((s, w) => flatOf(sim.answer(truth, s, swap?.(w, k) ?? [], size)));
    mergeEm(rows, face68, out, priors);
    mergePoints(rows, med);
    em += errorOf(toInstance(out), truth);
    median += errorOf(toInstance(med), truth);
    best += errorOf(toInstance(rows[0]), truth);
  }
  return { em: em / n, median: median / n, best: best / n };
}

describe('mergeEm', () => {
  it('weighs a careful worker above two sloppy ones and beats her alone', () => {
    const careful: WorkerPrior = { sigma: 0.022, points: 204 };
    const sloppy: WorkerPrior = { sigma: 0.07, points: 204 };
    const r = errors([0.012, 0.035, 0.035], 200, [careful, sloppy, sloppy]);
    // Inverse-variance weights can do at best 0.90 × her error here.
    expect(r.em).toBeLessThan(0.95 * r.best);
    expect(r.em).toBeLessThan(0.75 * r.median);
  });

  it('beats the median on three careful workers with no history at all', () => {
    const r = errors([0.012, 0.015, 0.015], 200);
    expect(r.em).toBeLessThan(0.92 * r.median);
  });

  it('flips a swapped region back instead of averaging it in', () => {
    const r = errors([0.012, 0.015, 0.015], 100, undefined, (w, k) => (w === 2 ? (k % 2 ? BROWS : EYES) : []));
    const clean = errors([0.012, 0.015, 0.015], 100);
    expect(r.em).toBeLessThan(1.05 * clean.em);
  });

  it('is bounded: one worker however trusted cannot outvote two others on a swap', () => {
    const sim = new FaceSim(5);
    const truth = sim.face();
    const swapper = flatOf(sim.answer(truth, 0.01, BROWS));
    const rows = [swapper, flatOf(sim.answer(truth, 0.03)), flatOf(sim.answer(truth, 0.03))];
    const out = new Float64Array(3 * 68);
    // Her history says she is ten times as precise as the other two.
    const r = mergeEm(rows, face68, out, [
      { sigma: 0.005, points: 2000 },
      { sigma: 0.05, points: 2000 },
      { sigma: 0.05, points: 2000 },
    ]);
    expect(r.members[0].swappedPairs).toHaveLength(5);
    expect(r.members[1].swappedPairs).toEqual([]);
    // The brows of the consensus are where the truth has them, not mirrored.
    for (const i of BROWS) expect(Math.abs(out[3 * i] - truth.points[i][0])).toBeLessThan(10);
  });

  it('drops a random clicker and keeps his points out of the merge', () => {
    const sim = new FaceSim(9);
    const truth = sim.face();
    const rows = [flatOf(sim.answer(truth, 0.012)), flatOf(sim.answer(truth, 0.015)), flatOf(sim.random())];
    const out = new Float64Array(3 * 68);
    const r = mergeEm(rows, face68, out);
    expect(r.members.map((m) => m.dropped)).toEqual([false, false, true]);
    expect(r.members[2].itemSigma).toBeGreaterThan(0.5);
    expect(errorOf(toInstance(out), truth)).toBeLessThan(errorOf(toInstance(rows[1]), truth));
  });

  it('with two answers disagreeing on a swap, believes the one with the better history', () => {
    const sim = new FaceSim(4);
    const truth = sim.face();
    const rows = [flatOf(sim.answer(truth, 0.012, EYES)), flatOf(sim.answer(truth, 0.012))];
    const out = new Float64Array(3 * 68);
    const r = mergeEm(rows, face68, out, [
      { sigma: 0.06, points: 200 },
      { sigma: 0.02, points: 200 },
    ]);
    expect(r.members[0].swappedPairs).toHaveLength(6);
    expect(r.members[1].swappedPairs).toEqual([]);
  });

  it('leaves its input rows alone', () => {
    const sim = new FaceSim(2);
    const truth = sim.face();
    const rows = [
      flatOf(sim.answer(truth, 0.01, BROWS)),
      flatOf(sim.answer(truth, 0.01)),
      flatOf(sim.answer(truth, 0.01)),
    ];
    const copy = rows.map((r) => Array.from(r));
    mergeEm(rows, face68, new Float64Array(3 * 68));
    expect(rows.map((r) => Array.from(r))).toEqual(copy);
  });
});
