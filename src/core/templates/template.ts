/**
 * A keypoint template: what a worker places on one instance (one face, one person,
 * one hand). Templates are data: the built-in ones live in this folder, custom ones
 * are stored as JSON with their project and validated by `keypointTemplateSchema`.
 */
import { z } from 'zod';

export const localizedSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof localizedSchema>;

/** Anatomical side of the subject (not of the image): the subject's left eye is on the image's right. */
export const sideSchema = z.enum(['left', 'right', 'center']);
export type Side = z.infer<typeof sideSchema>;

export const templatePointSchema = z.object({
  /** Stable machine id, e.g. `right_eye_outer`. Unique within the template. */
  id: z.string().regex(/^[a-z0-9_]+$/),
  name: localizedSchema,
  /** Group for colouring and navigation, e.g. `jaw`, `left_brow`. */
  group: z.string().min(1),
  side: sideSchema,
  /** CSS colour used to draw the point. */
  color: z.string().min(1),
  /** OKS sigma (COCO convention); 0.025 where no better value is known. */
  sigma: z.number().positive(),
  /** Position on the template's reference diagram, both in [0, 1]. */
  ref: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
});
export type TemplatePoint = z.infer<typeof templatePointSchema>;

export const keypointTemplateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: localizedSchema,
    kind: z.enum(['face', 'body', 'hand', 'custom']),
    points: z.array(templatePointSchema).min(1).max(512),
    /** Edges between point indices (0-based) drawn as lines. */
    skeleton: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
    /** Pairs of point indices (0-based) that swap under a horizontal flip. */
    flipPairs: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
    /** The pair whose distance normalises NME (0-based), or null where NME uses the box size. */
    normalization: z.tuple([z.number().int().min(0), z.number().int().min(0)]).nullable(),
    /** Aspect ratio (width / height) of the reference diagram. */
    refAspect: z.number().positive(),
  })
  .superRefine((t, ctx) => {
    const n = t.points.length;
    const ids = new Set<string>();
    t.points.forEach((p, i) => {
      if (ids.has(p.id))
        ctx.addIssue({ code: 'custom', path: ['points', i, 'id'], message: `duplicate point id ${p.id}` });
      ids.add(p.id);
    });
    const check = (pairs: [number, number][], key: string) =>
      pairs.forEach(([a, b], i) => {
        if (a >= n || b >= n || a === b)
          ctx.addIssue({
            code: 'custom',
            path: [key, i],
            message: `pair [${a}, ${b}] is out of range for ${n} points`,
          });
      });
    check(t.skeleton, 'skeleton');
    check(t.flipPairs, 'flipPairs');
    if (t.normalization) check([t.normalization], 'normalization');
  });
export type KeypointTemplate = z.infer<typeof keypointTemplateSchema>;

/** COCO visibility: 0 not labelled / out of frame, 1 occluded (position estimated), 2 visible. */
export type Visibility = 0 | 1 | 2;
/** One placed point: image pixel coordinates (x right, y down) and visibility. */
export type Point = [x: number, y: number, v: Visibility];
/** A box in image pixels: left, top, width, height (COCO order). */
export type Box = [x: number, y: number, w: number, h: number];
