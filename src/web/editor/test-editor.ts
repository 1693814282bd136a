/**
 * Test harness in the style of tldraw's TestEditor: chainable input helpers in screen
 * coordinates and assertion helpers that throw with a readable message. No test-runner
 * dependency, so it works under vitest, node:test or a benchmark script.
 */
import type { AnnotationData } from '../../core/annotation.js';
import type { KeypointTemplate, Point } from '../../core/templates/template.js';
import type { EditorInstance, PointSlot } from './document.js';
import { Editor, type EditorOptions } from './editor.js';
import type { Camera } from './session.js';
import type { EditorPointerEvent } from './types.js';

/** A valid template with `count` points `p0`, `p1`, … (all `center`, one group). */
export function makeTemplate(count = 5, id = 'test'): KeypointTemplate {
  return {
    id,
    name: { zh: '测试', en: 'Test' },
    kind: 'custom',
    points: Array.from({ length: count }, (_, i) => ({
      id: `p${i}`,
      name: { zh: `点${i}`, en: `Point ${i}` },
      group: 'all',
      side: 'center' as const,
      color: '#e11d48',
      sigma: 0.025,
      ref: [0.5, 0.5] as [number, number],
    })),
    skeleton: [],
    flipPairs: [],
    normalization: null,
    refAspect: 1,
  };
}

export interface KeyOptions {
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  alt?: boolean;
  repeat?: boolean;
  inTextField?: boolean;
  code?: string;
}

type PointerOptions = Partial<Omit<EditorPointerEvent, 'screenX' | 'screenY'>>;

function show(v: unknown): string {
  return JSON.stringify(v);
}

export class TestEditor {
  readonly editor: Editor;
  /** What the last `key()` / `keyDown()` returned (whether the editor used the key). */
  lastKeyHandled = false;
  /** How many times `onChange` fired. */
  changes = 0;
  private last = { x: 0, y: 0 };
  private button = 0;

  /** Defaults: 5-point template, 400×300 image, 800×600 viewport, no fit padding. */
  constructor(options: Partial<EditorOptions> = {}) {
    this.editor = new Editor({
      template: makeTemplate(5),
      imageWidth: 400,
      imageHeight: 300,
      viewport: { width: 800, height: 600 },
      fitPadding: 0,
      ...options,
    });
    this.editor.onChange(() => this.changes++);
  }

  // ─── Input (screen coordinates) ─────────────────────────────────────────────

  pointerDown(x: number, y: number, options: PointerOptions = {}): this {
    this.last = { x, y };
    this.button = options.button ?? 0;
    this.editor.pointerDown(this.event(x, y, options));
    return this;
  }

  pointerMove(x: number, y: number, options: PointerOptions = {}): this {
    this.last = { x, y };
    this.editor.pointerMove(this.event(x, y, options));
    return this;
  }

  /** Releases at the last pointer position unless given one. */
  pointerUp(x = this.last.x, y = this.last.y, options: PointerOptions = {}): this {
    this.last = { x, y };
    this.editor.pointerUp(this.event(x, y, options));
    return this;
  }

  click(x: number, y: number, options: PointerOptions = {}): this {
    return this.pointerDown(x, y, options).pointerUp(x, y, options);
  }

  /** Press at `from`, move to `to` in `steps` equal moves, release. */
  drag(from: [number, number], to: [number, number], options: PointerOptions & { steps?: number } = {}): this {
    const { steps = 5, ...pointer } = options;
    this.pointerDown(from[0], from[1], pointer);
    for (let i = 1; i <= steps; i++) {
      this.pointerMove(from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps, pointer);
    }
    return this.pointerUp(to[0], to[1], pointer);
  }

  keyDown(key: string, options: KeyOptions = {}): this {
    this.lastKeyHandled = this.editor.keyDown({
      key,
      code: options.code,
      ctrlKey: !!options.ctrl,
      metaKey: !!options.meta,
      shiftKey: !!options.shift,
      altKey: !!options.alt,
      repeat: !!options.repeat,
      inTextField: !!options.inTextField,
    });
    return this;
  }

  keyUp(key: string, options: KeyOptions = {}): this {
    this.editor.keyUp({ key, code: options.code, shiftKey: !!options.shift });
    return this;
  }

  /** Press and release a key. */
  key(key: string, options: KeyOptions = {}): this {
    this.keyDown(key, options);
    const handled = this.lastKeyHandled;
    this.keyUp(key, options);
    this.lastKeyHandled = handled;
    return this;
  }

  setCamera(x: number, y: number, zoom: number): this {
    this.editor.setCamera({ x, y, zoom });
    return this;
  }

  load(data: AnnotationData): this {
    this.editor.load(data);
    return this;
  }

  // ─── Reading ────────────────────────────────────────────────────────────────

  get camera(): Camera {
    return this.editor.session.camera;
  }

  instance(i: number): EditorInstance {
    const inst = this.editor.document.instances[i];
    if (!inst) throw new Error(`no instance ${i} (there are ${this.editor.document.instances.length})`);
    return inst;
  }

  points(i = 0): readonly PointSlot[] {
    return this.instance(i).points;
  }

  // ─── Assertions ─────────────────────────────────────────────────────────────

  /** `expected` null means unplaced. Coordinates compared within `tolerance` image pixels. */
  expectPoint(instance: number, index: number, expected: Point | null, tolerance = 1e-9): this {
    const p = this.points(instance)[index];
    const ok =
      expected === null
        ? p === null
        : p !== null &&
          Math.abs(p[0] - expected[0]) <= tolerance &&
          Math.abs(p[1] - expected[1]) <= tolerance &&
          p[2] === expected[2];
    if (!ok) throw new Error(`point ${index} of instance ${instance}: expected ${show(expected)}, got ${show(p)}`);
    return this;
  }

  expectInstanceCount(n: number): this {
    const got = this.editor.document.instances.length;
    if (got !== n) throw new Error(`expected ${n} instances, got ${got}`);
    return this;
  }

  /** Instance by position in the list; `point` null means the instance is done. */
  expectActive(expected: { instance?: number | null; point?: number | null }): this {
    const s = this.editor.session;
    const index =
      s.activeInstanceId === null ? null : this.editor.document.instances.findIndex((i) => i.id === s.activeInstanceId);
    if (expected.instance !== undefined && index !== expected.instance) {
      throw new Error(`expected active instance ${expected.instance}, got ${index}`);
    }
    if (expected.point !== undefined && s.activePointIndex !== expected.point) {
      throw new Error(`expected active point ${expected.point}, got ${s.activePointIndex}`);
    }
    return this;
  }

  expectSelection(expected: { instance: number; point: number } | null): this {
    const sel = this.editor.session.selection;
    const got = sel
      ? { instance: this.editor.document.instances.findIndex((i) => i.id === sel.instanceId), point: sel.index }
      : null;
    if (show(got) !== show(expected)) throw new Error(`expected selection ${show(expected)}, got ${show(got)}`);
    return this;
  }

  expectToolState(path: string): this {
    if (this.editor.toolState !== path) throw new Error(`expected tool state ${path}, got ${this.editor.toolState}`);
    return this;
  }

  expectUndoDepth(n: number): this {
    if (this.editor.undoDepth !== n) throw new Error(`expected ${n} undo steps, got ${this.editor.undoDepth}`);
    return this;
  }

  expectCamera(expected: Camera, tolerance = 1e-9): this {
    const c = this.camera;
    const ok = (['x', 'y', 'zoom'] as const).every((k) => Math.abs(c[k] - expected[k]) <= tolerance);
    if (!ok) throw new Error(`expected camera ${show(expected)}, got ${show(c)}`);
    return this;
  }

  private event(x: number, y: number, options: PointerOptions): EditorPointerEvent {
    return {
      screenX: x,
      screenY: y,
      button: this.button,
      pointerType: 'mouse',
      shiftKey: false,
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      ...options,
    };
  }
}
