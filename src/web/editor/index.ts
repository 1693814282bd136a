/** Public surface of the editor core for the React canvas wrapper. */
export { Editor, ZOOM_STEP } from './editor.js';
export type { Count, Cursor, EditorOptions, EditorRequest, EditorSnapshot, NextPointInfo, Progress } from './editor.js';
export type { EditorDocument, EditorInstance, LoadOptions, PointRef, PointSlot } from './document.js';
export { toAnnotationData, fromAnnotationData } from './document.js';
export type { Camera, Focus, SessionState, ToolId } from './session.js';
export { MAX_ZOOM, MIN_ZOOM, fitCamera, imageToScreen, screenToImage } from './session.js';
export { SHORTCUTS, findShortcut, formatBinding, formatKeys, handleKey } from './shortcuts.js';
export type { KeyBinding, Shortcut, ShortcutGroup } from './shortcuts.js';
export type { EditorKeyEvent, EditorPointerEvent, EditorWheelEvent, PointerKind, Size, Vec } from './types.js';
