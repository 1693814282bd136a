import { describe, expect, it } from 'vitest';
import { cursor, id, idString, isCleanText, MAX_ID, text, uncleanTextAt } from './primitives.js';

describe('ids', () => {
  it('take 1 to 2^31 − 1, and nothing past what PostgreSQL stores', () => {
    expect(id.parse(MAX_ID)).toBe(MAX_ID);
    for (const bad of [0, -1, 1.5, MAX_ID + 1, 2 ** 53 + 1, 1e308, Infinity, NaN, '1', null]) {
      expect(id.safeParse(bad).success, String(bad)).toBe(false);
    }
  });

  it('come from path and query strings', () => {
    expect(idString.parse('42')).toBe(42);
    for (const bad of ['2147483648', '1e308', '-1', '0', 'abc', '', '9007199254740993']) {
      expect(idString.safeParse(bad).success, bad).toBe(false);
    }
    expect(cursor.parse('0')).toBe(0);
    expect(cursor.safeParse('2147483648').success).toBe(false);
  });
});

describe('text', () => {
  it('is trimmed and bounded, and holds no NUL or lone surrogate', () => {
    expect(text(10).parse('  Faces  ')).toBe('Faces');
    expect(text(10).parse('人脸 😀')).toBe('人脸 😀');
    for (const bad of ['', '   ', 'x'.repeat(11), 'a\u0000b', 'a\uD800', '\uDC00b', '\uDE00\uD83D']) {
      expect(text(10).safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(text(10, 0).parse('')).toBe('');
    expect(isCleanText('😀')).toBe(true);
  });

  it('finds the first broken string or key of a parsed request', () => {
    expect(uncleanTextAt({ a: ['ok', 1, null, { b: 'fine' }] })).toBeUndefined();
    expect(uncleanTextAt({ a: ['ok', 'x\u0000'] })).toBe('/a/1');
    expect(uncleanTextAt({ 'k\u0000': 1 })).toBe('/k\u0000');
    expect(uncleanTextAt('\uD800')).toBe('');
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(uncleanTextAt(deep)).toMatch(/^(\/0)+$/);
  });
});
