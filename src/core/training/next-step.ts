/**
 * "What to practise next": the next practice item and the points a worker misses by
 * the most, from her own practice answers.
 */

export interface PracticeItemState {
  id: number;
  /** Her best practice score on it (0–1), null when not yet tried. */
  best: number | null;
}

/** A practice score at or above this counts as mastered. */
export const PRACTICE_GOOD = 0.85;

/**
 * The first untried practice item, else the weakest one below `PRACTICE_GOOD`, else
 * null (every item mastered).
 *
 * @example nextPracticeItem([{ id: 1, best: 0.9 }, { id: 2, best: 0.5 }]) // → 2
 */
export function nextPracticeItem(items: readonly PracticeItemState[]): number | null {
  const untried = items.find((i) => i.best === null);
  if (untried) return untried.id;
  let worst: PracticeItemState | null = null;
  for (const i of items) if (i.best! < PRACTICE_GOOD && (!worst || i.best! < worst.best!)) worst = i;
  return worst ? worst.id : null;
}

/**
 * Template point indices by mean pixel error over her practice answers, worst first;
 * `errors` holds one list of `[pointIndex, px]` per answer.
 *
 * @example weakestPoints([[[36, 12], [45, 3]], [[36, 8]]], 1) // → [{ index: 36, meanPx: 10, n: 2 }]
 */
export function weakestPoints(
  errors: readonly (readonly (readonly [number, number])[])[],
  limit = 5,
): { index: number; meanPx: number; n: number }[] {
  const sum = new Map<number, { s: number; n: number }>();
  for (const answer of errors) {
    for (const [index, px] of answer) {
      const e = sum.get(index) ?? { s: 0, n: 0 };
      e.s += px;
      e.n++;
      sum.set(index, e);
    }
  }
  return [...sum.entries()]
    .map(([index, { s, n }]) => ({ index, meanPx: Math.round((s / n) * 10) / 10, n }))
    .sort((a, b) => b.meanPx - a.meanPx || a.index - b.index)
    .slice(0, limit);
}
