import { describe, expect, it } from 'vitest';
import type { Instance } from '../annotation.js';
import { face68 } from '../templates/index.js';
import { mergeAnswers } from './consensus.js';
import { BROWS, errorOf, FaceSim } from './face-fixture.js';
import { clusterInstances } from './instance-clusters.js';
import { mergeRobust } from './robust-consensus.js';

const sim = new FaceSim(21);
const truth = sim.face(200, 100, 100);
const careful = () => [sim.answer(truth, 0.012)];

describe('mergeRobust: a stray answer', () => {
  it('moves the agreement by less than 10 % where the old merge halves it (a face nobody else saw)', () => {
    const answers: Instance[][] = [careful(), careful(), careful()];
    const before = mergeRobust(answers, face68).agreement;
    // A fourth worker marks one face far from the real one.
    const stray = [...answers, [sim.answer(sim.face(120, 600, 500), 0.012, [], 120)]];
    const after = mergeRobust(stray, face68);
    expect(after.instances).toHaveLength(1);
    expect(after.unmerged).toHaveLength(1);
    expect(Math.abs(after.agreement - before) / before).toBeLessThan(0.1);
    const old = mergeAnswers(stray, face68).agreement / mergeAnswers(answers, face68).agreement;
    expect(old).toBeLessThan(0.6);
  });

  it('moves the agreement by less than 10 % when the stray is random clicks on the same face', () => {
    const answers: Instance[][] = [careful(), careful(), careful()];
    const before = mergeRobust(answers, face68).agreement;
    const inFace: Instance = {
      bbox: [100, 100, 200, 200],
      points: truth.points.map(() => [100 + sim.rand() * 200, 100 + sim.rand() * 200, 2]),
    };
    const after = mergeRobust([...answers, [inFace]], face68);
    expect(after.instances[0].workers[3]?.dropped).toBe(true);
    expect(Math.abs(after.agreement - before) / before).toBeLessThan(0.1);
    // …and the consensus stays as good as without it.
    expect(errorOf(after.instances[0], truth)).toBeLessThan(
      1.1 * errorOf(mergeRobust(answers, face68).instances[0], truth),
    );
  });

  it('matches instances whichever answer the stray comes first in', () => {
    // The stray worker drew two faces (the old merge would take it as the pivot).
    const stray = [
      sim.answer(sim.face(120, 600, 500), 0.012, [], 120),
      sim.answer(sim.face(90, 650, 100), 0.012, [], 90),
    ];
    const answers: Instance[][] = [stray, careful(), careful()];
    const r = mergeRobust(answers, face68);
    expect(r.instances).toHaveLength(1);
    expect(r.instances[0].members).toEqual([-1, 0, 0]);
    expect(r.agreement).toBeGreaterThan(0.8);
  });

  it('clusters by average linkage: one instance per worker, strays alone', () => {
    const far = sim.answer(sim.face(120, 600, 500), 0.012, [], 120);
    // In the order of their first instance: worker 0's stray first, then the face all three saw.
    expect(clusterInstances([[far, ...careful()], careful(), careful()], face68)).toEqual([
      [0, -1, -1],
      [1, 0, 0],
    ]);
  });
});

describe('mergeRobust: swaps', () => {
  it('reports the worker whose eyebrows were flipped back, and keeps them out of the consensus', () => {
    const answers: Instance[][] = [careful(), careful(), [sim.answer(truth, 0.012, BROWS)]];
    const r = mergeRobust(answers, face68);
    expect(r.instances[0].workers.map((w) => w?.swappedPairs.length)).toEqual([0, 0, 5]);
    expect(errorOf(r.instances[0], truth)).toBeLessThan(0.03);
    // The old merge takes the median with the mirrored eyebrows in it.
    expect(errorOf(mergeAnswers(answers, face68).instances[0], truth)).toBeGreaterThan(errorOf(r.instances[0], truth));
  });

  it('scores an item where nobody found a face as full agreement, and one where no face has a majority as none', () => {
    expect(mergeRobust([[], [], []], face68).agreement).toBe(1);
    const lone = mergeRobust([careful(), [], []], face68);
    expect(lone.instances).toHaveLength(0);
    expect(lone.agreement).toBe(0);
  });
});
