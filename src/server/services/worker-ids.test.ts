import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkerIds } from './worker-ids.js';

describe('WorkerIds', () => {
  const ids = new WorkerIds(randomBytes(32));

  it('maps leases and answers one to one and back, within path-id range', () => {
    const seen = new Set<number>();
    for (const id of [1, 2, 3, 1000, 65_535, 65_536, 2 ** 31 - 2, 2 ** 31 - 1]) {
      for (const [enc, dec] of [
        [ids.assignment(id), ids.assignmentOf(ids.assignment(id))],
        [ids.annotation(id), ids.annotationOf(ids.annotation(id))],
      ]) {
        expect(enc).toBeGreaterThanOrEqual(1);
        expect(enc).toBeLessThanOrEqual(2 ** 31 - 1);
        expect(Number.isInteger(enc)).toBe(true);
        expect(dec).toBe(id);
      }
      seen.add(ids.assignment(id));
    }
    expect(seen.size).toBe(8);
  });

  it('hides the order and spacing of sequential ids', () => {
    const out = Array.from({ length: 2000 }, (_, i) => ids.assignment(i + 1));
    expect(new Set(out).size).toBe(2000);
    // About half of consecutive pairs go up, as for random numbers (±5 σ).
    let ups = 0;
    for (let i = 1; i < out.length; i++) if (out[i] > out[i - 1]) ups++;
    expect(Math.abs(ups - 999.5)).toBeLessThan(5 * Math.sqrt(2000 / 4));
    // Spread over the whole range, not near the ids.
    expect(Math.max(...out)).toBeGreaterThan(2 ** 30);
  });

  it('gives each worker its own id for the same item, and the same one every time', () => {
    expect(ids.item(7, 42)).toBe(ids.item(7, 42));
    expect(ids.itemOf(7, ids.item(7, 42))).toBe(42);
    expect(ids.item(7, 42)).not.toBe(ids.item(8, 42));
    expect(ids.item(7, 42)).not.toBe(ids.assignment(42));
  });

  it('differs between keys', () => {
    const other = new WorkerIds(randomBytes(32));
    expect([1, 2, 3].map((i) => other.assignment(i))).not.toEqual([1, 2, 3].map((i) => ids.assignment(i)));
  });
});
