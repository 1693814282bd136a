/**
 * The keypoint editor's logic, free of React and the DOM. A wrapper feeds it pointer,
 * key and wheel events in canvas coordinates, subscribes with `onChange`, and draws
 * `editor.document` and `editor.session` (both immutable: compare by identity).
 */
import type { AnnotationData } from '../../core/annotation.js';
import type { Box, KeypointTemplate, TemplatePoint, Visibility } from '../../core/templates/template.js';
import {
  type EditorDocument,
  type EditorInstance,
  type LoadOptions,
  type PointRef,
  type PointSlot,
  countPlaced,
  createInstance,
  emptyDocument,
  fromAnnotationData,
  getInstance,
  getPoint,
  instanceIndex,
  nextUnplaced,
  replaceInstance,
  insertInstance,
  removeInstance,
  toAnnotationData,
  withBox,
  withPoint,
} from './document.js';
import { type DocOp, History, type Restored } from './history.js';
import {
  type Camera,
  type Focus,
  type SessionState,
  type ToolId,
  clampZoom,
  createSession,
  fitCamera,
  imageToScreen,
  samePointRef,
  screenToImage,
  zoomCameraAt,
} from './session.js';
import { handleKey } from './shortcuts.js';
import { createBoxTool } from './tools/box/index.js';
import { createKeypointTool } from './tools/keypoint/index.js';
import { createPanTool } from './tools/pan/index.js';
import { type Tool, screenOf } from './tools/state-node.js';
import type { EditorKeyEvent, EditorPointerEvent, EditorWheelEvent, PointerKind, Size, Vec } from './types.js';

export interface EditorOptions {
  template: KeypointTemplate;
  imageWidth: number;
  imageHeight: number;
  /** Canvas size in CSS pixels; defaults to the image size. The camera starts fitted. */
  viewport?: Size;
  data?: AnnotationData;
  loadOptions?: LoadOptions;
  /** Margin kept around the image by fit(), CSS pixels. Default 16. */
  fitPadding?: number;
  /** Hit radius around points in CSS pixels, per pointer kind. */
  hitRadius?: Partial<Record<PointerKind, number>>;
}

export interface Count {
  placed: number;
  total: number;
}

export interface Progress {
  /** The active instance; null when there is none. `placed` counts decided points (incl. not in image). */
  instance: Count | null;
  overall: Count;
  instances: number;
}

export interface NextPointInfo {
  /** Null when there is no instance yet: the click creates one. */
  instanceId: string | null;
  index: number;
  point: TemplatePoint;
  /** Visibility the click gives it (Shift+click always places as occluded). */
  visibility: 1 | 2;
}

export interface EditorRequest {
  type: 'submit' | 'skip';
  data: AnnotationData;
  progress: Progress;
}

export interface EditorSnapshot {
  readonly document: EditorDocument;
  readonly session: SessionState;
}

export type Cursor = 'default' | 'crosshair' | 'pointer' | 'grab' | 'grabbing';

const HIT_RADIUS: Record<PointerKind, number> = { mouse: 6, pen: 8, touch: 16 };
const DRAG_THRESHOLD: Record<PointerKind, number> = { mouse: 3, pen: 4, touch: 8 };
export const ZOOM_STEP = 1.5;

function kind(pointerType: string): PointerKind {
  return pointerType === 'pen' || pointerType === 'touch' ? pointerType : 'mouse';
}

export class Editor {
  readonly template: KeypointTemplate;
  readonly imageSize: Size;
  private doc: EditorDocument = emptyDocument;
  private sess: SessionState;
  private readonly history = new History();
  private readonly tools: Record<ToolId, Tool>;
  /** Middle-button or Space drags pan from any tool through this pan tool of their own. */
  private readonly panOverride: Tool;
  private readonly listeners = new Set<(editor: Editor) => void>();
  private readonly requestListeners = new Set<(request: EditorRequest) => void>();
  private readonly hitRadius: Record<PointerKind, number>;
  private readonly fitPadding: number;
  private snap: EditorSnapshot;
  private batchDepth = 0;
  private changed = false;
  private idCounter = 0;
  /** The camera follows viewport resizes until the worker pans or zooms. */
  private autoFit = true;

  constructor(options: EditorOptions) {
    this.template = options.template;
    this.imageSize = { width: options.imageWidth, height: options.imageHeight };
    this.fitPadding = options.fitPadding ?? 16;
    this.hitRadius = { ...HIT_RADIUS, ...options.hitRadius };
    const viewport = options.viewport ?? this.imageSize;
    this.sess = createSession(viewport, fitCamera(this.imageSize, viewport, this.fitPadding));
    this.tools = { keypoint: createKeypointTool(this), box: createBoxTool(this), pan: createPanTool(this) };
    this.panOverride = createPanTool(this);
    if (options.data) this.load(options.data, options.loadOptions);
    this.snap = { document: this.doc, session: this.sess };
  }

  // ─── Reading ────────────────────────────────────────────────────────────────

  /** The answer being edited. Immutable; unchanged parts keep their identity across changes. */
  get document(): EditorDocument {
    return this.doc;
  }

  get session(): SessionState {
    return this.sess;
  }

  /** `{ document, session }`, a new object only after a change (fits `useSyncExternalStore`). */
  getSnapshot = (): EditorSnapshot => this.snap;

  /** Calls `listener` once after each input or command that changed anything. Returns the unsubscribe. */
  onChange = (listener: (editor: Editor) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Submit and skip are requests: the wrapper decides (confirm an incomplete answer, call the API). */
  onRequest(listener: (request: EditorRequest) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  get activeInstance(): EditorInstance | undefined {
    return getInstance(this.doc, this.sess.activeInstanceId);
  }

  getInstance(id: string | null): EditorInstance | undefined {
    return getInstance(this.doc, id);
  }

  getPoint(ref: PointRef): PointSlot | undefined {
    return getPoint(this.doc, ref);
  }

  /** Current tool and state, e.g. `keypoint.idle`, `keypoint.dragging_point`, `pan.panning`. */
  get toolState(): string {
    return this.panOverride.isIdle ? this.tools[this.sess.tool].path : 'pan_override.panning';
  }

  /** A pointer gesture is in progress (a drag, a placement being adjusted, a pan). */
  get isInGesture(): boolean {
    return !this.panOverride.isIdle || !this.tools[this.sess.tool].isIdle;
  }

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  get undoDepth(): number {
    return this.history.undoDepth;
  }

  progress(): Progress {
    const total = this.template.points.length;
    let placed = 0;
    for (const inst of this.doc.instances) placed += countPlaced(inst.points);
    const active = this.activeInstance;
    return {
      instance: active ? { placed: countPlaced(active.points), total } : null,
      overall: { placed, total: total * this.doc.instances.length },
      instances: this.doc.instances.length,
    };
  }

  /** The point the next click on empty image places, for the guidance panel; null when the instance is done. */
  nextPointInfo(): NextPointInfo | null {
    const visibility = this.sess.pendingVisibility;
    if (this.sess.activeInstanceId === null) {
      return { instanceId: null, index: 0, point: this.template.points[0], visibility };
    }
    const ref = this.placementTarget();
    if (!ref) return null;
    return { instanceId: ref.instanceId, index: ref.index, point: this.template.points[ref.index], visibility };
  }

  getCursor(): Cursor {
    if (!this.panOverride.isIdle) return 'grabbing';
    const state = this.toolState;
    if (state === 'pan.panning' || state === 'keypoint.dragging_point') return 'grabbing';
    if (this.sess.spaceHeld || this.sess.tool === 'pan') return 'grab';
    if (this.sess.tool === 'keypoint' && this.sess.hover) return 'pointer';
    return 'crosshair';
  }

  toAnnotation(): AnnotationData {
    return toAnnotationData(this.doc);
  }

  // ─── Geometry ───────────────────────────────────────────────────────────────

  screenToImage(p: Vec): Vec {
    return screenToImage(this.sess.camera, p);
  }

  imageToScreen(p: Vec): Vec {
    return imageToScreen(this.sess.camera, p);
  }

  clampToImage(p: Vec): Vec {
    const { width, height } = this.imageSize;
    return { x: Math.min(width, Math.max(0, p.x)), y: Math.min(height, Math.max(0, p.y)) };
  }

  /** Inside the image or within one hit radius of its edge (such presses clamp to the edge). */
  isNearImage(screen: Vec, pointerType: string): boolean {
    const p = this.screenToImage(screen);
    const m = this.hitRadius[kind(pointerType)] / this.sess.camera.zoom;
    return p.x >= -m && p.y >= -m && p.x <= this.imageSize.width + m && p.y <= this.imageSize.height + m;
  }

  dragThreshold(pointerType: string): number {
    return DRAG_THRESHOLD[kind(pointerType)];
  }

  /**
   * The placed point (v > 0) nearest to `screen` within the hit radius in screen pixels,
   * the active instance winning ties. Allocation-free scan: 10 × 106 points take microseconds.
   */
  hitTestPoint(screen: Vec, pointerType: string = 'mouse'): PointRef | null {
    const { zoom } = this.sess.camera;
    const r = this.hitRadius[kind(pointerType)] / zoom;
    const q = this.screenToImage(screen);
    const activeId = this.sess.activeInstanceId;
    let bestD = r * r;
    let bestInstance: EditorInstance | null = null;
    let bestIndex = -1;
    for (const inst of this.doc.instances) {
      const pts = inst.points;
      const isActive = inst.id === activeId;
      for (let i = 0; i < pts.length; i++) {
        const p = pts[i];
        if (p === null || p[2] === 0) continue;
        const dx = p[0] - q.x;
        const dy = p[1] - q.y;
        const d = dx * dx + dy * dy;
        if (d < bestD || (d === bestD && (isActive || bestInstance === null))) {
          bestD = d;
          bestInstance = inst;
          bestIndex = i;
        }
      }
    }
    return bestInstance ? { instanceId: bestInstance.id, index: bestIndex } : null;
  }

  /** The smallest instance box containing the screen position, or null. */
  hitTestBox(screen: Vec): string | null {
    const q = this.screenToImage(screen);
    let best: string | null = null;
    let bestArea = Infinity;
    for (const inst of this.doc.instances) {
      const b = inst.bbox;
      if (!b || q.x < b[0] || q.y < b[1] || q.x > b[0] + b[2] || q.y > b[1] + b[3]) continue;
      if (b[2] * b[3] < bestArea) {
        bestArea = b[2] * b[3];
        best = inst.id;
      }
    }
    return best;
  }

  // ─── Input ──────────────────────────────────────────────────────────────────

  pointerDown(e: EditorPointerEvent): void {
    this.batch(() => {
      this.patchSession({ pointer: screenOf(e) });
      if (this.isInGesture) return; // a second button or finger during a gesture
      if (e.button === 1 || (e.button === 0 && this.sess.spaceHeld)) {
        this.setHover(null);
        this.panOverride.transition('panning', { start: screenOf(e) });
        return;
      }
      this.tools[this.sess.tool].current.onPointerDown(e);
    });
  }

  pointerMove(e: EditorPointerEvent): void {
    this.batch(() => {
      this.patchSession({ pointer: screenOf(e) });
      if (!this.panOverride.isIdle) this.panOverride.current.onPointerMove(e);
      else this.tools[this.sess.tool].current.onPointerMove(e);
    });
  }

  pointerUp(e: EditorPointerEvent): void {
    this.batch(() => {
      this.patchSession({ pointer: screenOf(e) });
      if (!this.panOverride.isIdle) this.panOverride.current.onPointerUp(e);
      else this.tools[this.sess.tool].current.onPointerUp(e);
    });
  }

  /** The pointer left the canvas (no gesture is cancelled: pointer capture keeps it going). */
  pointerLeave(): void {
    this.batch(() => this.patchSession({ pointer: null, hover: this.isInGesture ? this.sess.hover : null }));
  }

  /** Returns true when the key was used (the wrapper should then `preventDefault()`). */
  keyDown(e: EditorKeyEvent): boolean {
    let handled = false;
    this.batch(() => {
      handled = handleKey(this, e);
    });
    return handled;
  }

  keyUp(e: EditorKeyEvent): void {
    if (e.key === ' ' || e.code === 'Space') this.setSpaceHeld(false);
  }

  /** The window lost focus: keyup events will not come. */
  blur(): void {
    this.setSpaceHeld(false);
  }

  wheel(e: EditorWheelEvent): void {
    const factor = Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.002));
    this.zoomAt({ x: e.screenX, y: e.screenY }, this.sess.camera.zoom * factor);
  }

  /** Offered to the current tool state before the shortcut table (used by `handleKey`). */
  toolKeyDown(e: EditorKeyEvent): boolean {
    const tool = this.panOverride.isIdle ? this.tools[this.sess.tool] : this.panOverride;
    return tool.current.onKeyDown(e);
  }

  /** Escape: cancels the gesture in progress (undoing it), else closes help, else drops the selection. */
  cancel(): void {
    this.batch(() => {
      if (!this.panOverride.isIdle) this.panOverride.cancel();
      else if (this.isInGesture) this.tools[this.sess.tool].cancel();
      else if (this.sess.helpOpen) this.patchSession({ helpOpen: false });
      else this.selectPoint(null);
    });
  }

  setSpaceHeld(held: boolean): void {
    this.batch(() => this.patchSession({ spaceHeld: held }));
  }

  // ─── Camera ─────────────────────────────────────────────────────────────────

  setViewport(width: number, height: number): void {
    this.batch(() => {
      this.patchSession({ viewport: { width, height } });
      if (this.autoFit) this.patchSession({ camera: fitCamera(this.imageSize, this.sess.viewport, this.fitPadding) });
    });
  }

  setCamera(camera: Camera): void {
    this.batch(() => {
      this.autoFit = false;
      const c = this.sess.camera;
      const zoom = clampZoom(camera.zoom);
      if (c.x !== camera.x || c.y !== camera.y || c.zoom !== zoom) {
        this.patchSession({ camera: { x: camera.x, y: camera.y, zoom } });
      }
    });
  }

  fit(): void {
    this.batch(() => {
      this.patchSession({ camera: fitCamera(this.imageSize, this.sess.viewport, this.fitPadding) });
      this.autoFit = true;
    });
  }

  /** Zooms to `zoom` (clamped to 0.05–64) keeping the image point under `screen` still. */
  zoomAt(screen: Vec, zoom: number): void {
    this.setCamera(zoomCameraAt(this.sess.camera, screen, zoom));
  }

  /** Keyboard zoom: about the pointer when it is over the canvas, else about the viewport centre. */
  zoomIn(): void {
    this.zoomAt(this.zoomAnchor(), this.sess.camera.zoom * ZOOM_STEP);
  }

  zoomOut(): void {
    this.zoomAt(this.zoomAnchor(), this.sess.camera.zoom / ZOOM_STEP);
  }

  private zoomAnchor(): Vec {
    const { viewport, pointer } = this.sess;
    return pointer ?? { x: viewport.width / 2, y: viewport.height / 2 };
  }

  // ─── Tools and focus ────────────────────────────────────────────────────────

  setTool(id: ToolId): void {
    this.batch(() => {
      if (id === this.sess.tool) return;
      this.tools[this.sess.tool].cancel();
      this.patchSession({ tool: id, hover: null });
    });
  }

  setHover(ref: PointRef | null): void {
    if (!samePointRef(ref, this.sess.hover)) this.batch(() => this.patchSession({ hover: ref }));
  }

  /** Selects a point and makes it (and its instance) active; null drops the selection. */
  selectPoint(ref: PointRef | null): void {
    this.batch(() => {
      if (ref === null) this.setFocus({ ...this.focus, selection: null });
      else this.setFocus({ activeInstanceId: ref.instanceId, activePointIndex: ref.index, selection: ref });
    });
  }

  /** Makes an instance active, its first unplaced point next. Not an undo step (undo restores focus itself). */
  setActiveInstance(id: string): void {
    const inst = getInstance(this.doc, id);
    if (!inst) return;
    this.batch(() =>
      this.setFocus({ activeInstanceId: id, activePointIndex: nextUnplaced(inst.points, -1), selection: null }),
    );
  }

  nextInstance(): void {
    this.stepInstance(1);
  }

  previousInstance(): void {
    this.stepInstance(-1);
  }

  private stepInstance(delta: number): void {
    const list = this.doc.instances;
    if (list.length === 0 || this.isInGesture) return;
    const i = instanceIndex(this.doc, this.sess.activeInstanceId);
    const next = i < 0 ? 0 : (i + delta + list.length) % list.length;
    this.setActiveInstance(list[next].id);
  }

  /** Tab: the next point in template order (placed or not) becomes active; placed ones are selected. */
  nextPoint(): void {
    this.stepPoint(1);
  }

  previousPoint(): void {
    this.stepPoint(-1);
  }

  private stepPoint(delta: number): void {
    const inst = this.activeInstance;
    if (!inst || this.isInGesture) return;
    const n = inst.points.length;
    const from = this.sess.activePointIndex ?? (delta > 0 ? -1 : 0);
    const index = (from + delta + n) % n;
    const p = inst.points[index];
    const selection = p !== null && p[2] !== 0 ? { instanceId: inst.id, index } : null;
    this.batch(() => this.setFocus({ activeInstanceId: inst.id, activePointIndex: index, selection }));
  }

  toggleHelp(): void {
    this.batch(() => this.patchSession({ helpOpen: !this.sess.helpOpen }));
  }

  // ─── Commands (one undo step each) ──────────────────────────────────────────

  undo(): void {
    this.batch(() => {
      if (this.isInGesture) return this.cancel();
      this.restore(this.history.undo(this.doc, this.focus));
    });
  }

  redo(): void {
    this.batch(() => {
      if (this.isInGesture) return;
      this.restore(this.history.redo(this.doc, this.focus));
    });
  }

  /**
   * Sets the active point's visibility. On a placed point: 1 or 2 changes it, 0 marks it
   * not in image; on an unplaced one 0 marks it not in image and 1 or 2 sets how the next
   * click places it. Marking not in image always moves on to the next unplaced point.
   */
  setVisibility(v: Visibility): void {
    const inst = this.activeInstance;
    const index = this.sess.activePointIndex;
    if (!inst || index === null || this.isInGesture) return;
    const ref = { instanceId: inst.id, index };
    const p = inst.points[index];
    this.batch(() => {
      if (v === 0) {
        if (p !== null && p[2] === 0) this.advanceAfter(ref);
        else
          this.command(() => {
            this.setPoint(ref, [0, 0, 0]);
            this.advanceAfter(ref);
          });
      } else if (p === null || p[2] === 0) {
        this.patchSession({ pendingVisibility: v });
      } else if (p[2] !== v) {
        this.command(() => this.setPoint(ref, [p[0], p[1], v]));
      }
    });
  }

  /** Deletes the active instance; its neighbour becomes active. */
  deleteActiveInstance(): void {
    const i = instanceIndex(this.doc, this.sess.activeInstanceId);
    if (i < 0 || this.isInGesture) return;
    this.command(() => {
      const instance = this.doc.instances[i];
      this.applyDoc(removeInstance(this.doc, i), { type: 'remove', index: i, instance });
      const list = this.doc.instances;
      const next = list[Math.min(i, list.length - 1)];
      this.setFocus({
        activeInstanceId: next ? next.id : null,
        activePointIndex: next ? nextUnplaced(next.points, -1) : 0,
        selection: null,
      });
      this.patchSession({ hover: null });
    });
  }

  submit(): void {
    this.request('submit');
  }

  skip(): void {
    this.request('skip');
  }

  /** Replaces the document (draft or answer to review); clears history; the first instance becomes active. */
  load(data: AnnotationData, options?: LoadOptions): void {
    this.replaceDocument(() => fromAnnotationData(data, this.template.points.length, () => this.newId(), options));
  }

  /**
   * Restores a saved document as it was (drafts keep unplaced points as null, which
   * `AnnotationData` cannot); clears history.
   */
  loadDocument(doc: EditorDocument): void {
    this.replaceDocument(() => ({ instances: doc.instances.map((inst) => ({ ...inst, id: this.newId() })) }));
  }

  private replaceDocument(make: () => EditorDocument): void {
    this.batch(() => {
      this.panOverride.cancel();
      this.tools[this.sess.tool].cancel();
      this.history.clear();
      this.doc = make();
      this.changed = true;
      const first = this.doc.instances[0];
      this.setFocus({
        activeInstanceId: first ? first.id : null,
        activePointIndex: first ? nextUnplaced(first.points, -1) : 0,
        selection: null,
      });
      this.patchSession({ hover: null });
    });
  }

  // ─── Tool API: the building blocks tools use ────────────────────────────────

  /** Opens an undo step at a gesture's start. */
  mark(): void {
    this.history.mark(this.focus);
  }

  /** Ends the open undo step. */
  complete(): void {
    this.history.close(this.focus);
  }

  /** Reverts everything since `mark()` and forgets it (Escape mid-gesture). */
  bailToMark(): void {
    this.batch(() => this.restore(this.history.bail(this.doc)));
  }

  /** Replaces one point slot: the only per-move work of a drag (one points array copied). */
  setPoint(ref: PointRef, point: PointSlot): void {
    const i = instanceIndex(this.doc, ref.instanceId);
    if (i < 0) return;
    const from = this.doc.instances[i];
    const to = withPoint(from, ref.index, point);
    if (to !== from) this.applyDoc(replaceInstance(this.doc, i, to), { type: 'update', id: from.id, from, to });
  }

  setInstanceBox(id: string, bbox: Box | null): void {
    const i = instanceIndex(this.doc, id);
    if (i < 0) return;
    const from = this.doc.instances[i];
    const to = withBox(from, bbox);
    this.applyDoc(replaceInstance(this.doc, i, to), { type: 'update', id, from, to });
  }

  /** Appends an instance with every point unplaced and makes it active; returns its id. */
  createInstance(bbox: Box | null): string {
    const instance = createInstance(this.newId(), this.template.points.length, bbox);
    const index = this.doc.instances.length;
    this.batch(() => {
      this.applyDoc(insertInstance(this.doc, index, instance), { type: 'insert', index, instance });
      this.setFocus({ activeInstanceId: instance.id, activePointIndex: 0, selection: null });
    });
    return instance.id;
  }

  /**
   * Where a click on empty image puts a point: the active point if it has no position
   * (unplaced or not in image), else the next unplaced point after it. Null when done.
   */
  placementTarget(): PointRef | null {
    const inst = this.activeInstance;
    if (!inst) return null;
    const a = this.sess.activePointIndex;
    if (a !== null) {
      const p = inst.points[a];
      if (p === null || p[2] === 0) return { instanceId: inst.id, index: a };
    }
    const next = nextUnplaced(inst.points, a ?? -1);
    return next === null ? null : { instanceId: inst.id, index: next };
  }

  /** Inside an open mark: creates the first instance if there is none; returns the point to place. */
  beginPlacement(): PointRef | null {
    if (!this.activeInstance) this.createInstance(null);
    const ref = this.placementTarget();
    if (ref) this.setFocus({ activeInstanceId: ref.instanceId, activePointIndex: ref.index, selection: null });
    return ref;
  }

  /** After `ref` was decided: the next unplaced point in template order becomes active. */
  advanceAfter(ref: PointRef): void {
    const inst = getInstance(this.doc, ref.instanceId);
    if (!inst) return;
    this.batch(() =>
      this.setFocus({
        activeInstanceId: inst.id,
        activePointIndex: nextUnplaced(inst.points, ref.index),
        selection: null,
      }),
    );
  }

  // ─── Internals ──────────────────────────────────────────────────────────────

  private get focus(): Focus {
    const { activeInstanceId, activePointIndex, selection } = this.sess;
    return { activeInstanceId, activePointIndex, selection };
  }

  private newId(): string {
    return `i${++this.idCounter}`;
  }

  /** Runs `fn` (tool-API calls) as one undo step with one change notification. */
  transact(fn: () => void): void {
    this.command(fn);
  }

  private command(fn: () => void): void {
    this.batch(() => {
      this.history.mark(this.focus);
      fn();
      this.history.close(this.focus);
    });
  }

  private applyDoc(next: EditorDocument, op: DocOp): void {
    if (!this.history.isOpen) this.history.mark(this.focus);
    this.doc = next;
    this.history.record(op);
    this.changed = true;
    this.emitIfOutermost();
  }

  private restore(r: Restored | null): void {
    if (!r) return;
    this.doc = r.doc;
    this.changed = true;
    const { activeInstanceId, activePointIndex, selection } = r.focus;
    const inst = getInstance(this.doc, activeInstanceId) ?? this.doc.instances[0];
    const n = this.template.points.length;
    const validSelection = selection && getPoint(this.doc, selection) ? selection : null;
    this.setFocus(
      inst
        ? {
            activeInstanceId: inst.id,
            activePointIndex:
              inst.id === activeInstanceId && activePointIndex !== null && activePointIndex < n
                ? activePointIndex
                : nextUnplaced(inst.points, -1),
            selection: validSelection && validSelection.instanceId === inst.id ? validSelection : null,
          }
        : { activeInstanceId: null, activePointIndex: 0, selection: null },
    );
    this.patchSession({ hover: null });
    this.emitIfOutermost();
  }

  private setFocus(f: Focus): void {
    const s = this.sess;
    const moved = f.activeInstanceId !== s.activeInstanceId || f.activePointIndex !== s.activePointIndex;
    this.patchSession({
      activeInstanceId: f.activeInstanceId,
      activePointIndex: f.activePointIndex,
      selection: samePointRef(f.selection, s.selection) ? s.selection : f.selection,
      ...(moved ? { pendingVisibility: 2 as const } : {}),
    });
  }

  /** Replaces the session only when a field actually changes. */
  private patchSession(patch: Partial<SessionState>): void {
    const s = this.sess as unknown as Record<string, unknown>;
    const p = patch as Record<string, unknown>;
    let differs = false;
    for (const k in p) {
      if (s[k] !== p[k]) {
        differs = true;
        break;
      }
    }
    if (!differs) return;
    this.sess = { ...this.sess, ...patch };
    this.changed = true;
    this.emitIfOutermost();
  }

  private request(type: EditorRequest['type']): void {
    if (this.isInGesture) return;
    const request: EditorRequest = { type, data: this.toAnnotation(), progress: this.progress() };
    for (const listener of this.requestListeners) listener(request);
  }

  /** Runs `fn` and notifies listeners once at the end of the outermost batch if anything changed. */
  private batch(fn: () => void): void {
    this.batchDepth++;
    try {
      fn();
    } finally {
      this.batchDepth--;
    }
    this.emitIfOutermost();
  }

  private emitIfOutermost(): void {
    if (this.batchDepth > 0) return;
    // Safety net: a change made outside any gesture or command is its own undo step.
    if (this.history.isOpen && !this.isInGesture) this.history.close(this.focus);
    if (!this.changed) return;
    this.changed = false;
    this.snap = { document: this.doc, session: this.sess };
    for (const listener of this.listeners) listener(this);
  }
}
