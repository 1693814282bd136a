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
  /** Audit exports (`mode=all`): the answer's status, why it was rejected, and when it came in. */
  shugu_status?: AnswerStatus;
  shugu_rejected_by?: 'review' | 'suspension';
  shugu_reject_reason?: string;
  shugu_created_at?: string;
  /** A gold item's reference answer (exported only on request). */
  shugu_gold_reference?: true;
}

export type AnswerStatus = 'submitted' | 'accepted' | 'rejected';

/** What Shugu adds to each annotation of one stored answer; each field is written only when set. */
export interface CocoExtras {
  workerId?: number;
  annotationId?: number;
  status?: AnswerStatus;
  /** A rejected answer: by a reviewer, or discarded when its worker was suspended. */
  rejectedBy?: 'review' | 'suspension';
  rejectReason?: string | null;
  /** ISO time the answer was stored. */
  createdAt?: string;
  goldReference?: boolean;
}

function extraFields(e: CocoExtras): Partial<CocoAnnotation> {
  const out: Partial<CocoAnnotation> = {};
  if (e.workerId !== undefined) out.shugu_worker_id = e.workerId;
  if (e.annotationId !== undefined) out.shugu_annotation_id = e.annotationId;
  if (e.status !== undefined) out.shugu_status = e.status;
  if (e.rejectedBy !== undefined) out.shugu_rejected_by = e.rejectedBy;
  if (e.rejectReason) out.shugu_reject_reason = e.rejectReason;
  if (e.createdAt !== undefined) out.shugu_created_at = e.createdAt;
  if (e.goldReference) out.shugu_gold_reference = true;
  return out;
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
  extras: CocoExtras = {},
  categoryId = 1,
): CocoAnnotation[] {
  const more = extraFields(extras);
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
    return Object.assign(ann, more);
  });
}

/**
 * The same annotations as `cocoAnnotations`, written straight to JSON text (each
 * preceded by a comma when `leadingComma`): the streamed export writes millions of
 * them, and building objects only to stringify them doubled its cost.
 */
export function cocoAnnotationsJson(
  data: AnnotationData,
  imageId: number,
  nextId: () => number,
  extras: CocoExtras,
  leadingComma: boolean,
  categoryId = 1,
): string {
  if (data.instances.length === 0) return '';
  // The extras are the same for every instance of the answer: encoded once, without the braces.
  const more = JSON.stringify(extraFields(extras)).slice(1, -1);
  const tail = more ? `,${more}}` : '}';
  let out = '';
  let first = !leadingComma;
  for (const inst of data.instances) {
    let kp = '';
    let labelled = 0;
    for (let i = 0; i < inst.points.length; i++) {
      const [x, y, v] = inst.points[i];
      if (i > 0) kp += ',';
      if (v === 0) kp += '0,0,0';
      else {
        kp += `${round2(x)},${round2(y)},${v}`;
        labelled++;
      }
    }
    const box = inst.bbox ?? boxOfPoints(inst.points) ?? [0, 0, 0, 0];
    const b0 = round2(box[0]);
    const b1 = round2(box[1]);
    const b2 = round2(box[2]);
    const b3 = round2(box[3]);
    out += `${first ? '' : ','}{"id":${nextId()},"image_id":${imageId},"category_id":${categoryId},"keypoints":[${kp}],"num_keypoints":${labelled},"bbox":[${b0},${b1},${b2},${b3}],"area":${round2(b2 * b3)},"iscrowd":0`;
    if (inst.attributes && Object.keys(inst.attributes).length > 0)
      out += `,"attributes":${JSON.stringify(inst.attributes)}`;
    out += tail;
    first = false;
  }
  return out;
}
