/**
 * Makes the demo face-68 training course's references, once: runs the 68-point
 * landmark model shipped in @vladmandic/face-api (SSD MobileNet v1 face detector, then
 * the 68-point landmark net, on the tfjs wasm backend) over the six sample photos of
 * that package, cuts one crop per face, and writes the points in crop pixels to
 * src/server/seed/demo-face68-references.json, which is committed. The seed builds the
 * crops again from the same photos and rectangles.
 *
 * These are model-made demo references, not human gold: good enough to practise on,
 * and said so in the course. Run with:
 *
 *     npx tsx scripts/make-demo-references.ts
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import sharp from 'sharp';
import { checkAnnotation, type AnnotationData } from '../src/core/annotation.js';
import { goldReferenceProblem } from '../src/core/quality/gold-reference.js';
import { face68 } from '../src/core/templates/index.js';
import type { Box, Point } from '../src/core/templates/template.js';
import { flipAnnotation } from '../src/core/training/flip.js';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(root, 'src/server/seed/demo-face68-references.json');
const PHOTOS = ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'];
const PRACTICE = 10;
const EXAM = 10;
/** Faces the detector is less sure of than this are left out (a profile face scores 0.76, and its landmarks are poor). */
const MIN_SCORE = 0.8;
/** Crop margins around the face box, tried in turn until no other face intrudes. */
const MARGINS = [0.5, 0.4, 0.3, 0.2];

interface Face {
  photo: string;
  score: number;
  crop: Box;
  reference: AnnotationData;
}

const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const round1 = (x: number) => Math.round(x * 10) / 10;

function overlapShare(a: Box, b: Box): number {
  const iw = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  return iw <= 0 || ih <= 0 ? 0 : (iw * ih) / (b[2] * b[3]);
}

/** The widest crop around `box` that holds at most a sliver (10 %) of any other face. */
function cropFor(box: Box, others: Box[], width: number, height: number): Box {
  for (const m of MARGINS) {
    const x0 = Math.max(0, Math.floor(box[0] - m * box[2]));
    const y0 = Math.max(0, Math.floor(box[1] - m * box[3]));
    const x1 = Math.min(width, Math.ceil(box[0] + box[2] * (1 + m)));
    const y1 = Math.min(height, Math.ceil(box[1] + box[3] * (1 + m)));
    const crop: Box = [x0, y0, x1 - x0, y1 - y0];
    if (others.every((o) => overlapShare(crop, o) <= 0.1) || m === MARGINS[MARGINS.length - 1]) return crop;
  }
  throw new Error('unreachable');
}

async function main() {
  const faceApiDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  const version = JSON.parse(fs.readFileSync(path.join(faceApiDir, 'package.json'), 'utf8')).version as string;
  // The wasm binaries ship inside the npm package: nothing is fetched.
  wasm.setWasmPaths(
    path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/',
  );
  await tf.setBackend('wasm');
  await tf.ready();
  const models = path.join(faceApiDir, 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(models);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(models);

  const faces: Face[] = [];
  for (const photo of PHOTOS) {
    const file = path.join(faceApiDir, 'demo', photo);
    const { data, info } = await sharp(file).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const tensor = tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
    const found = await faceapi
      .detectAllFaces(tensor, new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_SCORE, maxResults: 20 }))
      .withFaceLandmarks();
    tensor.dispose();
    const boxes: Box[] = found.map((f: any) => {
      const b = f.detection.box;
      return [b.x, b.y, b.width, b.height] as Box;
    });
    found.forEach((f: any, k: number) => {
      const crop = cropFor(
        boxes[k],
        boxes.filter((_, j) => j !== k),
        info.width,
        info.height,
      );
      const [cx, cy, cw, ch] = crop;
      const b = boxes[k];
      const points: Point[] = f.landmarks.positions.map((p: { x: number; y: number }) => [
        round1(Math.min(cw, Math.max(0, p.x - cx))),
        round1(Math.min(ch, Math.max(0, p.y - cy))),
        2,
      ]);
      const bx = Math.max(0, b[0] - cx);
      const by = Math.max(0, b[1] - cy);
      const bbox: Box = [round1(bx), round1(by), round1(Math.min(cw - bx, b[2])), round1(Math.min(ch - by, b[3]))];
      faces.push({ photo, score: f.detection.score, crop, reference: { instances: [{ bbox, points }] } });
    });
    console.log(`${photo}: ${found.length} faces`);
  }
  if (faces.length < PRACTICE + EXAM - 1) throw new Error(`only ${faces.length} faces; ${PRACTICE + EXAM - 1} needed`);
  for (const f of faces) {
    const problems = [
      ...checkAnnotation(face68, f.crop[2], f.crop[3], f.reference).map((p) => p.message),
      goldReferenceProblem(face68, f.reference)?.message ?? '',
    ].filter(Boolean);
    if (problems.length) throw new Error(`${f.photo} ${f.crop}: ${problems.join('; ')}`);
  }
  // The clearest faces, alternately to the exam and to practice, so both sets draw on
  // every photo and no face is in both; practice ends with one of its faces mirrored.
  const chosen = faces.sort((a, b) => b.score - a.score).slice(0, PRACTICE + EXAM - 1);
  const exam = chosen.filter((_, i) => i % 2 === 0).slice(0, EXAM);
  const practice: (Face & { flip?: boolean })[] = chosen.filter((_, i) => i % 2 === 1).slice(0, PRACTICE - 1);
  const mirrored = practice[1];
  practice.push({ ...mirrored, flip: true, reference: flipAnnotation(mirrored.reference, mirrored.crop[2], face68) });
  const item = (kind: 'practice' | 'exam') => (f: Face & { flip?: boolean }) => ({
    kind,
    photo: f.photo,
    crop: f.crop,
    ...(f.flip ? { flip: true } : {}),
    detectionScore: Math.round(f.score * 1000) / 1000,
    reference: f.reference,
  });
  const out = {
    note: 'Model-made demo references, not human gold: the 68-point landmark model of @vladmandic/face-api. Made by scripts/make-demo-references.ts.',
    generator: {
      package: '@vladmandic/face-api',
      version,
      detector: 'ssd_mobilenetv1',
      landmarks: 'face_landmark_68_model',
      backend: 'tfjs wasm',
    },
    template: face68.id,
    items: [...practice.map(item('practice')), ...exam.map(item('exam'))],
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  // Formatted as the repository's prettier formats it, so `npm run lint` stays green.
  fs.writeFileSync(OUT, await prettier.format(JSON.stringify(out), { parser: 'json', filepath: OUT }));
  console.log(`wrote ${out.items.length} references to ${path.relative(root, OUT)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
