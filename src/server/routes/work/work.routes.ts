import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam, skipBody, submitBody } from '../../../core/api/schemas.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';
import { sendItemImage } from '../items/send-image.js';
import { leaseForWorker, submissionForWorker } from '../../presenters/worker-ids.presenter.js';
import { workerIdsFor } from '../../services/worker-ids.js';

export const workRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const work = ctx.services.work;
    // A worker sees and sends opaque ids only (services/worker-ids.ts); services keep row ids.
    const ids = () => workerIdsFor(ctx.db);
    const assignmentOf = async (handle: number) => (await ids()).assignmentOf(handle);

    /** The next item for the calling worker; `{ lease: null }` when none is left. */
    app.post('/projects/:id/lease', { schema: { tags: ['work'], params: idParam } }, async (request) => {
      const actor = actorOf(request);
      const lease = await work.lease(actor, request.params.id);
      return { lease: lease && leaseForWorker(await ids(), actor.id, lease) };
    });

    app.get('/projects/:id/leases', { schema: { tags: ['work'], params: idParam } }, async (request) => {
      const actor = actorOf(request);
      const leases = await work.myLeases(actor, request.params.id);
      const map = await ids();
      return { leases: leases.map((l) => leaseForWorker(map, actor.id, l)) };
    });

    app.post(
      '/assignments/:id/submit',
      { schema: { tags: ['work'], params: idParam, body: submitBody } },
      async (request) =>
        submissionForWorker(
          await ids(),
          await work.submit(actorOf(request), await assignmentOf(request.params.id), request.body),
        ),
    );

    app.post(
      '/assignments/:id/skip',
      { schema: { tags: ['work'], params: idParam, body: skipBody } },
      async (request) =>
        work.giveBack(actorOf(request), await assignmentOf(request.params.id), 'skipped', request.body.reason),
    );

    app.post('/assignments/:id/release', { schema: { tags: ['work'], params: idParam } }, async (request) =>
      work.giveBack(actorOf(request), await assignmentOf(request.params.id), 'released'),
    );

    app.get('/assignments/:id/image', { schema: { tags: ['work'], params: idParam } }, async (request, reply) =>
      sendItemImage(
        ctx,
        reply,
        await work.itemForAssignment(actorOf(request), await assignmentOf(request.params.id)),
        false,
      ),
    );
    app.get('/assignments/:id/preview', { schema: { tags: ['work'], params: idParam } }, async (request, reply) =>
      sendItemImage(
        ctx,
        reply,
        await work.itemForAssignment(actorOf(request), await assignmentOf(request.params.id)),
        true,
      ),
    );

    app.get('/work/today', { schema: { tags: ['work'] } }, async (request) => work.today(actorOf(request)));
  };
