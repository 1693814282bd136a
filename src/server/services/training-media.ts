/**
 * Stores an image for training (a lesson picture, a practice or exam photo) as a blob
 * like item images: checked and decoded by sharp, named by SHA-256, with a preview,
 * and usable by the course's organisation.
 */
import fsp from 'node:fs/promises';
import type { Config } from '../config.js';
import type { Executor } from '../db/tx.js';
import type { BlobRepository } from '../repositories/blob.repository.js';
import { sha256File, type BlobStore } from '../storage/blob-store.js';
import { probeImage } from '../storage/image-probe.js';

export interface StoredImage {
  sha256: string;
  width: number;
  height: number;
  mime: string;
  orientation: number;
  /** True when this call put the bytes into the store (undo it if the request fails). */
  created: boolean;
}

/** Checks and adopts a staged image file; the database rows are written with `recordImage`. */
export async function storeImage(store: BlobStore, config: Config, file: string, name: string): Promise<StoredImage> {
  const preview = `${file}.preview.jpg`;
  const probed = await probeImage(file, name, config.maxImagePixels, preview);
  const sha256 = await sha256File(file);
  const created = await store.adopt(file, sha256);
  if (created) await store.adoptPreview(preview, sha256);
  else await fsp.rm(preview, { force: true });
  return {
    sha256,
    width: probed.width,
    height: probed.height,
    mime: probed.mime,
    orientation: probed.orientation,
    created,
  };
}

/** The blob row and the organisation's right to name it. */
export async function recordImage(
  trx: Executor,
  blobs: BlobRepository,
  store: BlobStore,
  image: StoredImage,
  orgId: number,
  now: number,
) {
  await blobs.upsert(
    {
      sha256: image.sha256,
      size: (await fsp.stat(store.pathOf(image.sha256))).size,
      mime: image.mime,
      width: image.width,
      height: image.height,
      orientation: image.orientation,
      has_preview: 1,
      created_at: now,
    },
    trx,
  );
  await blobs.grant(trx, [orgId], [image.sha256]);
}
