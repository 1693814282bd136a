/** Request shapes of the quality rule log. */
import { z } from 'zod';
import { cursor } from './primitives.js';

/** A page of a project's quality events, newest first: `before` is the last id seen (0 for the first page). */
export const qualityEventsQuery = z.object({
  before: cursor.default(0),
  /** A manager reads the log a screen at a time; 200 is a long day of rules acting. */
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type QualityEventsQuery = z.infer<typeof qualityEventsQuery>;
