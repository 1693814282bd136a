import { describe, expect, it } from 'vitest';
import type { AnnotationData } from '../annotation.js';
import { face68 } from '../templates/index.js';
import { FaceSim } from './face-fixture.js';
import { peerScores } from './peer.js';
import {
  judgeStanding,
  PEER_WINDOW,
  peerThresholdsProblem,
  type StandingRules,
  type StandingVerdict,
  tooFast,
  workerSigma,
} from './standing-rules.js';

const rules: StandingRules = {
  peerWarnBelow: 0.5,
  peerSuspendBelow: 0.3,
  peerMin: 10,
  swapSuspendShare: 0.2,
  fastSuspendAfter: 5,
};
const calm = { peerCount: 20, peerScore: 0.9, swapChecks: 20, swaps: 0, fastCount: 0 };

describe('judgeStanding', () => {
  it('leaves a careful record alone and waits for enough peer scores', () => {
    expect(judgeStanding(calm, rules)).toEqual({ status: 'active', rule: null, reason: null });
    expect(judgeStanding({ ...calm, peerCount: 9, peerScore: 0 }, rules).status).toBe('active');
  });

  it('warns and suspends on peers, swaps and speed, the harshest verdict first', () => {
    expect(judgeStanding({ ...calm, peerScore: 0.4 }, rules)).toMatchObject({ status: 'warned', rule: 'peer' });
    expect(judgeStanding({ ...calm, peerScore: 0.1 }, rules)).toMatchObject({
      status: 'suspended',
      reason: 'peer_below_suspension',
    });
    expect(judgeStanding({ ...calm, swaps: 2 }, rules)).toMatchObject({ status: 'warned', rule: 'swap' });
    expect(judgeStanding({ ...calm, swaps: 4 }, rules)).toMatchObject({ status: 'suspended', rule: 'swap' });
    expect(judgeStanding({ ...calm, swaps: 3, swapChecks: 3 }, rules).status).toBe('suspended');
    expect(judgeStanding({ ...calm, fastCount: 1, peerScore: 0.45 }, rules).status).toBe('warned');
    expect(judgeStanding({ ...calm, fastCount: 5, peerScore: 0.45 }, rules)).toMatchObject({ rule: 'fast' });
  });

  it('turns rules off with 0', () => {
    const off = { ...rules, peerWarnBelow: 0, peerSuspendBelow: 0, swapSuspendShare: 0, fastSuspendAfter: 0 };
    expect(judgeStanding({ ...calm, peerScore: 0, swaps: 9 }, off).status).toBe('active');
    expect(judgeStanding({ ...calm, fastCount: 9 }, off).status).toBe('warned');
  });

  it('refuses peer thresholds that would suspend before warning', () => {
    expect(peerThresholdsProblem(0.5, 0.3)).toBeNull();
    expect(peerThresholdsProblem(0.3, 0.5)).toMatch(/suspended below 50 % agreement with peers/);
    expect(peerThresholdsProblem(0, 0.5)).toBeNull();
  });

  it('reads speed per placed point, and the error scale as a median', () => {
    expect(tooFast(3_000, 68, 100)).toBe(true);
    expect(tooFast(7_000, 68, 100)).toBe(false);
    expect(tooFast(100, 0, 100)).toBe(false);
    expect(tooFast(1, 68, 0)).toBe(false);
    const s = workerSigma([0.028, 0.9], [0.021, 0.024], 68)!;
    expect(s.points).toBe(204);
    expect(s.sigma).toBeCloseTo((0.024 + 0.028 / Math.sqrt(Math.PI / 2)) / 2, 6);
    expect(workerSigma([], [], 68)).toBeNull();
  });
});

describe('peer agreement between gold checks (simulated crowd)', () => {
  it('catches a worker careless between gold checks, and never warns a careful one', () => {
    const sim = new FaceSim(77);
    // Five careful workers, two sloppy ones, and one who is careful only on gold (never seen here).
    const crowd = [0.012, 0.014, 0.015, 0.016, 0.018, 0.03, 0.035, NaN];
    const careless = crowd.length - 1;
    const window: number[][] = crowd.map(() => []);
    const verdicts: StandingVerdict[][] = crowd.map(() => []);
    let caughtAfter: number | null = null;
    for (let item = 0; item < 300; item++) {
      const truth = sim.face(100 + (item % 7) * 25);
      const who = new Set<number>();
      while (who.size < 3) who.add(Math.floor(sim.rand() * crowd.length));
      const workers = [...who];
      const answers: AnnotationData[] = workers.map((w) => ({
        instances: [Number.isNaN(crowd[w]) ? sim.random() : sim.answer(truth, crowd[w], [], 100 + (item % 7) * 25)],
      }));
      peerScores(answers, face68).forEach((s, k) => {
        if (s.score === null) return;
        const w = workers[k];
        window[w] = [s.score, ...window[w]].slice(0, PEER_WINDOW);
        const peerScore = window[w].reduce((a, b) => a + b, 0) / window[w].length;
        const v = judgeStanding(
          { peerCount: window[w].length, peerScore, swapChecks: 0, swaps: 0, fastCount: 0 },
          rules,
        );
        verdicts[w].push(v);
        if (w === careless && v.status === 'suspended' && caughtAfter === null) caughtAfter = item + 1;
      });
    }
    expect(caughtAfter).not.toBeNull();
    // He answers about 3 / 8 of the items: ten credible scores come within some 40 items.
    expect(caughtAfter!).toBeLessThan(60);
    for (let w = 0; w < 5; w++)
      expect(
        verdicts[w].every((v) => v.status === 'active'),
        `careful ${w}`,
      ).toBe(true);
  });
});
