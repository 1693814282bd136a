/**
 * Test-only helpers for the quality tests: small, valid keypoint templates and
 * instances built by hand. Imported by `*.test.ts` only; not part of the public API
 * (not re-exported from `index.ts`).
 */
import type { Instance } from '../annotation.js';
import { keypointTemplateSchema, type KeypointTemplate, type Point, type Side } from '../templates/template.js';

export interface MakeTemplateOptions {
  /** One sigma for every point, or one per point (default 0.025). */
  sigma?: number | number[];
  flipPairs?: [number, number][];
  normalization?: [number, number] | null;
  /** One side per point (default: `center` for all, then `left`/`right` from `flipPairs`). */
  sides?: Side[];
}

/**
 * A valid template with `n` points (ids `p0`, `p1`, …), checked by `keypointTemplateSchema`.
 *
 * @example makeTemplate(2, { normalization: [0, 1], flipPairs: [[0, 1]] })
 */
export function makeTemplate(n: number, opts: MakeTemplateOptions = {}): KeypointTemplate {
  const flipPairs = opts.flipPairs ?? [];
  const sides: Side[] = opts.sides ?? Array.from({ length: n }, () => 'center' as Side);
  if (!opts.sides) {
    for (const [a, b] of flipPairs) {
      sides[a] = 'left';
      sides[b] = 'right';
    }
  }
  return keypointTemplateSchema.parse({
    id: `test-${n}`,
    name: { zh: '测试', en: 'test' },
    kind: 'custom',
    points: Array.from({ length: n }, (_, i) => ({
      id: `p${i}`,
      name: { zh: `点${i}`, en: `point ${i}` },
      group: 'all',
      side: sides[i],
      color: '#ff0000',
      sigma: Array.isArray(opts.sigma) ? opts.sigma[i] : (opts.sigma ?? 0.025),
      ref: [0.5, 0.5],
    })),
    skeleton: [],
    flipPairs,
    normalization: opts.normalization === undefined ? null : opts.normalization,
    refAspect: 1,
  });
}

/** An instance from `[x, y]` (visible) or `[x, y, v]` points, with an optional box. */
export function inst(points: ([number, number] | Point)[], bbox: Instance['bbox'] = null): Instance {
  return { bbox, points: points.map((p) => (p.length === 2 ? [p[0], p[1], 2] : p) as Point) };
}
