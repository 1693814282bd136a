/**
 * Reads gold references from a COCO keypoints file (pure: the service matches the
 * images to items and stores the result).
 *
 * Which annotations count: only those of the project's category, and no crowd regions.
 * - A category of the file is the project's when its `name` or its `keypoints` list is
 *   the project's (`cocoCategory(template)`); a file without `categories` is read as
 *   Shugu's own export, whose one category has id 1.
 * - An annotation whose `category_id` the file does not declare is refused; one of
 *   another declared category (say `person` in a face project) is skipped and reported.
 * - `iscrowd: 1` marks a region of many objects, not one face: skipped and reported.
 * - Visibility 0 in the file means "not labelled / not in the image" (COCO's own
 *   convention), so such points are taken as decided.
 * Every refusal names the annotation (its index in `annotations` and its id) and why.
 */
import type { Instance } from './annotation.js';
import type { CocoCategory } from './coco.js';
import type { Point } from './templates/template.js';

export type CocoGoldProblemCode =
  | 'invalid_coco'
  | 'invalid_image'
  | 'invalid_annotation'
  | 'unknown_category'
  | 'category_mismatch'
  | 'unknown_image'
  | 'wrong_point_count'
  | 'invalid_keypoints';

export interface CocoGoldProblem {
  code: CocoGoldProblemCode;
  /** Where: `annotations[3]`, `images[0]`, `categories`. */
  at: string;
  /** The annotation's or image's own `id`, when it has one. */
  id?: unknown;
  message: string;
}

export interface CocoGoldSkip {
  at: string;
  id?: unknown;
  imageId?: unknown;
}

export interface CocoGoldRead {
  problems: CocoGoldProblem[];
  /** Each image of the file, in order, with the instances that count. */
  images: { fileName: string; instances: Instance[] }[];
  skipped: { crowd: CocoGoldSkip[]; otherCategory: CocoGoldSkip[] };
}

/** Problems reported at most; one bad file should not answer with a megabyte of errors. */
export const MAX_PROBLEMS = 50;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number | string =>
  (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length > 0);

/**
 * @example
 * const r = readCocoGold(json, cocoCategory(face68));
 * if (r.problems.length) throw …;   // refuse the whole file
 * r.images;                          // [{ fileName: 'a.jpg', instances: [...] }, …]
 */
export function readCocoGold(coco: unknown, category: Pick<CocoCategory, 'name' | 'keypoints'>): CocoGoldRead {
  const problems: CocoGoldProblem[] = [];
  const skipped: CocoGoldRead['skipped'] = { crowd: [], otherCategory: [] };
  const problem = (p: CocoGoldProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  if (!isObject(coco) || !Array.isArray(coco.images) || !Array.isArray(coco.annotations)) {
    problem({ code: 'invalid_coco', at: '', message: 'A COCO file has "images" and "annotations" arrays.' });
    return { problems, images: [], skipped };
  }
  const n = category.keypoints.length;

  // Categories: which ids are declared, and which of them are the project's.
  const declared = new Set<unknown>();
  const ours = new Set<unknown>();
  if (coco.categories !== undefined && !Array.isArray(coco.categories)) {
    problem({ code: 'invalid_coco', at: 'categories', message: '"categories" must be an array.' });
  }
  const categories = Array.isArray(coco.categories) ? coco.categories : [];
  categories.forEach((c, i) => {
    if (!isObject(c) || !isId(c.id)) {
      problem({ code: 'invalid_coco', at: `categories[${i}]`, message: `categories[${i}] has no id.` });
      return;
    }
    declared.add(c.id);
    const sameKeypoints =
      Array.isArray(c.keypoints) &&
      c.keypoints.length === n &&
      c.keypoints.every((k, j) => k === category.keypoints[j]);
    if (c.name === category.name || sameKeypoints) ours.add(c.id);
  });
  if (categories.length === 0) {
    declared.add(1);
    ours.add(1);
  } else if (ours.size === 0 && problems.length === 0) {
    const names = categories.map((c) => (isObject(c) ? String(c.name) : '?')).join(', ');
    problem({
      code: 'category_mismatch',
      at: 'categories',
      message: `None of the file's categories (${names}) is this project's "${category.name}" with its ${n} keypoints.`,
    });
  }

  // Images.
  const order: { id: unknown; fileName: string }[] = [];
  const imageIds = new Set<unknown>();
  coco.images.forEach((img, i) => {
    if (!isObject(img) || !isId(img.id) || typeof img.file_name !== 'string' || img.file_name === '') {
      problem({
        code: 'invalid_image',
        at: `images[${i}]`,
        id: isObject(img) ? img.id : undefined,
        message: `images[${i}] needs an "id" and a "file_name".`,
      });
      return;
    }
    imageIds.add(img.id);
    order.push({ id: img.id, fileName: img.file_name });
  });

  // Annotations.
  const byImage = new Map<unknown, Instance[]>();
  coco.annotations.forEach((a, i) => {
    const at = `annotations[${i}]`;
    if (!isObject(a)) {
      problem({ code: 'invalid_annotation', at, message: `${at} is not an object.` });
      return;
    }
    const where = a.id === undefined ? at : `${at} (id ${JSON.stringify(a.id)})`;
    if (!declared.has(a.category_id)) {
      problem({
        code: 'unknown_category',
        at,
        id: a.id,
        message:
          a.category_id === undefined
            ? `${where} has no category_id.`
            : `${where}: category_id ${JSON.stringify(a.category_id)} is not one of the file's categories.`,
      });
      return;
    }
    if (!imageIds.has(a.image_id)) {
      problem({
        code: 'unknown_image',
        at,
        id: a.id,
        message: `${where}: image_id ${JSON.stringify(a.image_id)} is not one of the file's images.`,
      });
      return;
    }
    if (!ours.has(a.category_id)) {
      skipped.otherCategory.push({ at, id: a.id, imageId: a.image_id });
      return;
    }
    if (a.iscrowd === 1 || a.iscrowd === true) {
      skipped.crowd.push({ at, id: a.id, imageId: a.image_id });
      return;
    }
    const kp = a.keypoints;
    if (!Array.isArray(kp) || kp.length !== 3 * n) {
      const len = Array.isArray(kp) ? kp.length : 0;
      const points = len % 3 === 0 ? `${len / 3} keypoints` : `${len} keypoint values (not a multiple of 3)`;
      problem({
        code: 'wrong_point_count',
        at,
        id: a.id,
        message: `${where} has ${points}; the template has ${n}.`,
      });
      return;
    }
    const points: Point[] = [];
    for (let j = 0; j < n; j++) {
      const x = kp[3 * j];
      const y = kp[3 * j + 1];
      const v = kp[3 * j + 2];
      if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
        problem({ code: 'invalid_keypoints', at, id: a.id, message: `${where}: keypoint ${j} is not a number pair.` });
        return;
      }
      points.push(v === 1 || v === 2 ? [x, y, v] : [0, 0, 0]);
    }
    const b = a.bbox;
    const bbox =
      Array.isArray(b) && b.length === 4 && b.every((x) => typeof x === 'number' && Number.isFinite(x))
        ? (b as Instance['bbox'])
        : null;
    const list = byImage.get(a.image_id) ?? [];
    list.push({ bbox, points });
    byImage.set(a.image_id, list);
  });

  return {
    problems,
    images: order.map((img) => ({ fileName: img.fileName, instances: byImage.get(img.id) ?? [] })),
    skipped,
  };
}
