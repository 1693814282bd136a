import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam } from '../../../core/api/schemas.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';
import { sendItemImage } from './send-image.js';

export const itemRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/items/:id', { schema: { tags: ['items'], params: idParam } }, async (request) =>
      ctx.services.projects.getItem(actorOf(request), request.params.id),
    );
    app.get('/items/:id/image', { schema: { tags: ['items'], params: idParam } }, async (request, reply) =>
      sendItemImage(ctx, reply, await ctx.services.projects.itemForImage(actorOf(request), request.params.id), false),
    );
    app.get('/items/:id/preview', { schema: { tags: ['items'], params: idParam } }, async (request, reply) =>
      sendItemImage(ctx, reply, await ctx.services.projects.itemForImage(actorOf(request), request.params.id), true),
    );
  };
