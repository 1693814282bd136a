import { describe, expect, it } from 'vitest';
import type { AnnotationData } from '../annotation.js';
import { face68 } from '../templates/index.js';
import { EYES, FaceSim } from './face-fixture.js';
import { peerScores } from './peer.js';

const sim = new FaceSim(33);
const data = (inst: AnnotationData['instances'][number]): AnnotationData => ({ instances: [inst] });

describe('peerScores (leave one out)', () => {
  it('scores careful answers high, random clicks near 0 and names a swap against the others', () => {
    const truth = sim.face();
    const answers = [
      data(sim.answer(truth, 0.012)),
      data(sim.answer(truth, 0.015)),
      data(sim.answer(truth, 0.015)),
      data(sim.answer(truth, 0.012, EYES)),
      data(sim.random()),
    ];
    const s = peerScores(answers, face68);
    expect(s.every((x) => x.credible)).toBe(true);
    for (const k of [0, 1, 2]) expect(s[k].score).toBeGreaterThan(0.8);
    expect(s[3].swapRegions).toEqual(['eye']);
    expect(s[4].score).toBeLessThan(0.1);
  });

  it('does not score a careful worker whose two peers make no credible consensus', () => {
    const truth = sim.face();
    const s = peerScores([data(sim.answer(truth, 0.012)), data(sim.random()), data(sim.random())], face68);
    expect(s[0]).toEqual({ score: null, nme: null, swapRegions: [], credible: false });
  });

  it('does not score against two peers who disagree on a swap', () => {
    const truth = sim.face();
    const s = peerScores(
      [data(sim.answer(truth, 0.012)), data(sim.answer(truth, 0.012, EYES)), data(sim.answer(truth, 0.02))],
      face68,
      [null, { sigma: 0.01, points: 400 }, { sigma: 0.05, points: 400 }],
    );
    expect(s[0].credible).toBe(false);
    expect(s[1].swapRegions).toEqual(['eye']);
  });

  it('trusts a single other answer only from a worker with a good record', () => {
    const truth = sim.face();
    const two = [data(sim.answer(truth, 0.012)), data(sim.random())];
    expect(peerScores(two, face68).map((x) => x.credible)).toEqual([false, false]);
    const s = peerScores(two, face68, [{ sigma: 0.02, points: 204 }, null]);
    expect(s[0].credible).toBe(false);
    expect(s[1].credible).toBe(true);
    expect(s[1].score).toBeLessThan(0.1);
  });
});
