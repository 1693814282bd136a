import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  codeParam,
  disableBody,
  householdStatusBody,
  householdStatusPatch,
  peopleQuery,
  personBody,
  personPatch,
} from '../../../core/api/people.js';
import { idParam } from '../../../core/api/schemas.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';
import { badRequest, tooLarge } from '../../errors.js';
import { MAX_SHEET_BYTES } from '../../services/cohort-sheet.js';
import { accountRoutes } from './account.routes.js';
import { teamRoutes } from './teams.routes.js';

/** The uploaded sheet, read into memory: a cohort sheet is small, and anything larger is refused early. */
async function sheetOf(request: FastifyRequest): Promise<Buffer> {
  const part = await request.file();
  if (!part) throw badRequest('no_files', 'Send the sheet as a multipart file.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file) {
    size += (chunk as Buffer).length;
    if (size > MAX_SHEET_BYTES) throw tooLarge('upload_too_large', 'A cohort sheet is at most 5 MiB.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** People, the cohort import and the household status list; teams, invitations and accounts beside. */
export const peopleRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const s = ctx.services;

    app.get('/people', { schema: { tags: ['people'], querystring: peopleQuery } }, async (request) => ({
      people: await s.people.list(actorOf(request), request.query),
    }));
    app.post('/people', { schema: { tags: ['people'], body: personBody } }, async (request, reply) =>
      reply.status(201).send(await s.people.add(actorOf(request), request.body)),
    );
    app.get('/people/:id', { schema: { tags: ['people'], params: idParam } }, async (request) =>
      s.people.get(actorOf(request), request.params.id),
    );
    app.patch('/people/:id', { schema: { tags: ['people'], params: idParam, body: personPatch } }, async (request) =>
      s.people.update(actorOf(request), request.params.id, request.body),
    );
    app.post(
      '/people/:id/disable',
      { schema: { tags: ['people'], params: idParam, body: disableBody } },
      async (request) =>
        s.people.disable(actorOf(request), request.params.id, request.body.leaving, request.body.endDate),
    );
    app.post('/people/:id/enable', { schema: { tags: ['people'], params: idParam } }, async (request) =>
      s.people.enable(actorOf(request), request.params.id),
    );
    app.post('/people/:id/reset-code', { schema: { tags: ['people'], params: idParam } }, async (request) =>
      s.people.resetCode(actorOf(request), request.params.id),
    );

    app.get(
      '/people/import/template',
      { schema: { tags: ['people'], querystring: z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }) } },
      async (request, reply) => {
        const { format } = request.query;
        const body = await s.cohorts.template(actorOf(request), format);
        return reply
          .header(
            'content-type',
            format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .header('content-disposition', `attachment; filename="cohort-template.${format}"`)
          .send(body);
      },
    );
    app.post(
      '/people/import/preview',
      { schema: { tags: ['people'], consumes: ['multipart/form-data'] } },
      async (request) => s.cohorts.preview(actorOf(request), await sheetOf(request)),
    );
    app.post(
      '/people/import',
      { schema: { tags: ['people'], consumes: ['multipart/form-data'] } },
      async (request, reply) =>
        reply.status(201).send(await s.cohorts.confirm(actorOf(request), await sheetOf(request))),
    );

    app.get('/household-statuses', { schema: { tags: ['people'] } }, async (request) => ({
      statuses: await s.households.list(actorOf(request)),
    }));
    app.post(
      '/household-statuses',
      { schema: { tags: ['people'], body: householdStatusBody } },
      async (request, reply) => reply.status(201).send(await s.households.create(actorOf(request), request.body)),
    );
    app.patch(
      '/household-statuses/:code',
      { schema: { tags: ['people'], params: codeParam, body: householdStatusPatch } },
      async (request) => s.households.update(actorOf(request), request.params.code, request.body),
    );
    app.delete('/household-statuses/:code', { schema: { tags: ['people'], params: codeParam } }, async (request) =>
      s.households.delete(actorOf(request), request.params.code),
    );

    await app.register(teamRoutes(ctx));
    await app.register(accountRoutes(ctx));
  };
