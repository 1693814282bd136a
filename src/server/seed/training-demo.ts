/**
 * The demo's training: a published Chinese face-68 course with three lessons, ten
 * practice items and a ten-item exam, cut from the six sample photos of
 * @vladmandic/face-api. The references were made once by the package's 68-point model
 * (scripts/make-demo-references.ts) and are committed beside this file; the course
 * says plainly that they are model-made demo references.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { AnnotationData } from '../../core/annotation.js';
import { face68 } from '../../core/templates/index.js';
import type { KeypointTemplate } from '../../core/templates/template.js';
import type { Context } from '../context.js';
import { withTx } from '../db/tx.js';
import { recordImage, storeImage, type StoredImage } from '../services/training-media.js';
import { assetUrl } from '../services/training.service.js';
import references from './demo-face68-references.json' with { type: 'json' };
import { DEMO_COURSE, DEMO_LESSONS } from './training-lessons.js';

export interface DemoReference {
  kind: 'practice' | 'exam';
  photo: string;
  /** Left, top, width, height in the photo (after EXIF orientation). */
  crop: [number, number, number, number];
  /** The crop is mirrored left to right (its reference already is). */
  flip?: boolean;
  reference: AnnotationData;
}

export const demoReferences = references.items as unknown as DemoReference[];

/** Demo pass marks: model references differ from a careful hand by a few pixels. */
const DEMO_MARKS = { pass: 0.6, completeness: 0.9, level2: 0.75, level3: 0.85, cooldownMinutes: 30 };

/**
 * Creates the demo course for `orgId`, made by `managerId`; `photosDir` holds the
 * sample photos. Returns the course id.
 */
export async function seedDemoTraining(ctx: Context, orgId: number, managerId: number, photosDir: string) {
  const now = ctx.clock.now();
  const course = await ctx.repos.training.createCourse({
    org_id: orgId,
    template_id: face68.id,
    template: JSON.stringify(face68),
    title: DEMO_COURSE.title,
    description: DEMO_COURSE.description,
    status: 'published',
    pass_accuracy: DEMO_MARKS.pass,
    pass_completeness: DEMO_MARKS.completeness,
    level2_accuracy: DEMO_MARKS.level2,
    level3_accuracy: DEMO_MARKS.level3,
    cooldown_minutes: DEMO_MARKS.cooldownMinutes,
    created_by: managerId,
    created_at: now,
    updated_at: now,
  });
  const staging = await ctx.store.stagingDir();
  try {
    const diagramFile = path.join(staging, 'face-68-diagram.png');
    await fsp.writeFile(diagramFile, await diagramPng(face68));
    const diagram = await storeImage(ctx.store, ctx.config, diagramFile, 'face-68-diagram.png');
    const crops: StoredImage[] = [];
    for (const [i, r] of demoReferences.entries()) {
      const file = path.join(staging, `crop-${i}.jpg`);
      await fsp.writeFile(file, await cropJpeg(path.join(photosDir, r.photo), r));
      crops.push(await storeImage(ctx.store, ctx.config, file, `${r.kind}-${i}.jpg`));
    }
    await withTx(ctx.db, async (trx) => {
      for (const img of [diagram, ...crops]) await recordImage(trx, ctx.repos.blobs, ctx.store, img, orgId, now);
      await ctx.repos.training.addAsset(
        { course_id: course.id, blob_sha256: diagram.sha256, name: 'face-68-diagram.png', created_at: now },
        trx,
      );
      for (const l of DEMO_LESSONS) {
        await ctx.repos.training.addLesson(
          {
            course_id: course.id,
            title: l.title,
            body: l.body.replace('{diagram}', assetUrl(course.id, diagram.sha256)),
            created_at: now,
            updated_at: now,
          },
          trx,
        );
      }
      for (const [i, r] of demoReferences.entries()) {
        const img = crops[i];
        await ctx.repos.training.addItem(
          {
            course_id: course.id,
            kind: r.kind,
            blob_sha256: img.sha256,
            name: `${r.photo}${r.flip ? ' (mirrored)' : ''} #${i + 1}`,
            width: img.width,
            height: img.height,
            reference: JSON.stringify(r.reference),
            source: 'model',
            active: 1,
            created_by: managerId,
            created_at: now,
            updated_at: now,
          },
          trx,
        );
      }
    });
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
  return course.id;
}

/** One face cut from a sample photo exactly as the reference script cut it. */
export function cropJpeg(photo: string, r: Pick<DemoReference, 'crop' | 'flip'>): Promise<Buffer> {
  const [left, top, width, height] = r.crop;
  let img = sharp(photo).rotate().extract({ left, top, width, height });
  if (r.flip) img = img.flop();
  return img.jpeg({ quality: 90 }).toBuffer();
}

/** The template's reference diagram with every point numbered 1–n, for the first lesson. */
export function diagramPng(template: KeypointTemplate, size = 720): Promise<Buffer> {
  const h = Math.round(size / template.refAspect);
  const pad = 40;
  const x = (p: number) => pad + p * (size - 2 * pad);
  const y = (p: number) => pad + p * (h - 2 * pad);
  const lines = template.skeleton
    .map(([a, b]) => {
      const pa = template.points[a].ref;
      const pb = template.points[b].ref;
      return `<line x1="${x(pa[0])}" y1="${y(pa[1])}" x2="${x(pb[0])}" y2="${y(pb[1])}" stroke="#c3ccd6" stroke-width="1.5"/>`;
    })
    .join('');
  const dots = template.points
    .map((p, i) => {
      const cx = x(p.ref[0]);
      const cy = y(p.ref[1]);
      return `<circle cx="${cx}" cy="${cy}" r="4" fill="${p.color}"/><text x="${cx + 5}" y="${cy - 5}" font-family="sans-serif" font-size="12" fill="#1f2933">${i + 1}</text>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${h}"><rect width="100%" height="100%" fill="#ffffff"/>${lines}${dots}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
