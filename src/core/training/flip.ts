/**
 * A horizontal mirror of an answer, for a training photo flipped left to right: every
 * x becomes `width − x`, and because a mirrored face shows the subject's right where
 * her left was, each point takes its flip partner's place (template flip pairs).
 */
import type { AnnotationData, Instance } from '../annotation.js';
import { flipPermutation } from '../quality/swap.js';
import type { KeypointTemplate } from '../templates/template.js';

/**
 * @example
 * // face-68: the mirrored right eye outer corner (36) is where the left one (45) was, mirrored.
 * flipAnnotation(data, 640, face68).instances[0].points[36] // → [640 − x45, y45, v45]
 */
export function flipAnnotation(
  data: AnnotationData,
  width: number,
  template: Pick<KeypointTemplate, 'points' | 'flipPairs'>,
): AnnotationData {
  const perm = flipPermutation(template);
  const flip = (inst: Instance): Instance => ({
    ...inst,
    bbox: inst.bbox ? [width - inst.bbox[0] - inst.bbox[2], inst.bbox[1], inst.bbox[2], inst.bbox[3]] : null,
    points: inst.points.map((_, i) => {
      const [x, y, v] = inst.points[perm[i]];
      // An unplaced point keeps its (meaningless) coordinates: only its visibility counts.
      return v === 0 ? [x, y, v] : [width - x, y, v];
    }),
  });
  return { instances: data.instances.map(flip) };
}
