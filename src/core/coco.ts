/**
 * COCO keypoints encoding. Pure pieces that the streaming exporter strings together:
 * a category from a template, and annotations from one stored answer.
 */
import { boxOfPoints, type AnnotationData } from './annotation.js';
import type { KeypointTemplate } from './templates/template.js';

export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
  keypoints: string[];
  /** 1-based point indices, as COCO has it. */
  skeleton: [number, number][];
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  keypoints: number[];
  num_keypoints: number;
  bbox: [number, number, number, number];
  area: number;
  iscrowd: 0;
  attributes?: Record<string, string>;
  /** Shugu's extras, ignored by COCO tools: who drew it and which stored answer it came from. */
  shugu_worker_id?: number;
  shugu_annotation_id?: number;
}

export function cocoCategory(template: KeypointTemplate, id = 1): CocoCategory {
  return {
    id,
    name: template.kind === 'custom' ? template.id : template.kind === 'body' ? 'person' : template.kind,
    supercategory: template.kind === 'body' ? 'person' : template.kind,
    keypoints: template.points.map((p) => p.id),
    skeleton: template.skeleton.map(([a, b]) => [a + 1, b + 1]),
  };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * One COCO annotation per instance of a stored answer. `nextId` hands out ids so
 * they stay unique across a whole file.
 */
export function cocoAnnotations(
  data: AnnotationData,
  imageId: number,
  nextId: () => number,
  extras: { workerId?: number; annotationId?: number } = {},
  categoryId = 1,
): CocoAnnotation[] {
  return data.instances.map((inst) => {
    const keypoints: number[] = [];
    let labelled = 0;
    for (const [x, y, v] of inst.points) {
      if (v === 0) keypoints.push(0, 0, 0);
      else {
        keypoints.push(round2(x), round2(y), v);
        labelled++;
      }
    }
    const box = inst.bbox ?? boxOfPoints(inst.points) ?? [0, 0, 0, 0];
    const bbox = box.map(round2) as [number, number, number, number];
    const ann: CocoAnnotation = {
      id: nextId(),
      image_id: imageId,
      category_id: categoryId,
      keypoints,
      num_keypoints: labelled,
      bbox,
      area: round2(bbox[2] * bbox[3]),
      iscrowd: 0,
    };
    if (inst.attributes && Object.keys(inst.attributes).length > 0) ann.attributes = inst.attributes;
    if (extras.workerId !== undefined) ann.shugu_worker_id = extras.workerId;
    if (extras.annotationId !== undefined) ann.shugu_annotation_id = extras.annotationId;
    return ann;
  });
}
