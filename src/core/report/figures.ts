/**
 * Additive tallies behind `Figures`. Hours are kept as whole hundredths of an hour
 * per worker and month, so every row of a table adds up to its total exactly; the
 * ratios (per worker, per hour) are derived from the sums, never summed themselves.
 */
import type { Figures, FlowFigures } from './employment-types.js';

export interface Tally {
  workers: number;
  newWorkers: number;
  activeWorkers: number;
  leavingWorkers: number;
  activeDays: number;
  centiHours: number;
  items: number;
  accepted: number;
  incomeFen: number;
}

export const emptyTally = (): Tally => ({
  workers: 0,
  newWorkers: 0,
  activeWorkers: 0,
  leavingWorkers: 0,
  activeDays: 0,
  centiHours: 0,
  items: 0,
  accepted: 0,
  incomeFen: 0,
});

/** Adds `b` into `a`. */
export function addTally(a: Tally, b: Tally): Tally {
  a.workers += b.workers;
  a.newWorkers += b.newWorkers;
  a.activeWorkers += b.activeWorkers;
  a.leavingWorkers += b.leavingWorkers;
  a.activeDays += b.activeDays;
  a.centiHours += b.centiHours;
  a.items += b.items;
  a.accepted += b.accepted;
  a.incomeFen += b.incomeFen;
  return a;
}

/** Active milliseconds as whole hundredths of an hour (36 s each), rounded half up. */
export const centiHoursOf = (activeMs: number) => Math.round(activeMs / 36_000);

const perHour = (fen: number, centiHours: number) => (centiHours > 0 ? Math.round((fen * 100) / centiHours) : null);

export function figuresOf(t: Tally): Figures {
  return {
    workers: t.workers,
    newWorkers: t.newWorkers,
    activeWorkers: t.activeWorkers,
    leavingWorkers: t.leavingWorkers,
    activeDays: t.activeDays,
    hours: t.centiHours / 100,
    items: t.items,
    accepted: t.accepted,
    incomeFen: t.incomeFen,
    incomePerWorkerFen: t.activeWorkers > 0 ? Math.round(t.incomeFen / t.activeWorkers) : null,
    incomePerHourFen: perHour(t.incomeFen, t.centiHours),
  };
}

export function flowFiguresOf(t: Tally): FlowFigures {
  return {
    newWorkers: t.newWorkers,
    leavingWorkers: t.leavingWorkers,
    activeDays: t.activeDays,
    hours: t.centiHours / 100,
    items: t.items,
    accepted: t.accepted,
    incomeFen: t.incomeFen,
    incomePerHourFen: perHour(t.incomeFen, t.centiHours),
  };
}
