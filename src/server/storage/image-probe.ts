/**
 * Reads and checks an image with sharp: format, dimensions as displayed (after EXIF
 * orientation), and a full decode while writing the preview, so a truncated or
 * corrupt file is caught at upload rather than in a worker's browser.
 */
import sharp from 'sharp';
import { AppError, tooLarge, unsupportedMedia, badRequest } from '../errors.js';

/** Formats every browser shows. */
const MIME: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
/** Longest side of a preview: enough to annotate roughly on a slow link. */
export const PREVIEW_SIDE = 1024;

export interface ProbedImage {
  mime: string;
  width: number;
  height: number;
  orientation: number;
}

export async function probeImage(
  file: string,
  name: string,
  maxPixels: number,
  previewOut: string,
): Promise<ProbedImage> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch {
    throw unsupportedMedia('not_an_image', `${name} is not an image Shugu can read (JPEG, PNG or WebP).`);
  }
  const mime = meta.format ? MIME[meta.format] : undefined;
  if (!mime) {
    throw unsupportedMedia(
      'unsupported_image_type',
      `${name} is ${meta.format ?? 'an unknown format'}; Shugu takes JPEG, PNG or WebP.`,
    );
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w <= 0 || h <= 0) throw badRequest('image_corrupt', `${name} has no readable size.`);
  if (w * h > maxPixels) {
    throw tooLarge('image_too_many_pixels', `${name} is ${w}×${h} pixels, over the limit of ${maxPixels} pixels.`);
  }
  const orientation = meta.orientation ?? 1;
  const rotated = orientation >= 5 && orientation <= 8;
  try {
    await sharp(file, { limitInputPixels: maxPixels, failOn: 'warning' })
      .rotate()
      .resize(PREVIEW_SIDE, PREVIEW_SIDE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 78, mozjpeg: true })
      .toFile(previewOut);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badRequest('image_corrupt', `${name} is damaged and cannot be decoded: ${(err as Error).message}`);
  }
  return { mime, width: rotated ? h : w, height: rotated ? w : h, orientation };
}
