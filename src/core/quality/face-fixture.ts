/**
 * Test-only: synthetic 68-point faces and workers' answers for the consensus, peer and
 * standing tests. Seeded, so a test is the same on every run. Not part of the public
 * API (not re-exported from `index.ts`).
 */
import type { Instance } from '../annotation.js';
import { face68 } from '../templates/face-68.js';
import type { Point } from '../templates/template.js';

export const BROWS = [17, 18, 19, 20, 21, 22, 23, 24, 25, 26];
export const EYES = [36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47];

const partner = Array.from(face68.points, (_, i) => i);
for (const [a, b] of face68.flipPairs) [partner[a], partner[b]] = [b, a];

export class FaceSim {
  private s: number;
  private spare: number | null = null;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  rand(): number {
    // mulberry32
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  gauss(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.rand()));
    const a = 2 * Math.PI * this.rand();
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }
  /** A true face of `size` px at (x0, y0). */
  face(size = 200, x0 = 100, y0 = 100): Instance {
    return {
      bbox: null,
      points: face68.points.map((p): Point => [x0 + p.ref[0] * size, y0 + p.ref[1] * size, 2]),
    };
  }
  /** A worker's answer: the truth plus Gaussian noise of `sigma` × the face size, `swap` points relabelled. */
  answer(truth: Instance, sigma: number, swap: readonly number[] = [], size = 200): Instance {
    const swapped = new Set(swap);
    return {
      bbox: null,
      points: truth.points.map((_, i): Point => {
        const t = truth.points[swapped.has(i) ? partner[i] : i];
        return [t[0] + this.gauss() * sigma * size, t[1] + this.gauss() * sigma * size, 2];
      }),
    };
  }
  /** Random clicks over a w × h image. */
  random(w = 600, h = 600): Instance {
    return { bbox: null, points: face68.points.map((): Point => [this.rand() * w, this.rand() * h, 2]) };
  }
}

/** Mean normalised error of an answer against the truth (inter-ocular distance of the truth). */
export function errorOf(answer: Instance, truth: Instance): number {
  const iod = Math.hypot(truth.points[36][0] - truth.points[45][0], truth.points[36][1] - truth.points[45][1]);
  let s = 0;
  for (let i = 0; i < truth.points.length; i++) {
    const a = answer.points[i];
    const t = truth.points[i];
    s += a && a[2] > 0 ? Math.hypot(a[0] - t[0], a[1] - t[1]) / iod : 1;
  }
  return s / truth.points.length;
}

/** An instance's points as a flat `[x, y, v]` array. */
export function flatOf(instance: Instance): Float64Array {
  return Float64Array.from(instance.points.flat());
}
