import { z } from 'zod';
import { DEFAULT_EXPORT_OPTIONS, EXPORT_MODES, UNFINISHED_CHOICES } from './export-options.js';

/** `true`/`false` (or 1/0) in a query string; `z.coerce.boolean` would read "false" as true. */
const queryFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .or(z.boolean());

/** `GET /api/projects/:id/export/coco?mode=&unfinished=&includeGold=`; see `export-options.ts`. */
export const exportQuery = z.object({
  mode: z.enum(EXPORT_MODES).default(DEFAULT_EXPORT_OPTIONS.mode),
  unfinished: z.enum(UNFINISHED_CHOICES).default(DEFAULT_EXPORT_OPTIONS.unfinished),
  includeGold: queryFlag.default(DEFAULT_EXPORT_OPTIONS.includeGold),
});
