import { describe, expect, it } from 'vitest';
import { mergeAttributes, resolveAttributes, type AttributeObservation } from './attributes.js';

describe('mergeAttributes', () => {
  it('takes the weighted majority per key, ties to the first value', () => {
    expect(mergeAttributes([{ glasses: 'yes', mask: 'no' }, { glasses: 'no' }, { glasses: 'yes' }])).toEqual({
      glasses: 'yes',
      mask: 'no',
    });
    expect(mergeAttributes([{ glasses: 'yes' }, { glasses: 'no' }, undefined], [1, 3, 1])).toEqual({ glasses: 'no' });
    expect(mergeAttributes([{ glasses: 'yes' }, { glasses: 'no' }])).toEqual({ glasses: 'no' });
  });
});

describe('resolveAttributes', () => {
  it('recovers the truth where two unreliable workers outvote a reliable one', () => {
    // 30 faces; truth alternates yes/no. Worker 0 is always right. Worker 1 is wrong on
    // faces 0–8, worker 2 on faces 9–17, and both agree on the wrong answer on 18–20:
    // majority vote fails there; Dawid–Skene learns that 1 and 2 are unreliable.
    const truth = (i: number) => (i % 2 === 0 ? 'yes' : 'no');
    const flip = (v: string) => (v === 'yes' ? 'no' : 'yes');
    const obs: AttributeObservation[] = [];
    for (let i = 0; i < 30; i++) {
      obs.push({ instance: `f${i}`, worker: 0, key: 'glasses', value: truth(i) });
      for (const w of [1, 2]) {
        const wrong = (i >= 18 && i < 21) || (w === 1 && i < 9) || (w === 2 && i >= 9 && i < 18);
        obs.push({ instance: `f${i}`, worker: w, key: 'glasses', value: wrong ? flip(truth(i)) : truth(i) });
      }
    }
    const byMajority = new Map<string, string>();
    for (let i = 0; i < 30; i++)
      byMajority.set(
        `f${i}`,
        mergeAttributes(obs.filter((o) => o.instance === `f${i}`).map((o) => ({ [o.key]: o.value }))).glasses,
      );
    expect([...byMajority].filter(([k, v]) => v !== truth(Number(k.slice(1)))).length).toBe(3);
    const resolved = resolveAttributes(obs);
    for (let i = 0; i < 30; i++) expect(resolved.get(`f${i}`)).toEqual({ glasses: truth(i) });
  });
});
