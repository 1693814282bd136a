import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam, tokenBody } from '../../../core/api/schemas.js';
import { actorOf, credentialOf } from '../../app.js';
import type { Context } from '../../context.js';

export const tokenRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const tokens = ctx.services.tokens;

    app.post('/auth/tokens', { schema: { tags: ['auth'], body: tokenBody } }, async (request, reply) =>
      reply.status(201).send(await tokens.create(actorOf(request), credentialOf(request), request.body)),
    );

    app.get('/auth/tokens', { schema: { tags: ['auth'] } }, async (request) => ({
      tokens: await tokens.list(actorOf(request)),
    }));

    app.delete('/auth/tokens/:id', { schema: { tags: ['auth'], params: idParam } }, async (request) => ({
      token: await tokens.revoke(actorOf(request), request.params.id),
    }));
  };
