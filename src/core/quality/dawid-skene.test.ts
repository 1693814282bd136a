import { describe, expect, it } from 'vitest';
import { dawidSkene, majorityVote, type LabelTriple } from './dawid-skene.js';

describe('majorityVote', () => {
  it('takes the most frequent label and breaks ties towards the lowest class', () => {
    const r = majorityVote(
      [
        [0, 0, 1],
        [0, 1, 1],
        [0, 2, 0],
        [1, 0, 2],
        [1, 1, 1],
      ],
      { classes: 3, items: 3 },
    );
    expect(r.labels).toEqual([1, 1, -1]);
    expect(r.posterior[0]).toEqual([1 / 3, 2 / 3, 0]);
    expect(r.posterior[1]).toEqual([0, 0.5, 0.5]);
    expect(r.posterior[2]).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('refuses labels out of range', () => {
    expect(() => majorityVote([[0, 0, 2]], { classes: 2 })).toThrow(RangeError);
    expect(() => majorityVote([[0, -1, 0]], { classes: 2 })).toThrow(RangeError);
    expect(() => majorityVote([[3, 0, 0]], { classes: 2, items: 2 })).toThrow(RangeError);
  });
});

describe('dawidSkene', () => {
  it('agrees with a unanimous crowd', () => {
    const triples: LabelTriple[] = [];
    const truth = [0, 1, 2, 1, 0, 2];
    truth.forEach((t, i) => {
      for (let w = 0; w < 3; w++) triples.push([i, w, t]);
    });
    const r = dawidSkene(triples, { classes: 3 });
    expect(r.labels).toEqual(truth);
    expect(r.converged).toBe(true);
    for (let i = 0; i < truth.length; i++) expect(r.posterior[i][truth[i]]).toBeGreaterThan(0.99);
    for (const m of r.confusion) for (let t = 0; t < 3; t++) expect(m[t][t]).toBeGreaterThan(0.9);
    expect(r.priors.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('recovers the truth where two careless workers outvote a reliable one', () => {
    // 30 binary items, truth alternating 0/1. Worker 0 is always right. Worker 1 is wrong
    // alone on items 0–8, worker 2 wrong alone on items 9–17, and both are wrong together
    // on items 18–20, where majority vote therefore picks the wrong class. Because workers
    // 1 and 2 keep contradicting each other on items 0–17 while worker 0 always sides with
    // the majority there, EM learns that worker 0 is reliable and 1 and 2 are not (each
    // ~60% right), and worker 0's single vote then outweighs theirs on items 18–20.
    const N = 30;
    const truth = Array.from({ length: N }, (_, i) => i % 2);
    const triples: LabelTriple[] = [];
    for (let i = 0; i < N; i++) {
      const t = truth[i];
      const oneWrong = i < 9 || (i >= 18 && i < 21);
      const twoWrong = i >= 9 && i < 21;
      triples.push([i, 0, t], [i, 1, oneWrong ? 1 - t : t], [i, 2, twoWrong ? 1 - t : t]);
    }
    const mv = majorityVote(triples, { classes: 2 });
    const wrongMv = mv.labels.flatMap((l, i) => (l !== truth[i] ? [i] : []));
    expect(wrongMv).toEqual([18, 19, 20]);

    const ds = dawidSkene(triples, { classes: 2 });
    expect(ds.labels).toEqual(truth);
    expect(ds.converged).toBe(true);
    for (const i of [18, 19, 20]) expect(ds.posterior[i][truth[i]]).toBeGreaterThan(0.9);
    // Worker 0's confusion is close to the identity; workers 1 and 2 are far from it.
    expect(ds.confusion[0][0][0]).toBeGreaterThan(0.95);
    expect(ds.confusion[0][1][1]).toBeGreaterThan(0.95);
    for (const w of [1, 2]) expect((ds.confusion[w][0][0] + ds.confusion[w][1][1]) / 2).toBeLessThan(0.7);
    // Each row of a confusion matrix is a distribution.
    for (const m of ds.confusion) for (const row of m) expect(row[0] + row[1]).toBeCloseTo(1, 12);
  });

  it('leaves an unlabelled item at -1 with the class priors as its posterior', () => {
    const r = dawidSkene(
      [
        [0, 0, 1],
        [0, 1, 1],
        [2, 0, 0],
      ],
      { classes: 2, items: 3 },
    );
    expect(r.labels[1]).toBe(-1);
    expect(r.posterior[1][0]).toBeCloseTo(r.priors[0], 12);
    expect(r.posterior[1][1]).toBeCloseTo(r.priors[1], 12);
  });
});
