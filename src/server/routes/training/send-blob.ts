import fs from 'node:fs';
import type { FastifyReply } from 'fastify';
import type { Context } from '../../context.js';
import { notFound } from '../../errors.js';

/** Streams a stored image (or its preview); blobs never change, so they cache for good. */
export async function sendBlob(ctx: Context, reply: FastifyReply, sha256: string, preview = false) {
  const blob = await ctx.repos.blobs.get(sha256);
  if (!blob) throw notFound('image');
  const usePreview = preview && blob.has_preview === 1;
  const file = usePreview ? ctx.store.previewPathOf(sha256) : ctx.store.pathOf(sha256);
  if (!fs.existsSync(file)) throw notFound('image');
  return reply
    .header('content-type', usePreview ? 'image/jpeg' : blob.mime)
    .header('cache-control', 'private, max-age=31536000, immutable')
    .send(fs.createReadStream(file));
}
