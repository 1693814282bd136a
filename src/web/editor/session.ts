/**
 * Session state: everything about the editing session that is not the answer itself
 * (tool, what is active, selected and hovered, the camera). Immutable like the document.
 *
 * Camera convention: `screen = image * zoom + (camera.x, camera.y)`, i.e. `(x, y)` is
 * where the image's top-left corner lies on screen, in CSS pixels.
 */
import type { PointRef } from './document.js';
import type { Size, Vec } from './types.js';

export type ToolId = 'keypoint' | 'box' | 'pan';

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 64;

export interface Camera {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

/** The part of the session that undo/redo restores with the change it undoes. */
export interface Focus {
  /** The instance being annotated; null only when there are none. */
  readonly activeInstanceId: string | null;
  /** The point keys act on and, when unplaced, the point the next click places; null when the instance is done. */
  readonly activePointIndex: number | null;
  /** The point explicitly selected (clicked or dragged); always the active point when set. */
  readonly selection: PointRef | null;
}

export interface SessionState extends Focus {
  readonly tool: ToolId;
  readonly hover: PointRef | null;
  readonly camera: Camera;
  readonly viewport: Size;
  /** Last pointer position on screen, null when the pointer left the canvas. */
  readonly pointer: Vec | null;
  /** Space is held: a primary-button drag pans whatever the tool. */
  readonly spaceHeld: boolean;
  readonly helpOpen: boolean;
  /** Visibility the next placement of the active (unplaced) point gets; reset when the active point changes. */
  readonly pendingVisibility: 1 | 2;
}

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

export function screenToImage(camera: Camera, p: Vec): Vec {
  return { x: (p.x - camera.x) / camera.zoom, y: (p.y - camera.y) / camera.zoom };
}

export function imageToScreen(camera: Camera, p: Vec): Vec {
  return { x: p.x * camera.zoom + camera.x, y: p.y * camera.zoom + camera.y };
}

/** The camera that shows the whole image centred in the viewport, `padding` CSS pixels from its edges. */
export function fitCamera(image: Size, viewport: Size, padding = 0): Camera {
  const w = Math.max(1, viewport.width - 2 * padding);
  const h = Math.max(1, viewport.height - 2 * padding);
  const zoom = image.width > 0 && image.height > 0 ? clampZoom(Math.min(w / image.width, h / image.height)) : 1;
  return { zoom, x: (viewport.width - image.width * zoom) / 2, y: (viewport.height - image.height * zoom) / 2 };
}

/** The camera at `zoom` (clamped) that keeps the image point under `screen` in place. */
export function zoomCameraAt(camera: Camera, screen: Vec, zoom: number): Camera {
  const z = clampZoom(zoom);
  const p = screenToImage(camera, screen);
  return { zoom: z, x: screen.x - p.x * z, y: screen.y - p.y * z };
}

export function samePointRef(a: PointRef | null, b: PointRef | null): boolean {
  return a === b || (a !== null && b !== null && a.instanceId === b.instanceId && a.index === b.index);
}

export function createSession(viewport: Size, camera: Camera): SessionState {
  return {
    tool: 'keypoint',
    activeInstanceId: null,
    activePointIndex: 0,
    selection: null,
    hover: null,
    camera,
    viewport,
    pointer: null,
    spaceHeld: false,
    helpOpen: false,
    pendingVisibility: 2,
  };
}
