/**
 * The editor's document: the instances a worker annotates on one image. Immutable:
 * every change returns a new document that shares everything it did not touch, so a
 * point moved during a drag copies one points array and the list of instances, never
 * the other instances.
 */
import type { AnnotationData, Instance } from '../../core/annotation.js';
import type { Box, Point } from '../../core/templates/template.js';

/**
 * One point slot, aligned with the template's point order. `null` means not yet placed
 * (the worker has not decided); `[x, y, 0]` means decided: not in the image.
 */
export type PointSlot = Readonly<Point> | null;

export interface EditorInstance {
  /** Editor-local id, stable across undo/redo; not exported. */
  readonly id: string;
  readonly bbox: Readonly<Box> | null;
  readonly points: readonly PointSlot[];
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface EditorDocument {
  readonly instances: readonly EditorInstance[];
}

/** Names one point of one instance. */
export interface PointRef {
  readonly instanceId: string;
  readonly index: number;
}

export const emptyDocument: EditorDocument = { instances: [] };

/** A new instance with every point unplaced. */
export function createInstance(id: string, pointCount: number, bbox: Box | null = null): EditorInstance {
  return { id, bbox, points: new Array<PointSlot>(pointCount).fill(null) };
}

export function instanceIndex(doc: EditorDocument, id: string | null): number {
  if (id === null) return -1;
  const list = doc.instances;
  for (let i = 0; i < list.length; i++) if (list[i].id === id) return i;
  return -1;
}

export function getInstance(doc: EditorDocument, id: string | null): EditorInstance | undefined {
  const i = instanceIndex(doc, id);
  return i < 0 ? undefined : doc.instances[i];
}

export function getPoint(doc: EditorDocument, ref: PointRef): PointSlot | undefined {
  return getInstance(doc, ref.instanceId)?.points[ref.index];
}

/** A document with the instance at `index` replaced; the other instances are shared. */
export function replaceInstance(doc: EditorDocument, index: number, instance: EditorInstance): EditorDocument {
  const instances = doc.instances.slice();
  instances[index] = instance;
  return { instances };
}

export function insertInstance(doc: EditorDocument, index: number, instance: EditorInstance): EditorDocument {
  const instances = doc.instances.slice();
  instances.splice(index, 0, instance);
  return { instances };
}

export function removeInstance(doc: EditorDocument, index: number): EditorDocument {
  const instances = doc.instances.slice();
  instances.splice(index, 1);
  return { instances };
}

/** The instance with one point slot replaced; the other slots (tuples) are shared. */
export function withPoint(instance: EditorInstance, index: number, point: PointSlot): EditorInstance {
  if (instance.points[index] === point) return instance;
  const points = instance.points.slice();
  points[index] = point;
  return { ...instance, points };
}

export function withBox(instance: EditorInstance, bbox: Box | null): EditorInstance {
  return { ...instance, bbox };
}

/**
 * The first unplaced (`null`) slot after `from` in template order, wrapping around;
 * `from` itself is checked last. Pass -1 to search from the start. Null when all are placed.
 */
export function nextUnplaced(points: readonly PointSlot[], from: number): number | null {
  const n = points.length;
  for (let k = 1; k <= n; k++) {
    const i = (((from + k) % n) + n) % n;
    if (points[i] === null) return i;
  }
  return null;
}

/** How many slots are decided (placed, or marked not in image). */
export function countPlaced(points: readonly PointSlot[]): number {
  let n = 0;
  for (const p of points) if (p !== null) n++;
  return n;
}

/** Normalises a box drawn from corner `a` to corner `b`. */
export function boxFromCorners(a: { x: number; y: number }, b: { x: number; y: number }): Box {
  return [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(b.x - a.x), Math.abs(b.y - a.y)];
}

/** The answer in the shared format. Unplaced and not-in-image points both export as [0, 0, 0]. */
export function toAnnotationData(doc: EditorDocument): AnnotationData {
  return {
    instances: doc.instances.map((inst): Instance => {
      const out: Instance = {
        bbox: inst.bbox ? [inst.bbox[0], inst.bbox[1], inst.bbox[2], inst.bbox[3]] : null,
        points: inst.points.map((p): Point => (p === null || p[2] === 0 ? [0, 0, 0] : [p[0], p[1], p[2]])),
      };
      if (inst.attributes) out.attributes = { ...inst.attributes };
      return out;
    }),
  };
}

export interface LoadOptions {
  /**
   * How to read points with v = 0, which the shared format cannot tell apart:
   * `unplaced` (default) puts them back in the guided order so nothing is silently
   * taken as done; `not-in-image` takes them as decided (e.g. for reviewing a submission).
   */
  zeroAs?: 'unplaced' | 'not-in-image';
}

/**
 * Reads an answer into a document. Point lists longer than the template are cut and
 * shorter ones padded with unplaced slots (the server validates answers; drafts may be stale).
 */
export function fromAnnotationData(
  data: AnnotationData,
  pointCount: number,
  newId: () => string,
  options: LoadOptions = {},
): EditorDocument {
  const zeroAs = options.zeroAs ?? 'unplaced';
  return {
    instances: data.instances.map((inst): EditorInstance => {
      const points: PointSlot[] = new Array<PointSlot>(pointCount).fill(null);
      for (let i = 0; i < Math.min(pointCount, inst.points.length); i++) {
        const [x, y, v] = inst.points[i];
        if (v !== 0) points[i] = [x, y, v];
        else if (zeroAs === 'not-in-image') points[i] = [0, 0, 0];
      }
      const out: EditorInstance = {
        id: newId(),
        bbox: inst.bbox ? [inst.bbox[0], inst.bbox[1], inst.bbox[2], inst.bbox[3]] : null,
        points,
      };
      return inst.attributes ? { ...out, attributes: { ...inst.attributes } } : out;
    }),
  };
}
