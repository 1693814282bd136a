/**
 * What a worker is shown right after a practice answer: each point's error in image
 * pixels, named from the template ("左眼外眼角 偏离 12 px"), with both positions so the
 * page can draw a line from her point to the reference. Practice only: exam references
 * never leave the server.
 */
import type { AnnotationData } from '../annotation.js';
import { pairInstances } from '../quality/gold-score.js';
import type { KeypointTemplate, Localized } from '../templates/template.js';

export type PointErrorKind =
  /** Both placed: `px` is the distance. */
  | 'offset'
  /** The reference labels the point; the answer left it unplaced. */
  | 'missed'
  /** The answer placed a point the reference marks as not in the image. */
  | 'extra';

export interface PointError {
  /** Index of the reference instance (face) the point belongs to. */
  instance: number;
  /** Index of the point in the template. */
  index: number;
  id: string;
  name: Localized;
  kind: PointErrorKind;
  /** Distance in image pixels, rounded to 0.1; null unless `offset`. */
  px: number | null;
  answer: [number, number] | null;
  reference: [number, number] | null;
}

export interface PointErrorReport {
  /** Every labelled point of every matched face, largest error first. */
  errors: PointError[];
  /** Reference faces the answer has no counterpart for. */
  missedInstances: number;
  /** Answer faces that match no reference face. */
  extraInstances: number;
  /** Mean offset in px over points placed in both; null when there are none. */
  meanPx: number | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Per-point pixel errors of `answer` against `reference`, faces paired as in gold
 * scoring.
 *
 * @example
 * pointErrors(answer, reference, face68).errors[0]
 * // → { instance: 0, index: 45, id: 'left_eye_outer', name: { zh: '左眼外眼角', … }, kind: 'offset', px: 12, … }
 */
export function pointErrors(
  answer: AnnotationData,
  reference: AnnotationData,
  template: Pick<KeypointTemplate, 'points'>,
): PointErrorReport {
  const { pairs, unmatchedAns, unmatchedRef } = pairInstances(answer.instances, reference.instances, template);
  const errors: PointError[] = [];
  let sum = 0;
  let count = 0;
  for (const pair of pairs) {
    const a = answer.instances[pair.a];
    const r = reference.instances[pair.b];
    template.points.forEach((tp, i) => {
      const ap = a.points[i];
      const rp = r.points[i];
      const aOn = Boolean(ap && ap[2] !== 0);
      const rOn = Boolean(rp && rp[2] !== 0);
      if (!aOn && !rOn) return;
      const base = { instance: pair.b, index: i, id: tp.id, name: tp.name };
      const answerXY: [number, number] | null = aOn ? [ap[0], ap[1]] : null;
      const referenceXY: [number, number] | null = rOn ? [rp[0], rp[1]] : null;
      if (aOn && rOn) {
        const px = Math.hypot(ap[0] - rp[0], ap[1] - rp[1]);
        sum += px;
        count++;
        errors.push({ ...base, kind: 'offset', px: round1(px), answer: answerXY, reference: referenceXY });
      } else {
        errors.push({ ...base, kind: rOn ? 'missed' : 'extra', px: null, answer: answerXY, reference: referenceXY });
      }
    });
  }
  // Missed and extra points first, then the largest offsets: what to fix comes first.
  const weight = (e: PointError) => (e.kind === 'offset' ? (e.px ?? 0) : Infinity);
  errors.sort((x, y) => weight(y) - weight(x) || x.instance - y.instance || x.index - y.index);
  return {
    errors,
    missedInstances: unmatchedRef.size,
    extraInstances: unmatchedAns.size,
    meanPx: count ? round1(sum / count) : null,
  };
}

/**
 * True when the answer places every point the reference labels, on every reference
 * face: the "answered with all points" of exam completeness. A reference with no face
 * is complete when the answer has none either.
 */
export function isComplete(
  answer: AnnotationData,
  reference: AnnotationData,
  template: Pick<KeypointTemplate, 'points'>,
): boolean {
  if (reference.instances.length === 0) return answer.instances.length === 0;
  const report = pointErrors(answer, reference, template);
  return report.missedInstances === 0 && report.errors.every((e) => e.kind !== 'missed');
}
