/** The time source for services; tests replace it to move past lease expiry. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Start of the UTC day holding `ms`. */
export function utcDayStart(ms: number): number {
  return ms - (ms % 86_400_000);
}
