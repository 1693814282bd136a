/**
 * Partial left/right swaps, named by region. A worker rarely mirrors a whole face:
 * more often only the eyebrows, only the eyes or only the jaw line go on the wrong
 * side. The template's flip pairs are grouped into regions by the groups of their
 * points (`right_brow` + `left_brow` → `brow`, `jaw` → `jaw`), and each region is
 * tested on its own: does the answer read much better with that region's pairs
 * exchanged? Only pairs whose two sides lie well apart are tested (`minSeparation`):
 * exchanging close ones (the inner lips) changes nothing that matters, and placement
 * noise alone could make them look exchanged.
 */
import type { Instance } from '../annotation.js';
import type { KeypointTemplate, Localized } from '../templates/template.js';

export type RegionTemplate = Pick<KeypointTemplate, 'points' | 'flipPairs'>;

export interface FlipRegion {
  /** Region key, e.g. `brow`, `eye`, `jaw` (the point groups without `left`/`right`). */
  key: string;
  /** The region's flip pairs as the template lists them. */
  pairs: [number, number][];
}

const regionCache = new WeakMap<readonly [number, number][], FlipRegion[]>();

/** `right_brow` → `brow`; `jaw` → `jaw`; `left_arm` → `arm`. */
function sideless(group: string): string {
  const parts = group.split('_').filter((p) => p !== 'left' && p !== 'right');
  return parts.length ? parts.join('_') : group;
}

/**
 * The template's flip pairs grouped into regions, in the order of their first pair.
 * Cached per `flipPairs` array.
 *
 * @example flipRegions(face68).map((r) => r.key)
 * // → ['jaw', 'brow', 'nose_bottom', 'eye', 'outer_lips', 'inner_lips']
 */
export function flipRegions(template: RegionTemplate): FlipRegion[] {
  const cached = regionCache.get(template.flipPairs);
  if (cached) return cached;
  const byKey = new Map<string, FlipRegion>();
  for (const pair of template.flipPairs) {
    const ga = sideless(template.points[pair[0]]?.group ?? '');
    const gb = sideless(template.points[pair[1]]?.group ?? '');
    const key = ga === gb ? ga : [ga, gb].sort().join('+');
    let r = byKey.get(key);
    if (!r) byKey.set(key, (r = { key, pairs: [] }));
    r.pairs.push([pair[0], pair[1]]);
  }
  const regions = [...byKey.values()];
  regionCache.set(template.flipPairs, regions);
  return regions;
}

const REGION_NAMES: Record<string, Localized> = {
  brow: { zh: '眉毛', en: 'eyebrows' },
  eye: { zh: '眼睛', en: 'eyes' },
  eyes: { zh: '眼睛', en: 'eyes' },
  jaw: { zh: '下颌轮廓', en: 'jaw line' },
  nose_bottom: { zh: '鼻翼和鼻孔', en: 'nose wings and nostrils' },
  nose: { zh: '鼻子', en: 'nose' },
  outer_lips: { zh: '外唇', en: 'outer lips' },
  inner_lips: { zh: '内唇', en: 'inner lips' },
  mouth: { zh: '嘴角', en: 'mouth corners' },
  head: { zh: '眼睛和耳朵', en: 'eyes and ears' },
  arm: { zh: '手臂', en: 'arms' },
  leg: { zh: '腿', en: 'legs' },
};

/**
 * What to tell a worker whose answer has these regions swapped: "左右眉毛互换" /
 * "left and right eyebrows swapped". Regions of custom templates without a known name
 * are named by their first pair's points. Every region swapped reads as the whole face.
 *
 * @example swapLabel(['brow'], face68) // → { zh: '左右眉毛互换', en: 'left and right eyebrows swapped' }
 */
export function swapLabel(keys: readonly string[], template: RegionTemplate): Localized {
  const regions = flipRegions(template);
  if (keys.length > 1 && keys.length === regions.length) {
    return { zh: '整体左右互换', en: 'left and right swapped throughout' };
  }
  const names = keys.map((k) => {
    const known = REGION_NAMES[k];
    if (known) return known;
    const r = regions.find((x) => x.key === k);
    const [a, b] = r?.pairs[0] ?? [0, 0];
    const pa = template.points[a]?.name;
    const pb = template.points[b]?.name;
    return pa && pb ? { zh: `${pa.zh}/${pb.zh}`, en: `${pa.en} / ${pb.en}` } : { zh: k, en: k };
  });
  return {
    zh: `左右${names.map((n) => n.zh).join('、')}互换`,
    en: `left and right ${names.map((n) => n.en).join(', ')} swapped`,
  };
}

export interface RegionSwapOptions {
  /** The exchanged reading must be below `ratio` × the error as placed (default 0.5). */
  ratio?: number;
  /** …and below this normalised error, while the error as placed is at least this (default 0.1). */
  maxNme?: number;
  /**
   * Only pairs whose two reference points lie at least this far apart (normalised,
   * default 2.5 × maxNme) are tested: closer pairs (inner lips, nostrils) can look
   * exchanged through placement noise alone, and exchanging them changes little.
   */
  minSeparation?: number;
}

export interface RegionSwap {
  key: string;
  /** Mean normalised error of the region's points as placed. */
  error: number;
  /** …and with each of its pairs exchanged. */
  errorSwapped: number;
  /**
   * The pairs read better exchanged: every pair of the region when the region as a
   * whole passes the test, else those pairs that pass it on their own (part of a jaw
   * line); empty when the region is not swapped.
   */
  swappedPairs: [number, number][];
}

/**
 * Per region of the template: is the answer's region swapped against the reference?
 * Both are flat `[x, y, v]` arrays in template order; `norm` is the normaliser in
 * pixels (inter-ocular distance). Pairs where either side leaves a point unlabelled
 * are not scored; regions with no scored pair are left out.
 *
 * @example
 * detectRegionSwapsFlat(answerXYV, referenceXYV, norm, face68).filter((r) => r.swappedPairs.length)
 * // → [{ key: 'brow', error: 0.9, errorSwapped: 0.02, swappedPairs: [[17, 26], …] }]
 */
export function detectRegionSwapsFlat(
  answer: ArrayLike<number>,
  reference: ArrayLike<number>,
  norm: number,
  template: RegionTemplate,
  options: RegionSwapOptions = {},
): RegionSwap[] {
  const ratio = options.ratio ?? 0.5;
  const maxNme = options.maxNme ?? 0.1;
  const minSeparation = options.minSeparation ?? 2.5 * maxNme;
  const out: RegionSwap[] = [];
  if (!(norm > 0)) return out;
  const inv = 1 / norm;
  for (const region of flipRegions(template)) {
    let e = 0;
    let es = 0;
    let scored = 0;
    const single: [number, number][] = [];
    for (const pair of region.pairs) {
      const a = 3 * pair[0];
      const b = 3 * pair[1];
      if (!(answer[a + 2] > 0 && answer[b + 2] > 0 && reference[a + 2] > 0 && reference[b + 2] > 0)) continue;
      if (dist(reference, a, reference, b) * inv < minSeparation) continue;
      const pe = (dist(answer, a, reference, a) + dist(answer, b, reference, b)) * inv;
      const ps = (dist(answer, b, reference, a) + dist(answer, a, reference, b)) * inv;
      e += pe;
      es += ps;
      scored++;
      if (ps / 2 < ratio * (pe / 2) && ps / 2 < maxNme && pe / 2 >= maxNme) single.push(pair);
    }
    if (scored === 0) continue;
    const error = e / (2 * scored);
    const errorSwapped = es / (2 * scored);
    const whole = errorSwapped < ratio * error && errorSwapped < maxNme && error >= maxNme;
    out.push({ key: region.key, error, errorSwapped, swappedPairs: whole ? region.pairs.slice() : single });
  }
  return out;
}

/**
 * A quick necessary condition for `detectRegionSwapsFlat` to find anything: some
 * region's error as placed reaches `maxNme`. No allocation; the merge runs it on
 * every answer and the full test only where it passes.
 */
export function mayHaveSwaps(
  answer: ArrayLike<number>,
  reference: ArrayLike<number>,
  norm: number,
  template: RegionTemplate,
  options: RegionSwapOptions = {},
): boolean {
  const maxNme = options.maxNme ?? 0.1;
  const minSeparation = options.minSeparation ?? 2.5 * maxNme;
  if (!(norm > 0)) return false;
  const inv = 1 / norm;
  for (const region of flipRegions(template)) {
    let e = 0;
    let scored = 0;
    for (const pair of region.pairs) {
      const a = 3 * pair[0];
      const b = 3 * pair[1];
      if (!(answer[a + 2] > 0 && answer[b + 2] > 0 && reference[a + 2] > 0 && reference[b + 2] > 0)) continue;
      if (dist(reference, a, reference, b) * inv < minSeparation) continue;
      const pe = (dist(answer, a, reference, a) + dist(answer, b, reference, b)) * inv;
      // A single pair can pass on its own (part of a jaw line).
      if (pe / 2 >= maxNme) return true;
      e += pe;
      scored++;
    }
    if (scored > 0 && e / (2 * scored) >= maxNme) return true;
  }
  return false;
}

/** Distance between point `i` of `p` and point `j` of `q` (offsets into flat rows); sqrt, as Math.hypot is slow. */
function dist(p: ArrayLike<number>, i: number, q: ArrayLike<number>, j: number): number {
  const dx = p[i] - q[j];
  const dy = p[i + 1] - q[j + 1];
  return Math.sqrt(dx * dx + dy * dy);
}

/** `detectRegionSwapsFlat` on instances (reference normaliser given). */
export function detectRegionSwaps(
  answer: Instance,
  reference: Instance,
  norm: number,
  template: RegionTemplate,
  options: RegionSwapOptions = {},
): RegionSwap[] {
  return detectRegionSwapsFlat(flatten(answer, template), flatten(reference, template), norm, template, options);
}

/** An instance's points as a flat `[x, y, v]` array in template order (missing points unlabelled). */
export function flatten(instance: Instance, template: Pick<KeypointTemplate, 'points'>): Float64Array {
  const n = template.points.length;
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const p = instance.points[i];
    if (p && p[2] > 0) {
      out[3 * i] = p[0];
      out[3 * i + 1] = p[1];
      out[3 * i + 2] = p[2];
    }
  }
  return out;
}

/** Exchanges the given pairs in a flat `[x, y, v]` row, in place: a swapped answer flipped back. */
export function exchangePairs(row: Float64Array, pairs: readonly (readonly [number, number])[]): void {
  for (const [i, j] of pairs) {
    const a = 3 * i;
    const b = 3 * j;
    for (let k = 0; k < 3; k++) {
      const t = row[a + k];
      row[a + k] = row[b + k];
      row[b + k] = t;
    }
  }
}
