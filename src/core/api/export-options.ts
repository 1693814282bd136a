/**
 * What a COCO export holds. Kept apart from the zod schema so the web app can build
 * its export form without loading zod.
 *
 * - `final` (default): the delivered dataset. One result per face of every finished
 *   regular item: its consensus, which is rebuilt without rejected and discarded answers.
 * - `accepted`: every individual answer of the finished regular items that still counts
 *   (not rejected by a reviewer, not discarded when its worker was suspended).
 * - `all`: every stored answer of every item, gold included, with its status, worker and
 *   time, for audits. Rejected answers appear only here, marked.
 *
 * `unfinished` says whether items that are not finished are left out of `final` and
 * `accepted` (`omit`) or listed without annotations (`empty`); `all` lists every item.
 * `includeGold` adds the gold items with their reference answer.
 */
export const EXPORT_MODES = ['final', 'accepted', 'all'] as const;
export type ExportMode = (typeof EXPORT_MODES)[number];

export const UNFINISHED_CHOICES = ['omit', 'empty'] as const;
export type UnfinishedChoice = (typeof UNFINISHED_CHOICES)[number];

export interface ExportOptions {
  mode: ExportMode;
  unfinished: UnfinishedChoice;
  includeGold: boolean;
}

export const DEFAULT_EXPORT_OPTIONS: ExportOptions = { mode: 'final', unfinished: 'omit', includeGold: false };

/** The query string of an export URL; defaults are left out. */
export function exportQueryString(o: ExportOptions): string {
  const q = new URLSearchParams();
  if (o.mode !== DEFAULT_EXPORT_OPTIONS.mode) q.set('mode', o.mode);
  if (o.unfinished !== DEFAULT_EXPORT_OPTIONS.unfinished) q.set('unfinished', o.unfinished);
  if (o.includeGold) q.set('includeGold', 'true');
  const s = q.toString();
  return s ? `?${s}` : '';
}
