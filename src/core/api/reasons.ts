/**
 * Reason codes shared by the API and the web app. Kept apart from the zod schemas so
 * the worker's bundle can use them without loading zod.
 */

/** Why a reviewer rejects an answer; the worker sees it, translated. */
export const REJECT_REASONS = [
  'wrong_points',
  'left_right_swap',
  'missed_face',
  'extra_face',
  'wrong_visibility',
  'careless',
  'other',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Why a worker skips an item. */
export const SKIP_REASONS = ['no_face', 'bad_image', 'unclear_rules', 'too_hard', 'other'] as const;
