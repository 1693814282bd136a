/**
 * The shape of one worker's answer for one item, shared by the server (validation),
 * the web editor (drafts, submit) and the exporters.
 */
import { z } from 'zod';
import type { Box, KeypointTemplate, Point } from './templates/template.js';

/** Upper bound on faces/persons per image: beyond this a request is refused as hostile. */
export const MAX_INSTANCES = 200;

const coord = z.number().finite();
export const pointSchema = z.tuple([coord, coord, z.union([z.literal(0), z.literal(1), z.literal(2)])]);
export const boxSchema = z.tuple([coord, coord, coord.nonnegative(), coord.nonnegative()]);

export const instanceSchema = z.object({
  bbox: boxSchema.nullable(),
  points: z.array(pointSchema).max(512),
  /** Per-instance categorical attributes, e.g. `{ glasses: 'yes' }`. */
  attributes: z.record(z.string().max(64), z.string().max(256)).optional(),
});
export const annotationDataSchema = z.object({
  instances: z.array(instanceSchema).max(MAX_INSTANCES),
});

export type Instance = { bbox: Box | null; points: Point[]; attributes?: Record<string, string> };
export type AnnotationData = { instances: Instance[] };

/** Why an answer does not fit its template or image; `path` points into the answer. */
export interface AnnotationProblem {
  code: 'wrong_point_count' | 'point_out_of_bounds' | 'box_out_of_bounds' | 'too_many_instances';
  path: (string | number)[];
  message: string;
}

/**
 * Checks an answer against its template and image size. Points with v = 0 are not
 * placed and may hold any coordinates (exported as 0, 0). Coordinates are pixel
 * positions on a continuous plane, so the right and bottom edges (x = width) are
 * inside.
 *
 * @example checkAnnotation(face68, 640, 480, { instances: [] }) // → []
 */
export function checkAnnotation(
  template: Pick<KeypointTemplate, 'points'>,
  width: number,
  height: number,
  data: AnnotationData,
  maxInstances = MAX_INSTANCES,
): AnnotationProblem[] {
  const problems: AnnotationProblem[] = [];
  if (data.instances.length > maxInstances) {
    problems.push({
      code: 'too_many_instances',
      path: ['instances'],
      message: `at most ${maxInstances} instances per image, got ${data.instances.length}`,
    });
  }
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x <= width && y <= height;
  data.instances.forEach((inst, i) => {
    if (inst.points.length !== template.points.length) {
      problems.push({
        code: 'wrong_point_count',
        path: ['instances', i, 'points'],
        message: `instance ${i} has ${inst.points.length} points, the template has ${template.points.length}`,
      });
    }
    inst.points.forEach(([x, y, v], j) => {
      if (v !== 0 && !inside(x, y)) {
        problems.push({
          code: 'point_out_of_bounds',
          path: ['instances', i, 'points', j],
          message: `point ${j} of instance ${i} at (${x}, ${y}) lies outside the ${width}×${height} image`,
        });
      }
    });
    if (inst.bbox) {
      const [bx, by, bw, bh] = inst.bbox;
      if (!inside(bx, by) || !inside(bx + bw, by + bh)) {
        problems.push({
          code: 'box_out_of_bounds',
          path: ['instances', i, 'bbox'],
          message: `the box of instance ${i} lies outside the ${width}×${height} image`,
        });
      }
    }
  });
  return problems;
}

/** The box that holds an instance's placed points, used where a worker drew none. */
export function boxOfPoints(points: Point[]): Box | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y, v] of points) {
    if (v === 0) continue;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return x0 === Infinity ? null : [x0, y0, x1 - x0, y1 - y0];
}
