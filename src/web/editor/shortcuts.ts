/**
 * Every keyboard shortcut, declared once beside its action. The help overlay lists this
 * table (group, `description` i18n key, `formatKeys`) and `handleKey` dispatches from it.
 *
 * Choices:
 * - Visibility on 1 / 2 / 3 (visible / occluded / not in image): the left hand reaches
 *   them while the right holds the mouse, and digits survive a Chinese IME being on,
 *   where letters start a composition. (Shift+click also places a point as occluded.)
 * - Skip is Shift+S, not S: skipping an image throws the work on it away, and a bare S
 *   sits right under the 2 / 3 keys the left hand rests on.
 * - Delete instance is Delete (Cmd/Ctrl+Backspace on keyboards without it), never bare
 *   Backspace; it is undoable anyway.
 * - Key repeat only repeats harmless steps (undo/redo, zoom, point stepping); a held 3,
 *   Delete or Enter acts once.
 * - During a pointer gesture only Escape, zoom, help and Space act.
 */
import type { Editor } from './editor.js';
import type { EditorKeyEvent } from './types.js';

export interface KeyBinding {
  /** DOM `key`, compared case-insensitively: `z`, `tab`, `escape`, `?`, ` `. */
  key: string;
  /** Ctrl, or Cmd on a Mac. */
  mod?: boolean;
  /** Shift must match; `any` for characters typed with Shift on some layouts (`?`, `+`). */
  shift?: boolean | 'any';
  alt?: boolean;
}

export type ShortcutGroup = 'edit' | 'points' | 'instances' | 'view' | 'tools' | 'task';

export interface Shortcut {
  id: string;
  group: ShortcutGroup;
  keys: readonly KeyBinding[];
  /** i18n key of the help overlay's description. */
  description: string;
  /** Acts on auto-repeat while held. */
  repeat?: boolean;
  /** Acts during a pointer gesture too. */
  duringGesture?: boolean;
  run: (editor: Editor) => void;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    id: 'undo',
    group: 'edit',
    keys: [{ key: 'z', mod: true }],
    description: 'shortcut.undo',
    repeat: true,
    run: (e) => e.undo(),
  },
  {
    id: 'redo',
    group: 'edit',
    keys: [
      { key: 'z', mod: true, shift: true },
      { key: 'y', mod: true },
    ],
    description: 'shortcut.redo',
    repeat: true,
    run: (e) => e.redo(),
  },
  {
    id: 'cancel',
    group: 'edit',
    keys: [{ key: 'Escape' }],
    description: 'shortcut.cancel',
    duringGesture: true,
    run: (e) => e.cancel(),
  },
  {
    id: 'visible',
    group: 'points',
    keys: [{ key: '1' }],
    description: 'shortcut.visible',
    run: (e) => e.setVisibility(2),
  },
  {
    id: 'occluded',
    group: 'points',
    keys: [{ key: '2' }],
    description: 'shortcut.occluded',
    run: (e) => e.setVisibility(1),
  },
  {
    id: 'notInImage',
    group: 'points',
    keys: [{ key: '3' }],
    description: 'shortcut.notInImage',
    run: (e) => e.setVisibility(0),
  },
  {
    id: 'nextPoint',
    group: 'points',
    keys: [{ key: 'Tab' }],
    description: 'shortcut.nextPoint',
    repeat: true,
    run: (e) => e.nextPoint(),
  },
  {
    id: 'previousPoint',
    group: 'points',
    keys: [{ key: 'Tab', shift: true }],
    description: 'shortcut.previousPoint',
    repeat: true,
    run: (e) => e.previousPoint(),
  },
  {
    id: 'nextInstance',
    group: 'instances',
    keys: [{ key: ']' }],
    description: 'shortcut.nextInstance',
    run: (e) => e.nextInstance(),
  },
  {
    id: 'previousInstance',
    group: 'instances',
    keys: [{ key: '[' }],
    description: 'shortcut.previousInstance',
    run: (e) => e.previousInstance(),
  },
  {
    id: 'deleteInstance',
    group: 'instances',
    keys: [{ key: 'Delete' }, { key: 'Backspace', mod: true }],
    description: 'shortcut.deleteInstance',
    run: (e) => e.deleteActiveInstance(),
  },
  {
    id: 'zoomIn',
    group: 'view',
    keys: [
      { key: '+', shift: 'any' },
      { key: '=', shift: 'any' },
    ],
    description: 'shortcut.zoomIn',
    repeat: true,
    duringGesture: true,
    run: (e) => e.zoomIn(),
  },
  {
    id: 'zoomOut',
    group: 'view',
    keys: [{ key: '-' }, { key: '_', shift: 'any' }],
    description: 'shortcut.zoomOut',
    repeat: true,
    duringGesture: true,
    run: (e) => e.zoomOut(),
  },
  {
    id: 'fit',
    group: 'view',
    keys: [{ key: '0' }, { key: 'f' }],
    description: 'shortcut.fit',
    duringGesture: true,
    run: (e) => e.fit(),
  },
  {
    id: 'panHold',
    group: 'view',
    keys: [{ key: ' ' }],
    description: 'shortcut.panHold',
    repeat: true,
    duringGesture: true,
    run: (e) => e.setSpaceHeld(true),
  },
  {
    id: 'toolKeypoint',
    group: 'tools',
    keys: [{ key: 'k' }],
    description: 'shortcut.toolKeypoint',
    run: (e) => e.setTool('keypoint'),
  },
  {
    id: 'toolBox',
    group: 'tools',
    keys: [{ key: 'b' }],
    description: 'shortcut.toolBox',
    run: (e) => e.setTool('box'),
  },
  {
    id: 'toolPan',
    group: 'tools',
    keys: [{ key: 'h' }],
    description: 'shortcut.toolPan',
    run: (e) => e.setTool('pan'),
  },
  {
    id: 'help',
    group: 'task',
    keys: [{ key: '?', shift: 'any' }],
    description: 'shortcut.help',
    duringGesture: true,
    run: (e) => e.toggleHelp(),
  },
  { id: 'submit', group: 'task', keys: [{ key: 'Enter' }], description: 'shortcut.submit', run: (e) => e.submit() },
  { id: 'skip', group: 'task', keys: [{ key: 's', shift: true }], description: 'shortcut.skip', run: (e) => e.skip() },
];

const CODE_KEYS: Record<string, string> = {
  Space: ' ',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Slash: '/',
  NumpadAdd: '+',
  NumpadSubtract: '-',
};

/**
 * The key as the table spells it (lower case). When `key` is not plain ASCII (an IME
 * composing, a Cyrillic layout) the physical `code` stands in: `KeyZ` → `z`, `Digit1` → `1`.
 */
export function normalizeKey(e: Pick<EditorKeyEvent, 'key' | 'code'>): string {
  const k = e.key;
  const ascii = k.length === 1 && k.charCodeAt(0) >= 32 && k.charCodeAt(0) < 127;
  const named = k.length > 1 && k !== 'Process' && k !== 'Unidentified' && k !== 'Dead' && /^[A-Za-z]+$/.test(k);
  if (ascii || named || !e.code) return k.toLowerCase();
  const c = e.code;
  if (/^Key[A-Z]$/.test(c)) return c.slice(3).toLowerCase();
  if (/^(Digit|Numpad)[0-9]$/.test(c)) return c.slice(-1);
  return CODE_KEYS[c] ?? k.toLowerCase();
}

export function matchesBinding(b: KeyBinding, e: EditorKeyEvent): boolean {
  if (normalizeKey(e) !== b.key.toLowerCase()) return false;
  if (!!(e.ctrlKey || e.metaKey) !== !!b.mod) return false;
  if (!!e.altKey !== !!b.alt) return false;
  return b.shift === 'any' || !!e.shiftKey === !!b.shift;
}

export function findShortcut(e: EditorKeyEvent): Shortcut | undefined {
  return SHORTCUTS.find((s) => s.keys.some((b) => matchesBinding(b, e)));
}

/**
 * Runs the shortcut for a key-down. Returns true when the key belongs to the editor
 * (the wrapper should `preventDefault()`, e.g. so Tab does not move focus), false when
 * it is not an editor key or the event comes from a text field.
 */
export function handleKey(editor: Editor, e: EditorKeyEvent): boolean {
  if (e.inTextField) return false;
  if (editor.toolKeyDown(e)) return true;
  const shortcut = findShortcut(e);
  if (!shortcut) return false;
  if (e.repeat && !shortcut.repeat) return true;
  if (editor.isInGesture && !shortcut.duringGesture) return true;
  shortcut.run(editor);
  return true;
}

const KEY_LABELS: Record<string, string> = {
  ' ': 'Space',
  escape: 'Esc',
  delete: 'Del',
  backspace: '⌫',
  enter: 'Enter',
  tab: 'Tab',
};

/** How a binding reads in the help overlay, e.g. `Ctrl+Shift+Z` or `⌘⇧Z`. */
export function formatBinding(b: KeyBinding, platform: 'mac' | 'other' = 'other'): string {
  const key = KEY_LABELS[b.key.toLowerCase()] ?? (b.key.length === 1 ? b.key.toUpperCase() : b.key);
  const mac = platform === 'mac';
  const parts: string[] = [];
  if (b.mod) parts.push(mac ? '⌘' : 'Ctrl');
  if (b.alt) parts.push(mac ? '⌥' : 'Alt');
  if (b.shift === true) parts.push(mac ? '⇧' : 'Shift');
  parts.push(key);
  return parts.join(mac ? '' : '+');
}

export function formatKeys(shortcut: Shortcut, platform: 'mac' | 'other' = 'other'): string[] {
  return shortcut.keys.map((b) => formatBinding(b, platform));
}
