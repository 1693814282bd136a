/**
 * The crowd of bench/crowd.ts: synthetic 68-point faces and how each kind of worker
 * answers them. A seeded generator drives everything, so a seed is a run.
 *
 * Kinds (σ per coordinate in units of the face size, drawn once per worker):
 * - careful: σ 1.2–1.8 %, 30–90 s per face;
 * - sloppy: σ from `--sloppy-min` to `--sloppy-max` (default 2.5–4 %), 15–30 s;
 * - swapper (partial): careful (σ 1.5 %), but on a third of faces relabels the eyebrows
 *   or the eyes (one region, drawn per face) left ↔ right;
 * - spammer: every point uniform over the image, 3 s per face (too fast to be real);
 * - timed spammer: careful (σ 1.5 %, 40 s) when he expects a check — his first 10
 *   leases, and the 3 leases after his accuracy page changes — otherwise uniform
 *   clicks, with a believable 25 s;
 * - gold skipper: skips every gold item he is given (the simulator tells him, a worst
 *   case) and clicks at random on the rest, 25 s per face.
 */
import type { Instance } from '../src/core/annotation.js';
import { face68 } from '../src/core/templates/face-68.js';
import type { Point } from '../src/core/templates/template.js';

export type Kind = 'careful' | 'sloppy' | 'swapper' | 'spammer' | 'timed' | 'skipper';
export const KINDS: Kind[] = ['careful', 'sloppy', 'swapper', 'spammer', 'timed', 'skipper'];

export const W = 1000;
export const H = 800;
const N = face68.points.length;
/** Share of faces a partial swapper swaps. */
export const SWAP_SHARE = 1 / 3;
const BROWS = [17, 18, 19, 20, 21, 22, 23, 24, 25, 26];
const EYES = [36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47];

export interface Face {
  size: number;
  points: Point[];
}

export class Rng {
  private spare: number | null = null;
  constructor(readonly rand: () => number) {}
  between(lo: number, hi: number) {
    return lo + this.rand() * (hi - lo);
  }
  /** Standard normal (Box–Muller, second value kept). */
  gauss(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.rand();
    const v = this.rand();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round1 = (v: number) => Math.round(v * 10) / 10;

/** A true face: the template's mean shape scaled to 80–300 px, jittered by 1 %, rotated ±10°, inside the image. */
export function makeFace(rng: Rng): Face {
  const size = rng.between(80, 300);
  const w = size * face68.refAspect;
  const h = size;
  const theta = (rng.between(-10, 10) * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const half = 0.5 * Math.hypot(w, h) + 0.05 * size;
  const cx = rng.between(half, W - half);
  const cy = rng.between(half, H - half);
  const points: Point[] = face68.points.map((p) => {
    const dx = (p.ref[0] - 0.5) * w + rng.gauss() * 0.01 * size;
    const dy = (p.ref[1] - 0.5) * h + rng.gauss() * 0.01 * size;
    return [cx + cos * dx - sin * dy, cy + sin * dx + cos * dy, 2];
  });
  return { size, points };
}

const partner = new Int32Array(N).map((_, i) => i);
for (const [a, b] of face68.flipPairs) [partner[a], partner[b]] = [b, a];

/** Noisy copy of the truth; `swap` lists points read through their flip partner. */
function placed(rng: Rng, face: Face, sigma: number, swap: readonly number[] = []): Point[] {
  const s = sigma * face.size;
  const swapped = new Set(swap);
  const points: Point[] = [];
  for (let i = 0; i < N; i++) {
    const t = face.points[swapped.has(i) ? partner[i] : i];
    points.push([round1(clamp(t[0] + rng.gauss() * s, 0, W)), round1(clamp(t[1] + rng.gauss() * s, 0, H)), 2]);
  }
  return points;
}

function uniform(rng: Rng): Point[] {
  return Array.from({ length: N }, (): Point => [round1(rng.rand() * W), round1(rng.rand() * H), 2]);
}

export interface Answer {
  inst: Instance;
  /** What the answer is, for the failure breakdown: `careful`, `swapped-brow`, `random`, … */
  shape: string;
  activeMs: number;
}

/** Whether a timed spammer expects a check on his next lease. */
export interface Expectation {
  leases: number;
  sincePageChange: number;
}

export function answer(rng: Rng, kind: Kind, sigma: number, face: Face, expect: Expectation): Answer {
  switch (kind) {
    case 'careful':
      return {
        inst: { bbox: null, points: placed(rng, face, sigma) },
        shape: 'careful',
        activeMs: rng.between(30e3, 90e3),
      };
    case 'sloppy':
      return {
        inst: { bbox: null, points: placed(rng, face, sigma) },
        shape: 'sloppy',
        activeMs: rng.between(15e3, 30e3),
      };
    case 'swapper': {
      if (rng.rand() >= SWAP_SHARE) {
        return { inst: { bbox: null, points: placed(rng, face, sigma) }, shape: 'careful', activeMs: 40e3 };
      }
      const brows = rng.rand() < 0.5;
      return {
        inst: { bbox: null, points: placed(rng, face, sigma, brows ? BROWS : EYES) },
        shape: brows ? 'swapped-brow' : 'swapped-eye',
        activeMs: 40e3,
      };
    }
    case 'spammer':
      return { inst: { bbox: null, points: uniform(rng) }, shape: 'random', activeMs: 3e3 };
    case 'timed':
      if (expect.leases < 10 || expect.sincePageChange < 3) {
        return { inst: { bbox: null, points: placed(rng, face, 0.015) }, shape: 'careful', activeMs: 40e3 };
      }
      return { inst: { bbox: null, points: uniform(rng) }, shape: 'random', activeMs: 25e3 };
    case 'skipper':
      return { inst: { bbox: null, points: uniform(rng) }, shape: 'random', activeMs: 25e3 };
    default: {
      const never: never = kind;
      throw new Error(`unknown kind ${String(never)}`);
    }
  }
}

/** σ of a new worker of this kind. */
export function sigmaOf(rng: Rng, kind: Kind, sloppy: [number, number]): number {
  switch (kind) {
    case 'careful':
      return rng.between(0.012, 0.018);
    case 'sloppy':
      return rng.between(sloppy[0], sloppy[1]);
    case 'swapper':
    case 'timed':
      return 0.015;
    case 'spammer':
    case 'skipper':
      return NaN;
    default: {
      const never: never = kind;
      throw new Error(`unknown kind ${String(never)}`);
    }
  }
}
