import { describe, expect, it } from 'vitest';
import { SHORTCUTS, findShortcut, formatBinding, matchesBinding } from './shortcuts.js';
import type { EditorKeyEvent } from './types.js';

const ev = (key: string, mods: Partial<EditorKeyEvent> = {}): EditorKeyEvent => ({ key, ...mods });

describe('shortcut table', () => {
  it('has unique ids, i18n descriptions and no binding claimed twice', () => {
    expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length);
    for (const s of SHORTCUTS) expect(s.description).toMatch(/^shortcut\.[a-zA-Z]+$/);
    for (const s of SHORTCUTS) {
      for (const b of s.keys) {
        const e = ev(b.key, { ctrlKey: !!b.mod, altKey: !!b.alt, shiftKey: b.shift === true });
        const owners = SHORTCUTS.filter((o) => o.keys.some((k) => matchesBinding(k, e)));
        expect(owners.map((o) => o.id)).toEqual([s.id]);
      }
    }
  });

  it('matches the documented keys', () => {
    const id = (e: EditorKeyEvent) => findShortcut(e)?.id;
    expect(id(ev('z', { ctrlKey: true }))).toBe('undo');
    expect(id(ev('z', { metaKey: true }))).toBe('undo');
    expect(id(ev('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(id(ev('y', { ctrlKey: true }))).toBe('redo');
    expect(id(ev('z'))).toBeUndefined();
    expect(id(ev('1'))).toBe('visible');
    expect(id(ev('2'))).toBe('occluded');
    expect(id(ev('3'))).toBe('notInImage');
    expect(id(ev('Tab'))).toBe('nextPoint');
    expect(id(ev('Tab', { shiftKey: true }))).toBe('previousPoint');
    expect(id(ev('?', { shiftKey: true }))).toBe('help');
    expect(id(ev('+', { shiftKey: true }))).toBe('zoomIn');
    expect(id(ev('='))).toBe('zoomIn');
    expect(id(ev('s'))).toBeUndefined();
    expect(id(ev('S', { shiftKey: true }))).toBe('skip');
    expect(id(ev('Backspace'))).toBeUndefined();
  });

  it('falls back to the physical key when an IME or another layout hides it', () => {
    expect(findShortcut(ev('Process', { code: 'KeyZ', ctrlKey: true }))?.id).toBe('undo');
    expect(findShortcut(ev('я', { code: 'KeyZ', ctrlKey: true }))?.id).toBe('undo');
    expect(findShortcut(ev('Process', { code: 'Digit3' }))?.id).toBe('notInImage');
  });

  it('formats bindings for the help overlay', () => {
    expect(formatBinding({ key: 'z', mod: true, shift: true })).toBe('Ctrl+Shift+Z');
    expect(formatBinding({ key: 'z', mod: true, shift: true }, 'mac')).toBe('⌘⇧Z');
    expect(formatBinding({ key: ' ' })).toBe('Space');
  });
});
