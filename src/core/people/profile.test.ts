import { describe, expect, it } from 'vitest';
import { householdOf, nextUsernames, normalizePhone, parseDate, parseYesNo } from './profile.js';

const statuses = [
  { code: 'registered_poor', label_zh: '建档立卡贫困户', label_en: 'Registered poor household', active: 1 },
  { code: 'lifted', label_zh: '脱贫户', label_en: 'Lifted out of poverty (still registered)', active: 1 },
  { code: 'old', label_zh: '旧类别', label_en: 'Old', active: 0 },
  { code: 'none', label_zh: '一般户', label_en: 'None', active: 1 },
];

describe('profile fields', () => {
  it('normalises mobiles and landlines, refusing anything else', () => {
    expect(normalizePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalizePhone('0086 13800138000')).toBe('13800138000');
    expect(normalizePhone('0851-8888 7777')).toBe('085188887777');
    expect(normalizePhone('12345678901')).toBeNull();
    expect(normalizePhone('1380013800')).toBeNull();
    expect(normalizePhone('abc')).toBeNull();
  });

  it('reads the date forms people type, and Excel day numbers, refusing impossible days', () => {
    expect(parseDate('2026-12-01')).toBe('2026-12-01');
    expect(parseDate('2026/3/9')).toBe('2026-03-09');
    expect(parseDate('2026.3.9')).toBe('2026-03-09');
    expect(parseDate('2026年3月9日')).toBe('2026-03-09');
    expect(parseDate('46000')).toBe('2025-12-09');
    expect(parseDate('2026-02-30')).toBeNull();
    expect(parseDate('2026-13-01')).toBeNull();
    expect(parseDate('1800-01-01')).toBeNull();
    expect(parseDate('next week')).toBeNull();
  });

  it('never assumes consent', () => {
    expect(parseYesNo('是')).toBe(true);
    expect(parseYesNo(' YES ')).toBe(true);
    expect(parseYesNo('')).toBe(false);
    expect(parseYesNo('否')).toBe(false);
    expect(parseYesNo('也许')).toBeNull();
  });

  it('finds a household by code or either label; blank is none; inactive is unknown', () => {
    expect(householdOf('脱贫户', statuses)).toBe('lifted');
    expect(householdOf('registered_poor', statuses)).toBe('registered_poor');
    expect(householdOf('REGISTERED POOR HOUSEHOLD', statuses)).toBe('registered_poor');
    expect(householdOf('', statuses)).toBe('none');
    expect(householdOf('旧类别', statuses)).toBeNull();
    expect(householdOf('贫困', statuses)).toBeNull();
  });

  it('continues the user name sequence after the highest', () => {
    expect(nextUsernames(['w0007', 'manager', 'w12', 'wang'], 2)).toEqual(['w0013', 'w0014']);
    expect(nextUsernames([], 1)).toEqual(['w0001']);
  });
});
