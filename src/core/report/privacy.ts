/**
 * Small-group suppression for breakdowns: a group of 1 or 2 people would let a reader
 * who knows the village tell who earned what, so such a group shows only `<3`.
 * Totals still count everyone; the suppressed groups are also given together as one
 * row, itself suppressed while it is still under the threshold.
 */
import { SMALL_GROUP, type Breakdown, type GroupFigures } from './employment-types.js';
import { addTally, emptyTally, figuresOf, type Tally } from './figures.js';

/** The figures a group may show: nothing but `<3` when it has 1 to `min − 1` people. */
export function guardGroup(t: Tally, min: number): GroupFigures {
  if (t.workers > 0 && t.workers < min) return { suppressed: true, workers: SMALL_GROUP, figures: null };
  return { suppressed: false, workers: t.workers, figures: figuresOf(t) };
}

/**
 * Builds a breakdown from groups in display order.
 * @example
 * breakdown([{ base: { code: 'lifted' }, tally }], total, 3)
 */
export function breakdown<Base extends object>(
  groups: { base: Base; tally: Tally }[],
  total: Tally,
  min: number,
): Breakdown<Base & GroupFigures> {
  const small = emptyTally();
  let smallCount = 0;
  const rows = groups.map(({ base, tally }) => {
    const guarded = guardGroup(tally, min);
    if (guarded.suppressed) {
      addTally(small, tally);
      smallCount++;
    }
    return { ...base, ...guarded };
  });
  return {
    rows,
    smallGroups: smallCount === 0 ? null : { groups: smallCount, ...guardGroup(small, min) },
    total: figuresOf(total),
  };
}
