/**
 * Money is integer fen (分) everywhere; yuan (元) appear only at the edges, as text.
 */

/**
 * Fen as a yuan amount with two decimals, exact for any safe integer (no float maths).
 * @example fenToYuan(1234) // → '12.34'; fenToYuan(-5) // → '-0.05'
 */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Fen as people read it: `¥12.34`, `-¥0.05`.
 * @example formatYuan(1234) // → '¥12.34'
 */
export function formatYuan(fen: number): string {
  const y = fenToYuan(fen);
  return y.startsWith('-') ? `-¥${y.slice(1)}` : `¥${y}`;
}

/**
 * Parses a yuan amount typed by a person ('12', '12.3', '12.34', '¥1,234.50') into
 * fen, exactly; null for anything else (negative, more than two decimals, text).
 * @example yuanToFen('12.3') // → 1230
 */
export function yuanToFen(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(
    text
      .trim()
      .replace(/^[¥￥]/, '')
      .replace(/,/g, ''),
  );
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
