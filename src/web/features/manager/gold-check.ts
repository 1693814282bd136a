import type { EditorDocument } from '../../editor';

/**
 * What saving this document as a reference would lack: no face at all, or the first
 * face with unplaced points; else the points deliberately marked not in the image,
 * which the server needs to tell them from unplaced ones (both export as visibility 0).
 */
export function referenceCheck(doc: EditorDocument): {
  empty: boolean;
  missing: { instance: number; points: number[] } | null;
  notInImage: number[][];
} {
  const notInImage = doc.instances.map((inst) => inst.points.flatMap((p, j) => (p !== null && p[2] === 0 ? [j] : [])));
  for (const [instance, inst] of doc.instances.entries()) {
    const points = inst.points.flatMap((p, j) => (p === null ? [j] : []));
    if (points.length > 0) return { empty: false, missing: { instance, points }, notInImage };
  }
  return { empty: doc.instances.length === 0, missing: null, notInImage };
}
