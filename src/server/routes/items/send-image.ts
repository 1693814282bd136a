import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { Context } from '../../context.js';
import type { Item } from '../../db/types.js';
import { notFound } from '../../errors.js';
import { IMAGE_CSP } from '../../plugins/security-headers.plugin.js';

const MIME_BY_EXT: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
};
const EXT_BY_MIME: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * `Content-Disposition` for an item's file: the last part of its name with the
 * extension of what is actually sent, as plain ASCII and (RFC 6266) as UTF-8, so a
 * name can neither break the header nor pretend to be another kind of file.
 *
 * @example disposition('faces/人脸 1.png', 'image/jpeg') // → inline; filename="___1.jpg"; filename*=UTF-8''%E4%BA%BA%E8%84%B8%201.jpg
 */
export function disposition(itemName: string, mime: string): string {
  const ext = EXT_BY_MIME[mime];
  const last = itemName.split(/[\\/]/).pop() ?? '';
  const stem = (last.replace(/\.[^.]*$/, '') || 'image').slice(0, 100);
  const filename = ext ? `${stem}.${ext}` : `${stem}.bin`;
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  const utf8 = encodeURIComponent(filename).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${ext ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/**
 * Streams an item's image (or its preview, where one exists). Blobs never change, so
 * they cache for good. A stored file can never render as a page, whatever bytes it
 * holds (a JPEG can also be valid HTML): it is sent with the image type it was probed
 * as, `nosniff`, and a CSP that sandboxes it and allows nothing.
 */
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
  if (!EXT_BY_MIME[mime]) mime = 'application/octet-stream';
  if (!fs.existsSync(file)) throw notFound('image');
  return reply
    .header('content-type', mime)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', IMAGE_CSP)
    .header('content-disposition', disposition(item.name, mime))
    .header('cache-control', 'private, max-age=31536000, immutable')
    .send(fs.createReadStream(file));
}
