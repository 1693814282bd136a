import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam, skipBody, submitBody } from '../../../core/api/schemas.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';
import { sendItemImage } from '../items/send-image.js';

export const workRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const work = ctx.services.work;

    /** The next item for the calling worker; `{ lease: null }` when none is left. */
    app.post('/projects/:id/lease', { schema: { tags: ['work'], params: idParam } }, async (request) => ({
      lease: await work.lease(actorOf(request), request.params.id),
    }));

    app.get('/projects/:id/leases', { schema: { tags: ['work'], params: idParam } }, async (request) => ({
      leases: await work.myLeases(actorOf(request), request.params.id),
    }));

    app.post(
      '/assignments/:id/submit',
      { schema: { tags: ['work'], params: idParam, body: submitBody } },
      async (request) => work.submit(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/assignments/:id/skip',
      { schema: { tags: ['work'], params: idParam, body: skipBody } },
      async (request) => work.giveBack(actorOf(request), request.params.id, 'skipped', request.body.reason),
    );

    app.post('/assignments/:id/release', { schema: { tags: ['work'], params: idParam } }, async (request) =>
      work.giveBack(actorOf(request), request.params.id, 'released'),
    );

    app.get('/assignments/:id/image', { schema: { tags: ['work'], params: idParam } }, async (request, reply) =>
      sendItemImage(ctx, reply, await work.itemForAssignment(actorOf(request), request.params.id), false),
    );
    app.get('/assignments/:id/preview', { schema: { tags: ['work'], params: idParam } }, async (request, reply) =>
      sendItemImage(ctx, reply, await work.itemForAssignment(actorOf(request), request.params.id), true),
    );

    app.get('/work/today', { schema: { tags: ['work'] } }, async (request) => work.today(actorOf(request)));
  };
