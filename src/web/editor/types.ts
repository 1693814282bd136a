/**
 * Input and geometry types shared by the editor, its tools and whatever wraps it.
 * Nothing here touches the DOM: a wrapper translates DOM events into these shapes.
 */

/** A 2-D position or offset. */
export interface Vec {
  readonly x: number;
  readonly y: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export type PointerKind = 'mouse' | 'pen' | 'touch';

/**
 * A pointer event as the editor sees it. `screenX` / `screenY` are CSS pixels relative
 * to the canvas element's top-left corner (DOM `offsetX` / `offsetY`, not DOM `screenX`).
 */
export interface EditorPointerEvent {
  screenX: number;
  screenY: number;
  /** DOM `button`: 0 primary, 1 middle, 2 secondary. Moves may carry any value. */
  button: number;
  pointerType: PointerKind | (string & {});
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** A key event as the editor sees it (DOM `KeyboardEvent` fields plus `inTextField`). */
export interface EditorKeyEvent {
  /** DOM `key`, e.g. `z`, `Z`, `Tab`, `Escape`, `?`, ` `. */
  key: string;
  /** DOM `code`, e.g. `KeyZ`; used when `key` is not plain ASCII (IME, other layouts). */
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
  /** True for auto-repeat while the key is held. */
  repeat?: boolean;
  /** True when the event's target is a text input, textarea or contenteditable: then it is ignored. */
  inTextField?: boolean;
}

export interface EditorWheelEvent {
  screenX: number;
  screenY: number;
  deltaY: number;
  /** Browsers report trackpad pinch as a wheel event with `ctrlKey`. */
  ctrlKey?: boolean;
}
