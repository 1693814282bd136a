import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { Context } from '../../context.js';
import type { Item } from '../../db/types.js';
import { notFound } from '../../errors.js';

const MIME_BY_EXT: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
};

/** Streams an item's image (or its preview, where one exists). Blobs never change, so they cache for good. */
export async function sendItemImage(ctx: Context, reply: FastifyReply, item: Item, preview: boolean) {
  let file: string;
  let mime: string;
  if (item.blob_sha256) {
    const blob = await ctx.repos.blobs.get(item.blob_sha256);
    if (!blob) throw notFound('image');
    file = preview && blob.has_preview ? ctx.store.previewPathOf(blob.sha256) : ctx.store.pathOf(blob.sha256);
    mime = preview && blob.has_preview ? 'image/jpeg' : blob.mime;
  } else if (item.source_path) {
    file = item.source_path;
    mime = MIME_BY_EXT[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  } else {
    throw notFound('image');
  }
  if (!fs.existsSync(file)) throw notFound('image');
  return reply
    .header('content-type', mime)
    .header('cache-control', 'private, max-age=31536000, immutable')
    .send(fs.createReadStream(file));
}
