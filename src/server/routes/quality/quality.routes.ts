import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { goldBody, idParam, reviewBody, workerParam } from '../../../core/api/schemas.js';
import { qualityEventsQuery } from '../../../core/api/quality.schema.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';
import { qualityForWorker } from '../../presenters/worker-ids.presenter.js';
import { workerIdsFor } from '../../services/worker-ids.js';

export const qualityRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const q = ctx.services.quality;

    app.put('/items/:id/gold', { schema: { tags: ['quality'], params: idParam, body: goldBody } }, async (request) =>
      q.setGold(actorOf(request), request.params.id, request.body.data, request.body.notInImage ?? []),
    );
    app.get('/items/:id/gold', { schema: { tags: ['quality'], params: idParam } }, async (request) =>
      q.getGold(actorOf(request), request.params.id),
    );
    app.delete('/items/:id/gold', { schema: { tags: ['quality'], params: idParam } }, async (request) =>
      q.unsetGold(actorOf(request), request.params.id),
    );
    app.post('/items/:id/gold/promote', { schema: { tags: ['quality'], params: idParam } }, async (request) =>
      q.promoteConsensus(actorOf(request), request.params.id),
    );
    /** Gold references from a COCO keypoints file (JSON body), matched to items by file name. */
    app.post('/projects/:id/gold/coco', { schema: { tags: ['quality'], params: idParam } }, async (request) =>
      q.importGoldCoco(actorOf(request), request.params.id, request.body),
    );

    /** Re-decides categorical attributes of every consensus with Dawid–Skene. */
    app.post(
      '/projects/:id/consensus/attributes',
      { schema: { tags: ['quality'], params: idParam } },
      async (request) => q.resolveProjectAttributes(actorOf(request), request.params.id),
    );

    app.get('/projects/:id/quality', { schema: { tags: ['quality'], params: idParam } }, async (request) =>
      q.stats(actorOf(request), request.params.id),
    );
    /** One line per quality rule: its settings and what it has done. */
    app.get('/projects/:id/quality/rules', { schema: { tags: ['quality'], params: idParam } }, async (request) =>
      q.standing.rules(actorOf(request), request.params.id),
    );
    /** What the rules did (warned, suspended, discarded N answers), newest first. */
    app.get(
      '/projects/:id/quality/events',
      { schema: { tags: ['quality'], params: idParam, querystring: qualityEventsQuery } },
      async (request) =>
        q.standing.events(actorOf(request), request.params.id, request.query.before, request.query.limit),
    );
    app.get('/projects/:id/my-quality', { schema: { tags: ['quality'], params: idParam } }, async (request) => {
      const actor = actorOf(request);
      return qualityForWorker(await workerIdsFor(ctx.db), actor.id, await q.myQuality(actor, request.params.id));
    });
    app.post(
      '/projects/:id/workers/:workerId/reinstate',
      { schema: { tags: ['quality'], params: workerParam } },
      async (request) => q.reinstate(actorOf(request), request.params.id, request.params.workerId),
    );

    app.get('/projects/:id/review/next', { schema: { tags: ['quality'], params: idParam } }, async (request) => ({
      review: await q.nextReview(actorOf(request), request.params.id),
    }));
    app.post(
      '/annotations/:id/review',
      { schema: { tags: ['quality'], params: idParam, body: reviewBody } },
      async (request) =>
        q.review(
          actorOf(request),
          request.params.id,
          request.body.verdict,
          request.body.reasonCode ?? null,
          request.body.comment ?? null,
        ),
    );

    app.get('/items/:id/consensus', { schema: { tags: ['quality'], params: idParam } }, async (request) =>
      q.itemConsensus(actorOf(request), request.params.id),
    );
  };
