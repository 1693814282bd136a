import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam } from '../../../core/api/primitives.js';
import {
  certificationBody,
  certificationQuery,
  certificationRevokeBody,
  courseBody,
  coursePatch,
  lessonBody,
  lessonPatch,
  referenceBody,
  trainingItemKind,
} from '../../../core/api/training.schema.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';
import { badRequest, tooLarge } from '../../errors.js';
import type { StagedUpload } from '../../services/image.service.js';

/** Training as managers make it: courses, lessons, images, items and references, results, certifications. */
export const trainingAdminRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const s = ctx.services.training;
    const tags = ['training'];

    /** Reads every multipart file into a staging folder; fields come back too (e.g. `kind`). */
    async function staged<T>(
      request: FastifyRequest,
      fn: (files: StagedUpload[], fields: Record<string, string>) => Promise<T>,
    ) {
      const dir = await ctx.store.stagingDir();
      try {
        const files: StagedUpload[] = [];
        const fields: Record<string, string> = {};
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            fields[part.fieldname] = String(part.value);
            continue;
          }
          const file = path.join(dir, `u${files.length}`);
          await pipeline(part.file, fs.createWriteStream(file));
          if (part.file.truncated) {
            throw tooLarge('upload_too_large', `${part.filename} is larger than ${ctx.config.maxUploadBytes} bytes.`);
          }
          files.push({ name: part.filename || `image-${files.length}`, file });
        }
        return await fn(files, fields);
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
    }

    app.get('/training/courses', { schema: { tags } }, async (request) => ({
      courses: await s.listCourses(actorOf(request)),
    }));

    app.post('/training/courses', { schema: { tags, body: courseBody } }, async (request, reply) =>
      reply.status(201).send(await s.createCourse(actorOf(request), request.body)),
    );

    app.patch('/training/courses/:id', { schema: { tags, params: idParam, body: coursePatch } }, async (request) =>
      s.updateCourse(actorOf(request), request.params.id, request.body),
    );

    app.get('/training/courses/:id/manage', { schema: { tags, params: idParam } }, async (request) =>
      s.manageView(actorOf(request), request.params.id),
    );

    app.post(
      '/training/courses/:id/lessons',
      { schema: { tags, params: idParam, body: lessonBody } },
      async (request, reply) =>
        reply.status(201).send(await s.addLesson(actorOf(request), request.params.id, request.body)),
    );

    app.patch('/training/lessons/:id', { schema: { tags, params: idParam, body: lessonPatch } }, async (request) =>
      s.updateLesson(actorOf(request), request.params.id, request.body),
    );

    app.delete('/training/lessons/:id', { schema: { tags, params: idParam } }, async (request) =>
      s.deleteLesson(actorOf(request), request.params.id),
    );

    /** Lesson images as multipart files; the answer gives the URLs to use in the markdown. */
    app.post(
      '/training/courses/:id/assets',
      { schema: { tags, params: idParam, consumes: ['multipart/form-data'] } },
      async (request, reply) => {
        const actor = actorOf(request);
        return reply.status(201).send(await staged(request, (files) => s.addAssets(actor, request.params.id, files)));
      },
    );

    /** Practice or exam photos as multipart files, with a `kind` field (`practice` or `exam`). */
    app.post(
      '/training/courses/:id/items',
      { schema: { tags, params: idParam, consumes: ['multipart/form-data'] } },
      async (request, reply) => {
        const actor = actorOf(request);
        const result = await staged(request, (files, fields) => {
          const kind = trainingItemKind.safeParse(fields.kind);
          if (!kind.success)
            throw badRequest('invalid_kind', 'Say whether the photos are for "practice" or the "exam".');
          return s.addItems(actor, request.params.id, kind.data, files);
        });
        return reply.status(201).send(result);
      },
    );

    app.get('/training/items/:id', { schema: { tags, params: idParam } }, async (request) =>
      s.getItem(actorOf(request), request.params.id),
    );

    app.put(
      '/training/items/:id/reference',
      { schema: { tags, params: idParam, body: referenceBody } },
      async (request) => s.setReference(actorOf(request), request.params.id, request.body),
    );

    app.delete('/training/items/:id', { schema: { tags, params: idParam } }, async (request) =>
      s.retireItem(actorOf(request), request.params.id),
    );

    app.get('/training/courses/:id/results', { schema: { tags, params: idParam } }, async (request) =>
      s.results(actorOf(request), request.params.id),
    );

    app.get('/training/attempts/:id/detail', { schema: { tags, params: idParam } }, async (request) =>
      s.attemptDetail(actorOf(request), request.params.id),
    );

    app.get('/training/certifications', { schema: { tags, querystring: certificationQuery } }, async (request) => ({
      certifications: await ctx.services.certifications.list(actorOf(request), request.query),
    }));

    app.post('/training/certifications', { schema: { tags, body: certificationBody } }, async (request) =>
      ctx.services.certifications.grant(
        actorOf(request),
        request.body.userId,
        request.body.templateId,
        request.body.level,
      ),
    );

    app.post('/training/certifications/revoke', { schema: { tags, body: certificationRevokeBody } }, async (request) =>
      ctx.services.certifications.revoke(actorOf(request), request.body.userId, request.body.templateId),
    );
  };
