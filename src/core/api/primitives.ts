/**
 * The two primitives every request is built from: ids and text. Both are checked at
 * the edge the same way on every database, so one input gets the same 4xx on SQLite
 * and PostgreSQL: PostgreSQL's `integer` ends at 2^31 − 1 and its `text` cannot hold
 * NUL, where SQLite takes both (and a JavaScript number past 2^53 is no id at all).
 */
import { z } from 'zod';

/** The largest value of a PostgreSQL `integer` or `serial` column: the largest id. */
export const MAX_ID = 2_147_483_647;

/** A row id in a JSON body. */
export const id = z.number().int().min(1).max(MAX_ID);

/** A row id from a path or a query string ("42"). */
export const idString = z.coerce.number().int().min(1).max(MAX_ID);

/** A keyset cursor from a query string: 0 for the first page, else the last id seen. */
export const cursor = z.coerce.number().int().min(0).max(MAX_ID);

/** `/:id` path parameters. */
export const idParam = z.object({ id: idString });

// A UTF-16 surrogate half without its partner: not a character, and not storable as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` can be stored as text on every database: no NUL, no lone surrogate halves. */
export function isCleanText(s: string): boolean {
  return !s.includes('\0') && !LONE_SURROGATE.test(s);
}

const CLEAN = { message: 'must not hold NUL characters or broken Unicode' };

/**
 * Text for a column: trimmed, then `min`..`max` characters, no NUL, no broken Unicode.
 *
 * @example text(200).parse('  Faces  ') // → 'Faces'
 */
export function text(max: number, min = 1) {
  return z.string().trim().min(min).max(max).refine(isCleanText, CLEAN);
}

/** Like `text`, kept exactly as sent (passwords, client-chosen keys). */
export function rawText(max: number, min = 1) {
  return z.string().min(min).max(max).refine(isCleanText, CLEAN);
}

/**
 * Where in a parsed request (params, query string or JSON body) the first string or
 * key that `isCleanText` refuses lies, as a JSON pointer; undefined when all are clean.
 * Walks without recursion, so a hostile nesting depth cannot overflow the stack.
 *
 * @example uncleanTextAt({ a: ['ok', 'x\u0000'] }) // → '/a/1'
 */
export function uncleanTextAt(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isCleanText(v)) return at;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}/${i}`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (!isCleanText(k)) return `${at}/${k}`;
        stack.push([child, `${at}/${k}`]);
      }
    }
  }
  return undefined;
}
