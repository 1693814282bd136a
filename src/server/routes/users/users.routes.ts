import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { orgBody, userBody } from '../../../core/api/schemas.js';
import { builtinTemplates } from '../../../core/templates/index.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';

export const userRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/orgs', { schema: { tags: ['users'] } }, async (request) => ({
      orgs: await ctx.services.users.listOrgs(actorOf(request)),
    }));
    app.post('/orgs', { schema: { tags: ['users'], body: orgBody } }, async (request, reply) =>
      reply
        .status(201)
        .send(await ctx.services.users.createOrg(actorOf(request), request.body.name, request.body.kind)),
    );
    app.get('/users', { schema: { tags: ['users'] } }, async (request) => ({
      users: await ctx.services.users.list(actorOf(request)),
    }));
    app.post('/users', { schema: { tags: ['users'], body: userBody } }, async (request, reply) =>
      reply.status(201).send(await ctx.services.users.create(actorOf(request), request.body)),
    );
    app.get('/templates', { schema: { tags: ['projects'] } }, async (request) => {
      actorOf(request);
      return { templates: builtinTemplates };
    });
  };
