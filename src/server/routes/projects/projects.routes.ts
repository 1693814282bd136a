import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam, pageQuery, projectBody, projectPatch } from '../../../core/api/schemas.js';
import { exportQuery } from '../../../core/api/export.schema.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';
import { badRequest, tooLarge } from '../../errors.js';
import type { StagedUpload } from '../../services/image.service.js';
import { manifestFormatOf } from '../../services/manifest.service.js';

export const projectRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const s = ctx.services;

    app.get('/projects', { schema: { tags: ['projects'] } }, async (request) => ({
      projects: await s.projects.list(actorOf(request)),
    }));

    app.post('/projects', { schema: { tags: ['projects'], body: projectBody } }, async (request, reply) =>
      reply.status(201).send(await s.projects.create(actorOf(request), request.body)),
    );

    app.get('/projects/:id', { schema: { tags: ['projects'], params: idParam } }, async (request) =>
      s.projects.get(actorOf(request), request.params.id),
    );

    app.patch(
      '/projects/:id',
      { schema: { tags: ['projects'], params: idParam, body: projectPatch } },
      async (request) => s.projects.update(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/projects/:id/items',
      { schema: { tags: ['items'], params: idParam, querystring: pageQuery } },
      async (request) =>
        s.projects.listItems(actorOf(request), request.params.id, request.query.after, request.query.limit),
    );

    // Images and zip archives as multipart files; all or nothing.
    app.post(
      '/projects/:id/images',
      { schema: { tags: ['items'], params: idParam, consumes: ['multipart/form-data'] } },
      async (request, reply) => {
        const actor = actorOf(request);
        const dir = await ctx.store.stagingDir();
        try {
          const staged: StagedUpload[] = [];
          for await (const part of request.files()) {
            const file = path.join(dir, `u${staged.length}`);
            await pipeline(part.file, fs.createWriteStream(file));
            if (part.file.truncated) {
              throw tooLarge('upload_too_large', `${part.filename} is larger than ${ctx.config.maxUploadBytes} bytes.`);
            }
            staged.push({ name: part.filename || `upload-${staged.length}`, file });
          }
          return reply.status(201).send(await s.images.ingest(actor, request.params.id, staged, dir));
        } finally {
          await fsp.rm(dir, { recursive: true, force: true });
        }
      },
    );

    // A manifest (JSON Lines or CSV) as one multipart file.
    app.post(
      '/projects/:id/manifest',
      { schema: { tags: ['items'], params: idParam, consumes: ['multipart/form-data'] } },
      async (request, reply) => {
        const actor = actorOf(request);
        const part = await request.file();
        if (!part) throw badRequest('no_files', 'Send the manifest as a multipart file.');
        const dir = await ctx.store.stagingDir();
        try {
          const file = path.join(dir, 'manifest');
          await pipeline(part.file, fs.createWriteStream(file));
          if (part.file.truncated) throw tooLarge('upload_too_large', 'The manifest is too large.');
          const result = await s.manifests.importFile(actor, request.params.id, file, manifestFormatOf(part.filename));
          return reply.status(201).send(result);
        } finally {
          await fsp.rm(dir, { recursive: true, force: true });
        }
      },
    );

    // ?mode=final|accepted|all&unfinished=omit|empty&includeGold=true (core/api/export-options.ts).
    app.get(
      '/projects/:id/export/coco',
      { schema: { tags: ['export'], params: idParam, querystring: exportQuery } },
      async (request, reply) => {
        const { filename, chunks } = await s.exports.coco(actorOf(request), request.params.id, request.query);
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .send(Readable.from(chunks));
      },
    );
  };
