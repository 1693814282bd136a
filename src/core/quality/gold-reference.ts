/**
 * A gold reference is what workers are scored against, so it must be complete: at
 * least one instance, and every template point of every instance either placed or
 * deliberately marked "not in the image". The shared answer format writes both an
 * unplaced point and a not-in-image point as visibility 0, so whoever saves a
 * reference lists the deliberate ones in `notInImage` (per instance, point indices).
 */
import type { AnnotationData } from '../annotation.js';
import type { KeypointTemplate } from '../templates/template.js';

export interface MissingPoints {
  /** Index of the instance in the reference. */
  instance: number;
  /** Indices of its points that are neither placed nor marked not in the image. */
  points: number[];
  /** The same points by template id. */
  ids: string[];
}

/** Point ids named in a message at most; the details carry them all. */
const NAMED = 12;

/**
 * Null when the reference is complete, else a message for people and the missing points.
 *
 * @example
 * goldReferenceProblem(face5, { instances: [{ bbox: null, points: [[1, 1, 2], [0, 0, 0], …] }] }, [[1]]) // → null
 */
export function goldReferenceProblem(
  template: Pick<KeypointTemplate, 'points'>,
  data: AnnotationData,
  notInImage: readonly (readonly number[])[] = [],
): { message: string; missing: MissingPoints[] } | null {
  if (data.instances.length === 0) {
    return { message: 'The reference is empty: draw at least one instance before saving it as gold.', missing: [] };
  }
  const missing: MissingPoints[] = [];
  data.instances.forEach((inst, i) => {
    const marked = new Set(notInImage[i] ?? []);
    const points: number[] = [];
    inst.points.forEach(([, , v], j) => {
      if (v === 0 && !marked.has(j)) points.push(j);
    });
    if (points.length > 0)
      missing.push({ instance: i, points, ids: points.map((j) => template.points[j]?.id ?? `#${j}`) });
  });
  if (missing.length === 0) return null;
  const parts = missing.map((m) => {
    const named = m.ids.slice(0, NAMED).join(', ') + (m.ids.length > NAMED ? ', …' : '');
    return `instance ${m.instance + 1} lacks ${m.points.length} of ${template.points.length} points (${named})`;
  });
  return {
    message: `The reference is incomplete: ${parts.join('; ')}. Place every point or mark it not in the image.`,
    missing,
  };
}
